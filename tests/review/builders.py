"""Build tiny checkouts of cncf/k8s-ai-conformance for review tests (made-up checklist text)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

REQUIREMENTS = [
    ("accelerators", "dra_support", "MUST", "Fixture: offer the DRA APIs."),
    ("accelerators", "gpu_sharing", "SHOULD", "Fixture: share one accelerator."),
    ("networking", "ai_inference", "MUST", "Fixture: route inference traffic."),
    ("schedulingOrchestration", "cluster_autoscaling", "MUST", "Fixture: add accelerator nodes."),
    ("schedulingOrchestration", "pod_autoscaling", "MUST", "Fixture: scale on custom metrics."),
]

EXECUTED = "https://github.com/example/evidence/blob/0123456789abcdef0123456789abcdef01234567/run.log"


def checklist(version: str) -> dict[str, Any]:
    spec: dict[str, list] = {}
    for category, rid, level, text in REQUIREMENTS:
        spec.setdefault(category, []).append(
            {"id": rid, "description": text, "level": level, "status": "", "evidence": [],
             "notes": ""})
    return {"metadata": {"kubernetesVersion": f"v{version}"}, "spec": spec}


def product(version: str = "1.34", **metadata: Any) -> dict[str, Any]:
    """A submission CI accepts, with executed, pinned evidence and specific notes."""
    doc = copy.deepcopy(checklist(version))
    doc["metadata"] = {
        "kubernetesVersion": f"v{version}", "platformName": "Fixture Platform",
        "platformVersion": "1.2.3", "vendorName": "Fixture Vendor",
        "websiteUrl": "https://fixture.example.com", "repoUrl": "https://github.com/example/fp",
        "documentationUrl": "https://fixture.example.com/docs",
        "productLogoUrl": "https://fixture.example.com/logo.svg",
        "description": "A fixture platform.", "contactEmailAddress": "team@fixture.example.com",
        "k8sConformanceUrl": f"https://github.com/cncf/k8s-conformance/tree/master/v{version}/fp",
        **metadata,
    }
    for items in doc["spec"].values():
        for item in items:
            if item["level"] == "MUST":
                item.update(status="Implemented", evidence=[EXECUTED],
                            notes=f"Verified {item['id']} with component X 1.0 on this platform.")
    return doc


def requirement(doc: dict[str, Any], rid: str) -> dict[str, Any]:
    return next(i for items in doc["spec"].values() for i in items if i["id"] == rid)


def checkout(root: Path, doc: dict[str, Any] | str, version: str = "1.34",
             name: str = "fp") -> Path:
    """Write docs/ and vX.Y/<name>/PRODUCT.yaml under ``root``; return the PRODUCT.yaml."""
    docs = root / "docs" / f"AIConformance-{version}.yaml"
    if not docs.exists():
        docs.parent.mkdir(parents=True, exist_ok=True)
        docs.write_text(yaml.safe_dump(checklist(version), sort_keys=False))
    target = root / f"v{version}" / name / "PRODUCT.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = doc if isinstance(doc, str) else yaml.safe_dump(doc, sort_keys=False, width=1000)
    target.write_text(text)
    return target
