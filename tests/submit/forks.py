"""Real git repositories laid out like cncf/k8s-ai-conformance, and build output beside them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import git
import yaml

from tests.review.builders import checkout, product


def make_fork(root: Path, version: str = "1.34") -> git.Repo:
    """A fork with the checklist, another vendor's submission and two commits, on main."""
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Vendor Engineer")
        config.set_value("user", "email", "engineer@vendor.example")
        config.set_value("commit", "gpgsign", "false")
    (root / "README.md").write_text("# k8s-ai-conformance\n")
    checkout(root, product(version, vendorName="Other Corp", platformName="Other Platform"),
             version, name="other")
    repo.git.add("-A")
    repo.git.commit("-m", "Initial checklist and the other vendor's submission")
    (root / "faq.md").write_text("FAQ\n")
    repo.git.add("faq.md")
    repo.git.commit("-m", "FAQ")
    return repo


def make_build(out: Path, doc: dict[str, Any] | None = None, version: str = "1.34",
               name: str = "fp") -> Path:
    """What build writes: OUT/submission/vX.Y/<dir>/PRODUCT.yaml plus an in-PR evidence file."""
    folder = out / "submission" / f"v{version}" / name
    folder.mkdir(parents=True, exist_ok=True)
    doc = doc or product(version)
    (folder / "dra_support").mkdir(exist_ok=True)
    (folder / "dra_support" / "result.json").write_text('{"status": "passed"}\n')
    for items in doc["spec"].values():
        for item in items:
            if item["id"] == "dra_support":
                item["evidence"] = [*item["evidence"], "dra_support/result.json"]
    (folder / "PRODUCT.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, width=1000))
    return folder


def state(repo: git.Repo) -> tuple:
    """Everything a refusal must leave alone."""
    return (repo.head.commit.hexsha, repo.active_branch.name if not repo.head.is_detached else
            None, sorted(h.name for h in repo.heads), repo.git.status("--porcelain"))
