"""One module per subcommand; the CLI registers everything listed here."""

from generator.commands.checklist import checklist_group
from generator.commands.review import review

COMMANDS = [checklist_group, review]
