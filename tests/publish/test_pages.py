"""publish on real git repositories: new paths only, earlier ones intact, every refusal."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from generator.errors import InputError, ToolError
from generator.publish import publish
from tests.publish.repos import vendor_repo
from tests.submit.forks import make_fork, state


@pytest.fixture
def vendor(tmp_path: Path) -> git.Repo:
    return vendor_repo(tmp_path / "vendor")


def _site(root: Path, text: str = "v1") -> Path:
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(f"<h1>{text}</h1>")
    (root / "assets" / "review.css").write_text("body {}")
    return root


def _tree(commit: git.Commit, path: str) -> dict[str, str]:
    return {b.path: b.hexsha for b in (commit.tree / path).traverse() if b.type == "blob"}


def test_publishes_into_an_orphan_branch_and_keeps_earlier_paths(vendor: git.Repo,
                                                                 tmp_path: Path) -> None:
    root = Path(vendor.working_tree_dir)
    before = state(vendor)
    first = publish(root, _site(tmp_path / "one"), "gh-pages", "v1.35/2026-03-02")
    pages = vendor.heads["gh-pages"].commit
    assert first.commit == pages.hexsha and pages.parents == () and first.files == 2
    assert sorted(pages.stats.files) == [".nojekyll", "v1.35/2026-03-02/assets/review.css",
                                         "v1.35/2026-03-02/index.html"]
    assert state(vendor)[:2] == before[:2] and state(vendor)[3] == ""  # never switched
    assert len(vendor.git.worktree("list").splitlines()) == 1
    kept = _tree(pages, "v1.35/2026-03-02")
    second = publish(root, _site(tmp_path / "two", "v2"), "gh-pages", "/v1.35/2026-04-01/")
    latest = vendor.heads["gh-pages"].commit
    assert second.path == "v1.35/2026-04-01" and latest.parents == (pages,)
    assert _tree(latest, "v1.35/2026-03-02") == kept
    assert set(latest.stats.files) == {"v1.35/2026-04-01/assets/review.css",
                                       "v1.35/2026-04-01/index.html"}


def test_refuses_to_rewrite_a_published_path(vendor: git.Repo, tmp_path: Path) -> None:
    root = Path(vendor.working_tree_dir)
    publish(root, _site(tmp_path / "one"), "gh-pages", "v1.35/a")
    head = vendor.heads["gh-pages"].commit
    with pytest.raises(InputError, match="already published"):
        publish(root, _site(tmp_path / "two"), "gh-pages", "v1.35/a")
    assert vendor.heads["gh-pages"].commit == head


@pytest.mark.parametrize("path", ["../escape", "v1.35/../../x", "", "a b"])
def test_refuses_a_path_that_is_not_plain_folders(vendor: git.Repo, tmp_path: Path,
                                                  path: str) -> None:
    with pytest.raises(InputError, match="plain folder names"):
        publish(Path(vendor.working_tree_dir), _site(tmp_path / "s"), "gh-pages", path)


def test_refuses_dirty_tree_checked_out_branch_and_wrong_repositories(
        vendor: git.Repo, tmp_path: Path) -> None:
    root = Path(vendor.working_tree_dir)
    site = _site(tmp_path / "s")
    (root / "README.md").write_text("edited\n")
    with pytest.raises(InputError, match="uncommitted changes"):
        publish(root, site, "gh-pages", "v1")
    vendor.git.checkout("--", "README.md")
    with pytest.raises(InputError, match="main is checked out"):
        publish(root, site, "main", "v1")
    vendor.create_remote("origin", "git@github.com:someone-else/other.git")
    with pytest.raises(InputError, match=r"no remote is github\.com/vendor/evidence"):
        publish(root, site, "gh-pages", "v1", "https://vendor.github.io/evidence/")
    assert "gh-pages" not in vendor.heads
    vendor.create_remote("pages", "https://github.com/Vendor/evidence.git")
    assert publish(root, site, "gh-pages", "v1", "https://vendor.github.io/evidence/").commit
    fork = make_fork(tmp_path / "fork")
    with pytest.raises(InputError, match="checkout of cncf/k8s-ai-conformance"):
        publish(Path(fork.working_tree_dir), site, "gh-pages", "v1")
    with pytest.raises(InputError, match="no built site"):
        publish(root, tmp_path / "empty", "gh-pages", "v2")


def test_pushes_only_when_asked(vendor: git.Repo, tmp_path: Path) -> None:
    remote = git.Repo.init(tmp_path / "remote.git", bare=True)
    vendor.create_remote("origin", str(tmp_path / "remote.git"))
    root = Path(vendor.working_tree_dir)
    publish(root, _site(tmp_path / "one"), "gh-pages", "v1")
    assert "gh-pages" not in remote.heads
    result = publish(root, _site(tmp_path / "two"), "gh-pages", "v2", push="origin")
    assert remote.heads["gh-pages"].commit.hexsha == result.commit


def test_refuses_a_path_inside_a_published_site(vendor: git.Repo, tmp_path: Path) -> None:
    root = Path(vendor.working_tree_dir)
    publish(root, _site(tmp_path / "one"), "gh-pages", "v1.35/a")
    head = vendor.heads["gh-pages"].commit
    kept = _tree(head, "v1.35/a")
    with pytest.raises(InputError, match=r"inside gh-pages:v1\.35/a, a published site"):
        publish(root, _site(tmp_path / "two"), "gh-pages", "v1.35/a/inside")
    assert vendor.heads["gh-pages"].commit == head and _tree(head, "v1.35/a") == kept
    beside = publish(root, _site(tmp_path / "three"), "gh-pages", "v1.35/b")
    assert _tree(vendor.heads["gh-pages"].commit, "v1.35/a") == kept and beside.files == 2


@pytest.mark.parametrize("path", ["../x", "v1.35/../../x", "~/x", ".hidden", "a\\b", "a/ b"])
def test_refuses_paths_that_are_not_plain_folder_names(vendor: git.Repo, tmp_path: Path,
                                                       path: str) -> None:
    with pytest.raises(InputError, match="plain folder names"):
        publish(Path(vendor.working_tree_dir), _site(tmp_path / "one"), "gh-pages", path)


def test_publishes_from_a_repository_whose_head_holds_no_file(vendor: git.Repo,
                                                              tmp_path: Path) -> None:
    """A pages repository just created with an empty first commit: nothing to unstage."""
    vendor.git.rm("-q", "README.md")
    vendor.git.commit("-m", "empty")
    root = Path(vendor.working_tree_dir)
    result = publish(root, _site(tmp_path / "s"), "gh-pages", "v1.35/a")
    assert set(_tree(vendor.commit(result.commit), "v1.35/a")) == {
        "v1.35/a/index.html", "v1.35/a/assets/review.css"}


def test_a_pages_branch_checked_out_in_another_worktree_is_one_line(vendor: git.Repo,
                                                                    tmp_path: Path) -> None:
    root = Path(vendor.working_tree_dir)
    publish(root, _site(tmp_path / "one"), "gh-pages", "v1.35/a")
    vendor.git.worktree("add", str(tmp_path / "pages-checkout"), "gh-pages")
    with pytest.raises(ToolError, match=r"nothing published: fatal: 'gh-pages' is already "
                                        r"(checked out|used by worktree)"):
        publish(root, _site(tmp_path / "two"), "gh-pages", "v1.35/b")
    assert vendor.git.ls_tree("--name-only", "gh-pages", "v1.35/").split() == ["v1.35/a"]
