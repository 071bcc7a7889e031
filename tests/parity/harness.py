"""Build CNCF's real validator offline and compare its verdicts with ``review``'s.

    .venv/bin/python -m tests.parity.harness          # regenerate tests/data/parity/expected-*.json
    .venv/bin/python -m tests.parity.harness --check  # compare live, write nothing; 1 if different

For every known revision (``generator.review.revisions``) the validator's source is taken at run
time from the checkout in ../shared (scripts/validate.go, or scripts/validate-<id>.go.txt for an
older one, matched by sha256), copied into a temporary folder beside ``offline_stub.go`` (ours:
it answers the two network calls without a network) and built with Debian's golang and
golang-gopkg-yaml.v3-dev in GOPATH mode with GOPROXY=off. Nothing of the validator is copied
into this project. It then runs over the real submissions of that checkout and over the parity
cases laid out as a checkout (tests/data/parity/cases/*.yaml as v1.34/<case>/PRODUCT.yaml beside
a few sibling files, and tests/data/parity/checkout/ as it is).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.checklist import Checklist
from generator.review import review_paths
from generator.review.findings import SubmissionReport
from generator.review.revisions import RULE_SETS, RuleSet, file_digest
from generator.review.rules import RULES
from tests.conftest import corpus_candidates

PROJECT = Path(__file__).resolve().parents[2]
PARITY = PROJECT / "tests" / "data" / "parity"
STUB = Path(__file__).resolve().parent / "offline_stub.go"
GOPATH = Path("/usr/share/gocode")  # Debian's golang-*-dev packages
UNLOADABLE = "UNLOADABLE"
_STATUS_CHOICES = re.compile(r" Must be one of \[.*\]$")  # Go prints a map's keys: random order
_ARTIFACT_OWNER = re.compile(r"^Invalid test artifact for '[^']*'")
# lines whose place Go does not fix: under whichever citing requirement its random category
# order reaches first, or printed from a goroutine (URL checks)
_UNORDERED = frozenset({"ci-artifact-invalid", "ci-artifact-failing", "ci-url-malformed"})


def shared_checkout() -> Path:
    """The snapshot of cncf/k8s-ai-conformance, found where the tests find it."""
    for repo in corpus_candidates():
        if (repo / "docs").is_dir():
            return repo
    raise RuntimeError("no checkout of cncf/k8s-ai-conformance: set $K8S_AI_CONFORMANCE_REPO "
                       "or put it at ../shared/k8s-ai-conformance")


def go_available() -> bool:
    return shutil.which("go") is not None and (GOPATH / "src/gopkg.in/yaml.v3").is_dir()


def expected_file(rules: RuleSet) -> Path:
    return PARITY / f"expected-{rules.id}.json"


@dataclass
class Verdict:
    ci_valid: bool
    errors: list[str] = field(default_factory=list)  # in the order printed
    warnings: list[str] = field(default_factory=list)
    groups: list[list[str]] = field(default_factory=list)  # ours: per category, CI's order

    def to_json(self) -> dict[str, object]:
        """Lines sorted: Go iterates maps (metadata fields, categories) in random order."""
        return {"ciValid": self.ci_valid, "errors": sorted(self.errors),
                "warnings": sorted(self.warnings)}


def normalise(line: str) -> str:
    """What of a line is deterministic in Go: the invalid-status choices are a map's keys, an
    unparseable artifact is reported under whichever citing requirement Go reaches first, and a
    YAML loader's error text is yaml.v3's own."""
    if line.startswith("Error loading product:"):
        return UNLOADABLE
    line = _STATUS_CHOICES.sub("", line)
    return _ARTIFACT_OWNER.sub("Invalid test artifact for '*'", line)


def validator_source(rules: RuleSet, checkout: Path) -> Path:
    """The checkout's file whose content is this revision, or a clear error."""
    for path in (checkout / "scripts/validate.go",
                 checkout / f"scripts/validate-{rules.id}.go.txt"):
        if path.is_file() and file_digest(path) == rules.sha256:
            return path
    raise RuntimeError(f"no file with sha256 {rules.sha256} (validator {rules.id}) in "
                       f"{checkout}/scripts: CI's validator changed? add a rule set")


def go_env(build_dir: Path) -> dict[str, str]:
    cache = os.environ.get("GOCACHE") or str(Path(tempfile.gettempdir()) / "k8s-ai-evidence-go")
    return {**os.environ, "GO111MODULE": "off", "GOPATH": str(GOPATH), "GOPROXY": "off",
            "GOFLAGS": "", "CGO_ENABLED": "0", "GOTOOLCHAIN": "local", "GOCACHE": cache,
            "HOME": os.environ.get("HOME", str(build_dir))}


def build_validator(rules: RuleSet, checkout: Path, build_dir: Path) -> Path:
    """validate.go of this revision plus our stub, built offline into build_dir/validate."""
    folder = build_dir / rules.id
    folder.mkdir(parents=True)
    shutil.copyfile(validator_source(rules, checkout), folder / "validate.go")
    shutil.copyfile(STUB, folder / STUB.name)
    built = subprocess.run(["go", "build", "-tags", "validate", "-o", "validate", "validate.go",
                            STUB.name], cwd=folder, env=go_env(build_dir), capture_output=True,
                           text=True, timeout=300)
    if built.returncode != 0:
        raise RuntimeError(f"go build of validator {rules.id} failed:\n{built.stderr}")
    return folder / "validate"


def run_validator(binary: Path, root: Path, products: list[str]) -> dict[str, Verdict]:
    """Run it from the checkout root as CI does (paths relative to it); parse what it prints."""
    proc = subprocess.run([str(binary), *products], cwd=root, capture_output=True, timeout=120)
    verdicts: dict[str, Verdict] = {}
    current: Verdict | None = None
    last: list[str] | None = None
    for line in proc.stdout.decode("utf-8", "replace").split("\n"):
        if (match := re.fullmatch(r"Validating (.*)\.\.\.", line)) and match.group(1) in products:
            current = verdicts[match.group(1)] = Verdict(ci_valid=False)
            last = None
        elif current is None or line in ("Validation failed:", ""):
            continue
        elif line.startswith("Validation successful"):
            current.ci_valid = True
        elif line.startswith("::warning file="):
            current.warnings.append(line.split("::", 2)[2])
            last = current.warnings
        elif line.startswith(("  - ", "Error")):
            current.errors.append(line.removeprefix("  - "))
            last = current.errors
        elif last:
            last[-1] += "\n" + line  # a multi-line message (e.g. yaml.v3's unmarshal errors)
    for verdict in verdicts.values():
        verdict.errors = [normalise(line) for line in verdict.errors]
        verdict.warnings = [normalise(line) for line in verdict.warnings]
    return verdicts


def ci_verdict(report: SubmissionReport, rules: RuleSet, category_of: dict[str, str]
               ) -> Verdict:
    """Our review's CI lines, normalised as the validator's are, with the lines of each
    checklist category in the order Go prints them (it walks a category's list in order)."""
    ci = [f for f in report.findings if f.ci is not None and f.rule in RULES
          and RULES[f.rule].kind in ("ci", "ci-warning")]
    if any(f.rule == "ci-unloadable" for f in ci):
        return Verdict(False, [UNLOADABLE])
    groups: dict[tuple[str, str], list[str]] = {}
    for finding in ci:
        if finding.requirement and finding.rule not in _UNORDERED and not (
            rules.concurrent_file_checks and finding.rule == "ci-evidence-file-missing"
        ):
            category = category_of.get(finding.requirement, finding.requirement)
            groups.setdefault((category, finding.severity), []).append(
                normalise(finding.ci or ""))
    return Verdict(report.ci_valid,
                   [normalise(f.ci or "") for f in ci if f.severity == "error"],
                   [normalise(f.ci or "") for f in ci if f.severity == "warning"],
                   list(groups.values()))


_MIB16 = 16 * 1024 * 1024  # the validator's line buffer
_PASS = b"--- PASS: TestGangScheduling (1.00s)\n"
_JSON = b'{"Action":"pass","Test":"TestGangScheduling"}\n'
GENERATED = {  # artifacts too big to commit: (head, filler byte, filler length, tail)
    "v1.37/e2e_log_long_line_fits/e2e.log": (_PASS, b"x", _MIB16 - 1, b"\n"),
    "v1.37/e2e_log_long_line_too_long/e2e.log": (_PASS, b"x", _MIB16, b"\n"),
    "v1.37/e2e_log_long_line_last_full/e2e.log": (_PASS, b"x", _MIB16, b""),
    "v1.37/results_json_long_line/results.json": (_JSON, b" ", _MIB16, b"\n"),
}


def _write_generated(path: Path, head: bytes, filler: bytes, length: int, tail: bytes) -> None:
    """Written in 1 MiB blocks, never held in memory whole."""
    with path.open("wb") as handle:
        handle.write(head)
        for start in range(0, length, 1 << 20):
            handle.write(filler * min(1 << 20, length - start))
        handle.write(tail)


def lay_out_cases(root: Path, checkout: Path) -> list[str]:
    """The parity cases as a checkout: returns the PRODUCT.yaml paths relative to ``root``."""
    shutil.copytree(checkout / "docs", root / "docs")
    for case in sorted((PARITY / "cases").glob("*.yaml")):
        folder = root / "v1.34" / case.stem
        (folder / "subdir").mkdir(parents=True)
        shutil.copyfile(case, folder / "PRODUCT.yaml")
        (folder / "present.md").write_text("hi\n")
        (folder / "link.md").symlink_to("present.md")
        (folder / "broken.md").symlink_to("nowhere.md")
    shutil.copytree(PARITY / "checkout", root, symlinks=True, dirs_exist_ok=True)
    for name, spec in GENERATED.items():
        _write_generated(root / name, *spec)
    return products_under(root)


def products_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.glob("v*/*/PRODUCT.yaml"))


def review_verdicts(root: Path, rules: RuleSet) -> dict[str, Verdict]:
    categories: dict[str | None, dict[str, str]] = {}
    for path in (root / "docs").glob("AIConformance-*.yaml"):
        version = path.stem.removeprefix("AIConformance-")
        checklist = Checklist.load(path, version, source=str(path))
        categories[f"v{version}"] = {r.id: r.category for r in checklist.requirements}
    return {r.display_path or "": ci_verdict(r, rules, categories.get(r.kubernetes_version, {}))
            for r in review_paths([root], rules=rules)}


@dataclass
class Comparison:
    """Both sides for one revision and one checkout."""

    validator: dict[str, Verdict]
    review: dict[str, Verdict]

    def differences(self) -> dict[str, tuple[dict[str, object], dict[str, object]]]:
        """Verdicts or lines that differ, and lines of one requirement in another order."""
        return {path: (go.to_json(), self.review[path].to_json() if path in self.review else {})
                for path, go in self.validator.items()
                if path not in self.review or go.to_json() != self.review[path].to_json()
                or not _same_order(go, self.review[path])}


def _same_order(go: Verdict, ours: Verdict) -> bool:
    """Within one checklist category Go's order is fixed: ours must be the same."""
    printed = go.errors + go.warnings
    return all([line for line in printed if line in group] == group for group in ours.groups)


def compare(binary: Path, root: Path, products: list[str], rules: RuleSet) -> Comparison:
    return Comparison(run_validator(binary, root, products), review_verdicts(root, rules))


def run_all(build_dir: Path, revisions: Iterable[RuleSet], checkout: Path
            ) -> dict[str, dict[str, Comparison]]:
    """Per revision: the comparison on the checkout's submissions and on the parity cases."""
    cases_root = build_dir / "cases-checkout"
    case_products = lay_out_cases(cases_root, checkout)
    result = {}
    for rules in revisions:
        binary = build_validator(rules, checkout, build_dir)
        result[rules.id] = {
            "corpus": compare(binary, checkout, products_under(checkout), rules),
            "cases": compare(binary, cases_root, case_products, rules),
        }
    return result


def _about(rules: RuleSet) -> str:
    go = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.split()
    return (f"Verdicts of CNCF's validator {rules.id} (sha256 {rules.sha256[:12]}; built by "
            f"tests/parity/harness.py with {go[2] if len(go) > 2 else 'go'} and Debian's yaml.v3, "
            "network calls stubbed by tests/parity/offline_stub.go) on the real submissions of "
            "../shared/k8s-ai-conformance ('corpus', run from its root) and on the parity cases "
            "('cases': cases/*.yaml as v1.34/<case>/PRODUCT.yaml beside present.md, subdir/, "
            "link.md -> present.md, broken.md -> nowhere.md; checkout/ as it is). Lines are "
            "sorted (Go iterates maps in random order) and normalised: 'UNLOADABLE' for any "
            "'Error loading product', invalid-status lines cut before 'Must be one of', the "
            "requirement of 'Invalid test artifact for' as '*'. Regenerate: "
            ".venv/bin/python -m tests.parity.harness")


def main(argv: list[str]) -> int:
    check = "--check" in argv
    if not go_available():
        print("needs go and golang-gopkg-yaml.v3-dev (apt-get install golang-go "
              "golang-gopkg-yaml.v3-dev)", file=sys.stderr)
        return 3
    with tempfile.TemporaryDirectory(prefix="k8s-ai-evidence-parity-") as scratch:
        results = run_all(Path(scratch), RULE_SETS.values(), shared_checkout())
    failed = False
    for rules in RULE_SETS.values():
        sides = results[rules.id]
        for name, comparison in sides.items():
            for path, (go, ours) in comparison.differences().items():
                failed = True
                print(f"{rules.id} {name} {path}:\n  validator {go}\n  review    {ours}")
        if not check:
            data = {"_about": _about(rules), "ruleSet": rules.id, "sha256": rules.sha256,
                    **{name: {path: verdict.to_json() for path, verdict
                              in sorted(comparison.validator.items())}
                       for name, comparison in sides.items()}}
            expected_file(rules).write_text(json.dumps(data, indent=1, ensure_ascii=False)
                                            + "\n")
            print(f"wrote {expected_file(rules).relative_to(PROJECT)}")
    return 1 if failed and check else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
