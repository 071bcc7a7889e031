"""``init`` scaffolds a valid workspace, never overwriting anything."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.workspace import Workspace


def test_init_creates_a_valid_workspace_with_editor_schema(run_cli, tmp_path: Path) -> None:
    result = run_cli("init", tmp_path / "ws", "--kubernetes-version", "v1.35")
    assert result.exit_code == 0, result.stderr
    workspace = Workspace.load(tmp_path / "ws")
    assert workspace.tag == "v1.35"
    text = (tmp_path / "ws" / "platform.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=schemas/platform.schema.json")
    assert (tmp_path / "ws" / "schemas" / "platform.schema.json").is_file()
    assert not (tmp_path / "ws" / "mkdocs.yml").exists()  # build uses the tool's own
    assert workspace.requirement_config("gang_scheduling") == {"variant": "kueue"}
    assert (workspace.evidence_dir / "dra_support" / "notes.md").is_file()
    plan = run_cli("collect", "--workspace", tmp_path / "ws", "--dry-run")
    assert plan.exit_code == 0 and "kubectl api-versions" in plan.stdout


def test_init_never_overwrites(run_cli, tmp_path: Path) -> None:
    notes = tmp_path / "ws" / "evidence" / "v1.35" / "dra_support" / "notes.md"
    notes.parent.mkdir(parents=True)
    notes.write_text("mine")
    assert run_cli("init", tmp_path / "ws", "--kubernetes-version", "v1.35").exit_code == 0
    assert notes.read_text() == "mine"
    again = run_cli("init", tmp_path / "ws", "--kubernetes-version", "v1.35")
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_init_follows_the_versions_checklist(run_cli, tmp_path: Path,
                                             conformance_repo: Path) -> None:
    """1.36 inherits a dra_support procedure, but its checklist has no such requirement."""
    result = run_cli("init", tmp_path / "ws", "--kubernetes-version", "v1.36",
                     env={"K8S_AI_CONFORMANCE_REPO": str(conformance_repo)})
    assert result.exit_code == 0, result.stderr
    platform = yaml.safe_load((tmp_path / "ws" / "platform.yaml").read_text())
    assert "dra_support" not in platform["requirements"]
    assert "gang_scheduling" in platform["requirements"]


def test_a_version_without_procedures_names_the_option(run_cli, tmp_path: Path) -> None:
    result = run_cli("init", tmp_path / "ws", "--kubernetes-version", "v1.99")
    assert result.exit_code == 2
    assert "--kubernetes-version v1.99: no procedures for Kubernetes 1.99" in result.stderr
    assert not (tmp_path / "ws").exists()


def test_a_platform_yaml_that_is_a_dangling_link_is_not_replaced(run_cli, tmp_path: Path
                                                                 ) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "platform.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    result = run_cli("init", tmp_path / "ws", "--kubernetes-version", "v1.35")
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert (tmp_path / "ws" / "platform.yaml").is_symlink()


def test_init_below_a_file_is_bad_input(run_cli, tmp_path: Path) -> None:
    """DIR itself a file is click's one line; a file among its parents is ours (was exit 3)."""
    (tmp_path / "file").write_text("not a folder\n")
    result = run_cli("init", tmp_path / "file" / "ws", "--kubernetes-version", "v1.35")
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"k8s-ai-evidence: error: {tmp_path / 'file'}: not a "
                                     f"folder; init creates the workspace "
                                     f"{tmp_path / 'file' / 'ws'}")
