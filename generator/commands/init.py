"""``k8s-ai-evidence init DIR``: scaffold a workspace (platform.yaml, evidence/).

No mkdocs.yml: the site's configuration is the tool's own (network-free, and what the
build merges into); pages are customised with ``site-templates/`` overrides.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click
import yaml

from generator.checklist import normalize_version, resolve_checklist
from generator.ci import GITHUB_WORKFLOW, GITIGNORED, github_workflow
from generator.commands.options import output_option
from generator.errors import EnvironmentProblem, ExitCode, InputError
from generator.evidence.tree import NOTES_FILE
from generator.fsutil import atomic_write_text
from generator.layout import PLATFORM_FILE, evidence_dir
from generator.output import emit
from generator.procedures import load_procedure, procedure_requirements
from generator.procedures.loader import variants
from generator.resources import resource_dir
from generator.review.revisions import hybrid

SCHEMA = "schemas/platform.schema.json"
_HEADER = """# yaml-language-server: $schema={schema}
# Workspace of k8s-ai-evidence: product metadata for PRODUCT.yaml, the Kubernetes minor,
# and per requirement the procedure variant and its parameters, or a human declaration:
#   <requirement_id>: {{status: N/A, reason: "why it does not apply"}}
kubernetesVersion: {tag}
productDir: my-platform            # folder name under {tag}/ in cncf/k8s-ai-conformance
metadata:
  platformName: My Platform
  platformVersion: "1.0"
  vendorName: My Company
  # websiteUrl: https://example.com/
  # documentationUrl: https://example.com/docs/
  # contactEmailAddress: conformance@example.com
# site:
#   url: https://example.com/evidence/     # where the built site will be published
# redact:                                  # on top of tokens, certificates, kubeconfig secrets
#   - {{name: internal-ips, pattern: '\\b10\\.\\d+\\.\\d+\\.\\d+\\b', replacement: 10.x.x.x}}
requirements:
"""
# v1.37+: collect --upstream-suite DIR runs kubernetes-sigs/ai-conformance's go test suite.
_SUITE = """# upstreamSuite:                            # for collect --upstream-suite DIR (v1.37+)
#   flags:                                  # the suite's flags: go test ./test -args -help
#     sandbox-runtime-class: gvisor
#     gang-job-labels: kueue.x-k8s.io/queue-name=my-queue
#     autoscaler-node-pool-label: pool=gpu-autoscale
#   run: '^Test(SecureAcceleratorAccess|GangScheduling)$'   # only the tests that apply
#   timeoutMinutes: 90
"""
NOTES = """<!-- Your own narrative for {requirement}: how the platform implements it, which
components, links to documentation.  `collect` never overwrites this file. -->
"""


def _requirement_block(version: str, requirement: str) -> str:
    procedure = load_procedure(version, requirement)
    lines = [f"  {requirement}:",
             f"    variant: {procedure.variant}        # one of: "
             f"{', '.join(variants(version, requirement))}",
             "    # parameters:                 # defaults shown; uncomment to change"]
    for name, value in procedure.parameters.items():
        rendered = yaml.safe_dump({name: value}, default_flow_style=True,
                                  width=1_000_000).strip()[1:-1]  # one line per parameter
        lines.append(f"    #   {rendered}")
    return "\n".join(lines) + "\n"


def _write_workflow(directory: Path, version: str) -> str:
    """The scheduled workflow, and a .gitignore so its runs leave the checkout clean."""
    path = directory / GITHUB_WORKFLOW
    if path.exists():
        raise InputError(f"{path}: already exists; init never overwrites")
    atomic_write_text(path, github_workflow(version))
    ignore = directory / ".gitignore"
    kept = ignore.read_text(encoding="utf-8").splitlines() if ignore.is_file() else []
    missing = [line for line in GITIGNORED if line not in kept]
    if missing:
        atomic_write_text(ignore, "\n".join([*kept, *missing]) + "\n")
    return str(path)


@click.command("init", help="Create a workspace in DIR: platform.yaml (with editor schema "
               "support) and evidence/vX.Y/ with notes.md placeholders.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--kubernetes-version", required=True, help="The minor to collect for, e.g. v1.35.")
@click.option("--ci", "ci", type=click.Choice(["github"]),
              help="Also write a scheduled GitHub Actions workflow: collect, validate, build, "
              "attest and publish, with the kubeconfig and signing key from secrets.")
@output_option
def init(directory: Path, kubernetes_version: str, ci: str | None, output_format: str) -> int:
    version = normalize_version(kubernetes_version)
    tag = f"v{version}"
    nearest = next((p for p in (directory, *directory.parents) if os.path.lexists(p)), None)
    if nearest is not None and not nearest.is_dir():  # a file where a folder must be
        raise InputError(f"{nearest}: not a folder; init creates the workspace {directory}")
    if os.path.lexists(directory / PLATFORM_FILE):  # a dangling link too: never replaced
        raise InputError(f"{directory / PLATFORM_FILE}: already exists; init never overwrites")
    try:
        requirements = procedure_requirements(version)
    except InputError as exc:
        raise InputError(f"--kubernetes-version {kubernetes_version}: {exc}") from None
    try:  # like collect's plan, the scaffold follows the version's checklist where there is one
        listed = {r.id for r in resolve_checklist(version).requirements}
        requirements = [r for r in requirements if r in listed]
    except EnvironmentProblem:
        pass  # collect says so when it plans
    header = _HEADER.format(tag=tag, schema=SCHEMA)
    if hybrid(tag):
        header = header.replace("\nrequirements:\n", f"\n{_SUITE}requirements:\n")
    text = header + "".join(
        _requirement_block(version, r) for r in requirements)
    atomic_write_text(directory / PLATFORM_FILE, text)
    (directory / "schemas").mkdir(exist_ok=True)
    shutil.copy2(resource_dir("schemas") / "platform.schema.json", directory / SCHEMA)
    created = []
    for requirement in requirements:
        notes = evidence_dir(directory, tag) / requirement / NOTES_FILE
        if not (notes.exists() or notes.is_symlink()):  # never write through a (dangling) link
            notes.parent.mkdir(parents=True, exist_ok=True)
            notes.write_text(NOTES.format(requirement=requirement), encoding="utf-8")
            created.append(str(notes))
    workflow = _write_workflow(directory, version) if ci == "github" else None
    payload = {"workspace": str(directory), "kubernetesVersion": tag,
               "requirements": requirements, "notesCreated": created, "workflow": workflow}
    emit(output_format, payload, lambda out: out.print(
        f"Workspace created in {directory} for {tag}: edit {directory / PLATFORM_FILE}, then "
        f"run 'k8s-ai-evidence collect --workspace {directory}'."))
    return ExitCode.OK
