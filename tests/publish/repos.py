"""A vendor's own code repository, as publish finds it: one commit, an author configured."""

from __future__ import annotations

from pathlib import Path

import git


def vendor_repo(folder: Path) -> git.Repo:
    repo = git.Repo.init(folder, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Vendor Engineer")
        config.set_value("user", "email", "engineer@vendor.example")
    (folder / "README.md").write_text("our product\n")
    repo.git.add("README.md")
    repo.git.commit("-m", "code")
    return repo
