"""Every rule id the tool can report, declared once: kind, one-line reason and, for CNCF CI's own
rules, the line(s) its validator prints. Ids are a stable contract; ``review --list-rules``
prints this registry, and ``revisions`` says which CI rules each validator revision has.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Literal

from generator.layout import E2E_LOG, JUNIT_XML, RESULTS_JSON

RuleKind = Literal["ci", "ci-warning", "lint", "online", "validate"]


@dataclass(frozen=True)
class Rule:
    id: str
    kind: RuleKind  # ci: CI fails the PR; ci-warning: CI prints ::warning; others are ours
    reason: str
    ci: tuple[str, ...] = field(default=())  # CI's line templates ({placeholders} filled in)

    def line(self, **fields: str) -> str:
        """CI's line for these fields: the template whose placeholders are exactly the fields."""
        for template in self.ci:
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            if names == set(fields):
                return template.format(**fields)
        raise KeyError(f"{self.id}: no CI line template takes {sorted(fields)}")


def _rules(kind: RuleKind, *items: tuple[str, str] | tuple[str, str, tuple[str, ...]]
           ) -> dict[str, Rule]:
    return {item[0]: Rule(item[0], kind, item[1], *item[2:]) for item in items}


_ARTIFACTS = f"{JUNIT_XML}, {RESULTS_JSON} or {E2E_LOG} (the exact name, any case)"

CI_RULES = _rules(
    "ci",
    ("ci-unloadable", "CI cannot load the file (YAML syntax, duplicate keys, a wrong type such "
     "as a string where a list is expected): it rejects the whole submission",
     ("Error loading product: yaml: {reason}",)),
    ("ci-version-path", "the version cannot be read from the path vX.Y/<dir>/PRODUCT.yaml",
     ("Error: Could not determine version from path {path}",)),
    ("ci-checklist-missing", "the checkout has no docs/AIConformance-1.NN.yaml for that version",
     ("Error: Schema not found at {schema}",)),
    ("ci-metadata-missing", "a required metadata field (or the metadata section) is missing",
     ("Missing 'metadata' section", "Missing metadata field: {field} (or {snake})")),
    ("ci-metadata-not-string", "a metadata value is not a YAML string (e.g. platformVersion: 1.0)",
     ("Metadata field {field} is not a string",)),
    ("ci-metadata-empty", "a required metadata field is empty",
     ("Metadata field {field} is empty",)),
    ("ci-metadata-placeholder", "a metadata value is still a [placeholder]",
     ("Metadata field {field} has placeholder value: {value}",)),
    ("ci-k8s-conformance-url", "k8sConformanceUrl is not a cncf/k8s-conformance tree URL",
     ("Invalid k8sConformanceUrl format: {value}. Expected format: "
      "https://github.com/cncf/k8s-conformance/tree/master/v{{version}}/{{product}}",)),
    ("ci-url-malformed", "a URL that Go's HTTP client rejects without any network: a metadata "
     "value starting with 'http' that is not http(s)://, or an http(s) URL without a host",
     ("Invalid URL in metadata {field}: {url} ({error})",
      "Invalid evidence URL for '{id}': {url} ({error})")),
    ("ci-spec-missing", "the spec section is missing", ("Missing 'spec' section",)),
    ("ci-category-missing", "a checklist category is missing from spec",
     ("Missing spec category: {category}",)),
    ("ci-requirement-missing", "a checklist requirement is missing from its category",
     ("Missing requirement '{id}' in category '{category}'",)),
    ("ci-status-invalid", "status is not Implemented, Not Implemented, Partially Implemented or "
     "N/A", ("Invalid status '{status}' for '{id}'. Must be one of [{statuses}]",)),
    ("ci-must-not-implemented", "a MUST requirement is not Implemented",
     ("Requirement '{id}' is MUST level but status is '{status}'. It must be 'Implemented'.",)),
    ("ci-conditional-must-status", "a conditional MUST (cluster_autoscaling) is neither "
     "Implemented nor N/A",
     ("Requirement '{id}' is MUST level but status is '{status}'. It must be 'Implemented', or "
      "'N/A' with a justification in notes.",)),
    ("ci-na-without-notes", "status N/A with empty notes (blank notes too, since hybrid "
     "verification)", ("Notes required for '{id}' when status is N/A",)),
    ("ci-evidence-file-missing", "an evidence entry that is not an http(s) URL names no existing "
     "file in the product folder",
     ("Invalid evidence file for '{id}': {link} (not found at {path})",)),
    ("ci-evidence-path-empty", "a file:// evidence link without a path (e.g. file://#Test)",
     ("Invalid evidence file for '{id}': {link} (empty file path)",)),
    ("ci-evidence-other-product", "a local evidence path starting with another vX.Y/<dir>/ "
     "than the submission's own folder",
     ("Invalid evidence file for '{id}': {link} (path {quoted} references a different product "
      "directory; evidence must live in {dir})",)),
    ("ci-evidence-path-escapes", "a local evidence path leaving the product folder (or naming "
     "the folder itself)",
     ("Invalid evidence file for '{id}': {link} (path {quoted} escapes the product directory "
      "{dir})",)),
    ("ci-artifact-invalid", f"a cited test artifact ({_ARTIFACTS}) cannot be parsed or holds no "
     "test result; a Ginkgo or Sonobuoy e2e.log has no '--- PASS:' lines, so it is invalid",
     ("Invalid test artifact for '{id}': {artifact} ({error})",)),
    ("ci-artifact-failing", "a cited test artifact records a failing test (or a package-level "
     "failure such as a build error)",
     ("Test artifact {artifact} contains failing tests: {tests}",)),
    ("ci-test-missing", "the test named by the #fragment, or the upstream test mapped to the "
     "requirement, is not in the cited artifact",
     ("Test '{test}' referenced by '{id}' was not found in {artifact}",)),
    ("ci-test-failed", "the referenced or mapped test failed in the cited artifact",
     ("Test '{test}' referenced by '{id}' failed in {artifact}",)),
    ("ci-test-skipped", "the referenced or mapped test was skipped but the requirement is "
     "Implemented",
     ("Requirement '{id}' is Implemented but test '{test}' was skipped in {artifact}",)),
)

CI_WARNING_RULES = _rules(
    "ci-warning",
    ("ci-conditional-must-na", "a conditional MUST (cluster_autoscaling) marked N/A: CI accepts "
     "it with a warning, a reviewer checks the justification in notes",
     ("Requirement '{id}' is MUST level and marked N/A; review the justification in notes",)),
    ("ci-artifact-recommended", "v1.37+: an Implemented requirement covered by the upstream "
     f"suite cites no test artifact ({_ARTIFACTS})",
     ("Requirement '{id}' is covered by automated test '{test}'; including test artifacts "
      "(e2e.log, junit.xml, or results.json) as evidence is recommended for v{version}+ "
      "submissions",)),
)

LINT_RULES = _rules(
    "lint",
    ("unreadable", "the file was not reviewed (over the size limit)"),
    ("description-changed", "a requirement's description differs from the official checklist"),
    ("level-changed", "a requirement's level differs from the official checklist"),
    ("unknown-requirement", "an id that the checklist of this version does not have"),
    ("duplicate-requirement", "an id listed twice: CI silently uses the last one"),
    ("misplaced-requirement", "an id listed under another category than in the checklist"),
    ("must-without-evidence", "a MUST claimed Implemented with no evidence"),
    ("must-without-notes", "a MUST claimed Implemented with empty notes"),
    ("na-without-reason", "N/A whose notes give no reason"),
    ("documentation-only", "Implemented with only documentation as evidence: no executed "
     "artifact (log, transcript, script, test result)"),
    ("unpinned-github-link", "a GitHub link on a branch, which moves, instead of a commit"),
    ("moving-docs-link", "a documentation link on a moving channel (/latest/, /next/, /head/)"),
    ("other-version-evidence", "evidence pointing at another Kubernetes version"),
    ("private-host", "evidence on a private or login-walled host (e.g. Google Docs)"),
    ("evidence-path-escapes", "a local evidence path leaving the product folder (CI rules "
     "before hybrid verification let it pass)"),
    ("evidence-symlink", "a local evidence file that is a symbolic link"),
    ("logo-format", "productLogoUrl is not a vector file (SVG, AI, EPS) as the instructions ask; "
     "no CI revision checks it"),
    ("invalid-email", "contactEmailAddress is not an e-mail address"),
    ("invalid-url", "a metadata URL is not a valid http(s) URL"),
    ("version-mismatch", "metadata.kubernetesVersion does not match the vX.Y folder"),
    ("dra-beta", "dra_support claimed Implemented on v1.33, where the DRA APIs are beta"),
    ("dra-device-plugin-notes", "DRA notes describe a device plugin and no DRA object"),
    ("conditional-must-contradicted", "a conditional MUST marked Implemented while its notes "
     "say the capability is not provided"),
    ("conditional-must-na", "N/A on a conditional MUST: the FAQ allows it only with a reason "
     "why the context does not apply"),
    ("duplicate-notes", "notes identical to another submission's"),
    ("attestation", "who signed the submission folder's attestation and how old its run is "
     "(info; a warning when unreadable or over a year old)"),
)

ONLINE_RULES = _rules(  # --online only: reported apart, never changing ciValid
    "online",
    ("online-url-unreachable", "CNCF CI cannot fetch a metadata or evidence URL (HEAD then GET, "
     "status >= 400 other than 429, timeout, TLS): it rejects the file"),
    ("online-vendor-not-member", "vendorName matches no CNCF member in the landscape, exactly"),
    ("online-members-unavailable", "the CNCF member list could not be fetched: vendorName "
     "unchecked"),
    ("online-link-blocked", "a bot wall or WAF answered this tool (CI gets through): a reviewer "
     "may not see the evidence"),
    ("online-anchor-missing", "the #anchor of an evidence link names no element of the page"),
    ("online-link-redirected", "the link redirects: evidence should point at its final address"),
)

VALIDATE_RULES = _rules(  # `validate` (generator/bundle/checks.py); review:<id> wraps the above
    "validate",
    ("schema", "an evidence file (run.json, result.json, transcript.jsonl) fails its schema"),
    ("version", "evidence collected for or against another Kubernetes version than the "
     "workspace"),
    ("not-covered", "a requirement neither collected nor declared in platform.yaml (an error "
     "for a MUST)"),
    ("procedure", "the requirement's procedure does not load with platform.yaml's variant and "
     "parameters"),
    ("stale", "evidence older than evidenceMaxAgeDays"),
    ("status", "a collected result's status differs from what its checks add up to"),
    ("integrity", "a captured output file is missing or its sha256 changed"),
    ("transcript", "a check's decisiveStep is not one of its transcript steps"),
    ("review:<rule>", "the would-be PRODUCT.yaml, reviewed as CI would: any rule above"),
)

RULES: dict[str, Rule] = {**CI_RULES, **CI_WARNING_RULES, **LINT_RULES, **ONLINE_RULES,
                          **VALIDATE_RULES}
ALL_RULES = {rule.id: rule.reason for rule in RULES.values()}
