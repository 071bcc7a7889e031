"""Every rule id the review can report, with its one-line reason. Ids are a stable contract."""

from __future__ import annotations

CI_RULES = {
    "ci-unloadable": "CI cannot load the file (YAML syntax, duplicate keys, a wrong type such as "
                     "a string where a list is expected): it rejects the whole submission",
    "unreadable": "the file was not reviewed (over the size limit)",
    "ci-version-path": "the version cannot be read from the path vX.Y/<dir>/PRODUCT.yaml",
    "ci-checklist-missing": "the checkout has no docs/AIConformance-1.NN.yaml for that version",
    "ci-metadata-missing": "a required metadata field (or the metadata section) is missing",
    "ci-metadata-not-string": "a metadata value is not a YAML string (e.g. platformVersion: 1.0)",
    "ci-metadata-empty": "a required metadata field is empty",
    "ci-metadata-placeholder": "a metadata value is still a [placeholder]",
    "ci-k8s-conformance-url": "k8sConformanceUrl is not a cncf/k8s-conformance tree URL",
    "ci-logo-format": "productLogoUrl does not end in .svg, .eps or .ai",
    "ci-spec-missing": "the spec section is missing",
    "ci-category-missing": "a checklist category is missing from spec",
    "ci-requirement-missing": "a checklist requirement is missing from its category",
    "ci-status-invalid": "status is not Implemented, Not Implemented, Partially Implemented or N/A",
    "ci-must-not-implemented": "a MUST requirement is not Implemented",
    "ci-na-without-notes": "status N/A with empty notes",
    "ci-evidence-file-missing": "an evidence entry that is not an http(s) URL names no existing "
                                "file beside PRODUCT.yaml",
}

LINT_RULES = {
    "description-changed": "a requirement's description differs from the official checklist",
    "level-changed": "a requirement's level differs from the official checklist",
    "unknown-requirement": "an id that the checklist of this version does not have",
    "duplicate-requirement": "an id listed twice: CI silently uses the last one",
    "misplaced-requirement": "an id listed under another category than in the checklist",
    "must-without-evidence": "a MUST claimed Implemented with no evidence",
    "must-without-notes": "a MUST claimed Implemented with empty notes",
    "na-without-reason": "N/A whose notes give no reason",
    "documentation-only": "Implemented with only documentation as evidence: no executed "
                          "artifact (log, transcript, script, test result)",
    "unpinned-github-link": "a GitHub link on a branch, which moves, instead of a commit",
    "moving-docs-link": "a documentation link on a moving channel (/latest/, /next/, /head/)",
    "other-version-evidence": "evidence pointing at another Kubernetes version",
    "private-host": "evidence on a private or login-walled host (e.g. Google Docs)",
    "evidence-path-escapes": "a local evidence path leaving the product folder",
    "evidence-symlink": "a local evidence file that is a symbolic link",
    "logo-format": "productLogoUrl is not a vector file (SVG, AI, EPS) or CI cannot tell",
    "invalid-email": "contactEmailAddress is not an e-mail address",
    "invalid-url": "a metadata URL is not a valid http(s) URL",
    "version-mismatch": "metadata.kubernetesVersion does not match the vX.Y folder",
    "dra-beta": "dra_support claimed Implemented on v1.33, where the DRA APIs are beta",
    "dra-device-plugin-notes": "DRA notes describe a device plugin and no DRA object",
    "conditional-must-contradicted": "a conditional MUST marked Implemented while its notes say "
                                     "the capability is not provided",
    "conditional-must-na": "N/A on a conditional MUST: CI rejects it; the FAQ allows it only "
                           "with a reason why the context does not apply",
    "duplicate-notes": "notes identical to another submission's",
    "attestation": "who signed the submission folder's attestation and how old its run is "
                   "(info; a warning when unreadable or over a year old)",
}

ONLINE_RULES = {  # --online only: reported apart, never changing ciValid
    "online-url-unreachable": "CNCF CI cannot fetch a metadata or evidence URL (HEAD then GET, "
                              "status >= 400 other than 429, timeout, TLS): it rejects the file",
    "online-vendor-not-member": "vendorName matches no CNCF member in the landscape, exactly",
    "online-members-unavailable": "the CNCF member list could not be fetched: vendorName unchecked",
    "online-link-blocked": "a bot wall or WAF answered this tool (CI gets through): a reviewer "
                           "may not see the evidence",
    "online-anchor-missing": "the #anchor of an evidence link names no element of the page",
    "online-link-redirected": "the link redirects: evidence should point at its final address",
}

ALL_RULES = {**CI_RULES, **LINT_RULES, **ONLINE_RULES}
