"""One module per subcommand; the CLI registers everything listed here."""

from generator.commands.attest import attest_command
from generator.commands.build import build
from generator.commands.checklist import checklist_group
from generator.commands.collect import collect
from generator.commands.diff import diff_command
from generator.commands.import_results import import_results
from generator.commands.init import init
from generator.commands.publish import publish_command
from generator.commands.review import review
from generator.commands.submit import submit_command
from generator.commands.validate import validate
from generator.commands.verify import verify_command

COMMANDS = [init, build, validate, checklist_group, review, collect, import_results, submit_command,
            publish_command, attest_command, verify_command, diff_command]
