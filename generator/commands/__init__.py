"""One module per subcommand, loaded only when that command runs (``--version`` and each
command start without importing the others): name -> ``module:function``."""

COMMANDS = {
    "init": "generator.commands.init:init",
    "collect": "generator.commands.collect:collect",
    "import": "generator.commands.import_results:import_results",
    "validate": "generator.commands.validate:validate",
    "build": "generator.commands.build:build",
    "attest": "generator.commands.attest:attest_command",
    "verify": "generator.commands.verify:verify_command",
    "diff": "generator.commands.diff:diff_command",
    "judge": "generator.commands.judge:judge_command",
    "submit": "generator.commands.submit:submit_command",
    "publish": "generator.commands.publish:publish_command",
    "review": "generator.commands.review:review",
    "checklist": "generator.commands.checklist:checklist_group",
}
