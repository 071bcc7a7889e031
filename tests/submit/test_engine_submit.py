"""submit on real git repositories: the exact commit made, and every refusal changing nothing."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from generator.errors import EnvironmentProblem, ExitCode, InputError, ToolError
from generator.productyaml.write import EXAMPLE_MARK
from generator.submit import Request, submit
from tests.review.builders import product, requirement
from tests.submit.forks import make_build, make_fork, state


@pytest.fixture
def fork(tmp_path: Path) -> git.Repo:
    return make_fork(tmp_path / "fork")


def _request(fork: git.Repo, source: Path, **options) -> Request:
    return Request(fork=Path(fork.working_tree_dir), source=source,
                   folder=options.pop("folder", "v1.34/fp"),
                   branch=options.pop("branch", "fp-v1.34"), **options)


def test_one_commit_on_a_new_branch_touching_only_the_folder(fork: git.Repo,
                                                             tmp_path: Path) -> None:
    source = make_build(tmp_path / "out")
    start = fork.head.commit
    outcome = submit(_request(fork, source))
    commit = fork.head.commit
    assert outcome.commit == commit.hexsha and fork.active_branch.name == "fp-v1.34"
    assert commit.parents == (start,) and fork.heads.main.commit == start
    assert sorted(commit.stats.files) == ["v1.34/fp/PRODUCT.yaml",
                                          "v1.34/fp/dra_support/result.json"]
    assert (commit.tree / "v1.34/fp/PRODUCT.yaml").data_stream.read() == \
        (source / "PRODUCT.yaml").read_bytes()
    assert commit.author.name == "Vendor Engineer"
    assert "Signed-off-by" not in commit.message
    assert commit.message.startswith("Add Fixture Platform 1.2.3 for Kubernetes AI Conformance")
    assert fork.git.status("--porcelain") == ""
    assert outcome.report.ci_valid and outcome.pushed is None


def test_sign_off_and_the_pull_request_text(fork: git.Repo, tmp_path: Path) -> None:
    doc = product(productLogoUrl="https://fixture.example.com/logo.png")  # lint, not CI
    del doc["metadata"]["repoUrl"]
    del doc["metadata"]["k8sConformanceUrl"]  # CI rejects this
    outcome = submit(_request(fork, make_build(tmp_path / "out", doc), sign_off=True,
                              allow_invalid=True))
    assert fork.head.commit.message.rstrip().endswith(
        "Signed-off-by: Vendor Engineer <engineer@vendor.example>")
    body = outcome.body
    assert "| `dra_support` | MUST | Implemented | 2 link(s) |" in body
    assert "| `gpu_sharing` | SHOULD | (not claimed) | 0 link(s) |" in body
    assert "- [ ] `v1.34/fp/PRODUCT.yaml` passes CNCF CI's offline checks" in body
    assert "- [x] Every MUST requirement is Implemented" in body
    assert "- [ ] productLogoUrl is a vector logo" in body and "logo.png" in body
    assert "(cannot tell: no repoUrl: add one if the product is open source)" in body
    assert "terms and conditions" in body and "only the vendor can confirm" in body


def test_update_of_the_same_product_removes_what_build_no_longer_makes(
        fork: git.Repo, tmp_path: Path) -> None:
    submit(_request(fork, make_build(tmp_path / "one")))
    folder = Path(fork.working_tree_dir) / "v1.34" / "fp"
    (folder / "old.log").write_text("stale\n")
    fork.git.add("-A")
    fork.git.commit("-m", "stale file")
    outcome = submit(_request(fork, make_build(tmp_path / "one"), branch="fp-v1.34-update"))
    assert "v1.34/fp/old.log" in outcome.change.removed
    assert set(fork.head.commit.stats.files) == {"v1.34/fp/old.log"}


def test_dry_run_shows_files_and_diff_and_changes_nothing(fork: git.Repo, tmp_path: Path
                                                          ) -> None:
    before = state(fork)
    outcome = submit(_request(fork, make_build(tmp_path / "out"), dry_run=True))
    assert state(fork) == before and outcome.commit is None
    assert outcome.change.paths == ["v1.34/fp/PRODUCT.yaml", "v1.34/fp/dra_support/result.json"]
    assert "--- /dev/null\n+++ b/v1.34/fp/PRODUCT.yaml\n" in outcome.diff
    assert outcome.report.ci_valid


def test_push_only_when_asked_to_a_real_remote(fork: git.Repo, tmp_path: Path) -> None:
    remote = git.Repo.init(tmp_path / "remote.git", bare=True)
    fork.create_remote("origin", str(tmp_path / "remote.git"))
    outcome = submit(_request(fork, make_build(tmp_path / "out"), push="origin"))
    assert remote.heads["fp-v1.34"].commit.hexsha == outcome.commit


def _refused(fork: git.Repo, request: Request, error: type[ToolError], words: str) -> None:
    before = state(fork)
    with pytest.raises(error) as raised:
        submit(request)
    assert words in str(raised.value)
    assert state(fork) == before


def test_refuses_what_cncf_ci_would_reject(fork: git.Repo, tmp_path: Path) -> None:
    doc = product()
    requirement(doc, "ai_inference")["status"] = "Partially Implemented"
    request = _request(fork, make_build(tmp_path / "out", doc))
    _refused(fork, request, ToolError, "CNCF CI would reject it")
    with pytest.raises(ToolError) as raised:
        submit(request)
    assert raised.value.exit_code == ExitCode.FAILED
    assert not (Path(fork.working_tree_dir) / "v1.34" / "fp").exists()


def test_refuses_another_products_folder(fork: git.Repo, tmp_path: Path) -> None:
    request = _request(fork, make_build(tmp_path / "out"), folder="v1.34/other")
    _refused(fork, request, InputError, "v1.34/other/PRODUCT.yaml belongs to another product")


def test_refuses_an_existing_branch_and_a_bad_name(fork: git.Repo, tmp_path: Path) -> None:
    source = make_build(tmp_path / "out")
    fork.create_head("fp-v1.34")
    _refused(fork, _request(fork, source), InputError, "already exists")
    _refused(fork, _request(fork, source, branch="bad..name"), InputError, "not a valid branch")


@pytest.mark.parametrize("dirt", ["modified", "staged", "untracked"])
def test_refuses_uncommitted_changes(fork: git.Repo, tmp_path: Path, dirt: str) -> None:
    root = Path(fork.working_tree_dir)
    if dirt == "untracked":
        (root / "notes.txt").write_text("mine\n")
    else:
        (root / "faq.md").write_text("edited\n")
        if dirt == "staged":
            fork.git.add("faq.md")
    _refused(fork, _request(fork, make_build(tmp_path / "out")), InputError,
             "uncommitted changes")


def test_refuses_mid_merge_and_mid_rebase(fork: git.Repo, tmp_path: Path) -> None:
    root = Path(fork.working_tree_dir)
    fork.git.checkout("-b", "side", "HEAD~1")
    (root / "faq.md").write_text("theirs\n")
    fork.git.add("faq.md")
    fork.git.commit("-m", "conflicting FAQ")
    fork.git.checkout("main")
    with pytest.raises(git.GitCommandError):
        fork.git.merge("side")
    source = make_build(tmp_path / "out")
    _refused(fork, _request(fork, source), InputError, "a merge is in progress")
    fork.git.merge("--abort")
    with pytest.raises(git.GitCommandError):
        fork.git.rebase("side")
    _refused(fork, _request(fork, source), InputError, "a rebase is in progress")


def test_refuses_what_is_not_a_checkout_of_the_program(tmp_path: Path) -> None:
    source = make_build(tmp_path / "out")
    plain = tmp_path / "plain"
    plain.mkdir()
    request = Request(fork=plain, source=source, folder="v1.34/fp", branch="b")
    with pytest.raises(InputError, match="no docs/AIConformance"):
        submit(request)
    (plain / "docs").mkdir()
    (plain / "docs" / "AIConformance-1.34.yaml").write_text("spec: {}\n")
    with pytest.raises(InputError, match="not a git repository"):
        submit(request)
    with pytest.raises(InputError, match="no such folder"):
        submit(Request(fork=tmp_path / "nope", source=source, folder="v1.34/fp", branch="b"))


def test_refuses_without_a_git_author(fork: git.Repo, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with fork.config_writer() as config:
        config.remove_section("user")
    monkeypatch.setenv("HOME", str(tmp_path))  # no global identity either
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    _refused(fork, _request(fork, make_build(tmp_path / "out")), EnvironmentProblem,
             "git has no author")


@pytest.mark.parametrize("folder", ["v1.34/../v1.34/other", "v1.34/a/b", "docs/fp", "v1.34/..",
                                    "v1.34/.git", "v1.34/", "../v1.34/other"])
def test_the_product_folder_is_one_plain_name_under_the_version(
        fork: git.Repo, tmp_path: Path, folder: str) -> None:
    request = _request(fork, make_build(tmp_path / "out"), folder=folder, allow_invalid=True)
    _refused(fork, request, InputError, "one plain folder name under the version folder")


@pytest.mark.parametrize("content", ["- a\n- b\n", "[" * 100_000 + "]" * 100_000, "\0binary",
                                     "metadata: [1, 2]\n", "a: b: c\n"])
def test_an_unreadable_product_in_the_fork_is_refused_in_one_line(
        fork: git.Repo, tmp_path: Path, content: str) -> None:
    folder = Path(fork.working_tree_dir) / "v1.34" / "fp"
    folder.mkdir()
    (folder / "PRODUCT.yaml").write_text(content)
    fork.git.add("-A")
    fork.git.commit("-m", "odd file")
    _refused(fork, _request(fork, make_build(tmp_path / "out")), InputError,
             "whose product it is cannot be told")


def test_a_folder_without_product_yaml_is_not_taken_over(fork: git.Repo, tmp_path: Path
                                                         ) -> None:
    folder = Path(fork.working_tree_dir) / "v1.34" / "fp"
    folder.mkdir()
    (folder / "README.md").write_text("someone else's notes\n")
    fork.git.add("-A")
    fork.git.commit("-m", "notes")
    _refused(fork, _request(fork, make_build(tmp_path / "out")), InputError,
             "holds files but no PRODUCT.yaml")


def test_a_folder_git_ignores_is_refused_before_anything_is_written(
        fork: git.Repo, tmp_path: Path) -> None:
    root = Path(fork.working_tree_dir)
    (root / ".gitignore").write_text("v1.34/fp/\n")
    fork.git.add("-A")
    fork.git.commit("-m", "ignore")
    _refused(fork, _request(fork, make_build(tmp_path / "out")), InputError,
             "ignored by the fork's .gitignore")
    assert not (root / "v1.34" / "fp").exists()


def test_a_build_of_the_example_is_never_submitted(fork: git.Repo, tmp_path: Path) -> None:
    source = make_build(tmp_path / "out")
    product_file = source / "PRODUCT.yaml"
    product_file.write_text(f"{EXAMPLE_MARK}\n{product_file.read_text()}")
    _refused(fork, _request(fork, source), InputError, "built from the example bundle")


@pytest.mark.parametrize(("status", "box"), [("N/A", "[x]"), ("Not Implemented", "[ ]")])
def test_the_must_item_follows_ci_on_the_conditional_must(fork: git.Repo, tmp_path: Path,
                                                          status: str, box: str) -> None:
    """CI accepts cluster_autoscaling N/A (with a warning), never Not Implemented."""
    doc = product()
    requirement(doc, "cluster_autoscaling").update(status=status, notes="Fixed-size clusters.")
    outcome = submit(_request(fork, make_build(tmp_path / "out", doc), allow_invalid=True))
    assert f"- {box} Every MUST requirement is Implemented" in outcome.body
