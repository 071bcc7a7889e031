"""One module per subcommand; the CLI registers everything listed here."""

from generator.commands.checklist import checklist_group

COMMANDS = [checklist_group]
