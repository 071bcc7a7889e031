"""Preflight against a real kubectl and an unreachable API server; versions; permissions."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from generator.collect.preflight import can_i, preflight
from generator.collect.redact import Redactor
from generator.collect.session import ReplayRunner, Session
from generator.errors import EnvironmentProblem, InputError
from generator.procedures.loader import load_procedure
from tests.collect.conftest import EXAMPLE_SESSIONS, make_workspace, override

KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: closed
  cluster: {{server: "https://127.0.0.1:{port}"}}
contexts:
- name: closed
  context: {{cluster: closed, user: tester}}
current-context: closed
users:
- name: tester
  user: {{token: not-a-real-token-0123456789}}
"""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed")
def test_unreachable_api_server_exits_3_and_leaves_evidence_untouched(run_cli, tmp_path: Path
                                                                      ) -> None:
    workspace = make_workspace(tmp_path / "ws")
    previous = workspace.evidence_dir / "dra_support" / "result.json"
    previous.parent.mkdir(parents=True)
    previous.write_text('{"kept": true}')
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(KUBECONFIG.format(port=_closed_port()))
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--kubeconfig", kubeconfig)
    assert result.exit_code == 3, result.stderr
    assert "cannot reach the cluster at https://127.0.0.1:" in result.stderr
    assert "refused" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in workspace.evidence_dir.rglob("*")] == ["dra_support", "result.json"]
    assert previous.read_text() == '{"kept": true}'


def test_missing_kubectl_exits_3_naming_how_to_install(run_cli, tmp_path: Path) -> None:
    make_workspace(tmp_path / "ws")
    result = run_cli("collect", "--workspace", tmp_path / "ws", env={"PATH": str(tmp_path),
                                                                   "GIT_PYTHON_REFRESH": "quiet"})
    assert result.exit_code == 3
    assert "kubectl not found on PATH" in result.stderr and "kubernetes.io" in result.stderr


def _preflight(session: Session, version: str = "1.35") -> None:
    runner = ReplayRunner(session, "abc123", Redactor.from_workspace())
    preflight(runner, [], version)


def test_cluster_version_must_match_the_workspace() -> None:
    with pytest.raises(EnvironmentProblem, match=r"runs Kubernetes v1\.35\.0.*v1\.34"):
        _preflight(Session.load_all([EXAMPLE_SESSIONS]), "1.34")


def test_missing_permissions_are_named() -> None:
    session = override(Session.load_all([EXAMPLE_SESSIONS]), "preflight", "can-i delete namespaces",
                       exitCode=1, stdout="no\n")
    with pytest.raises(EnvironmentProblem, match=r"lack permissions.*delete namespaces"):
        _preflight(session)


def test_subresource_permissions_ask_with_subresource_not_a_resource_name() -> None:
    """kubectl auth can-i reads ``TYPE/NAME`` (kubernetes/kubectl pkg/cmd/auth/cani.go splits
    args[1] on "/" into resource and ResourceName): a subresource needs ``--subresource``."""
    assert can_i("create pods/exec") == ["auth", "can-i", "create", "pods", "--subresource=exec"]
    assert can_i("get pods/log") == ["auth", "can-i", "get", "pods", "--subresource=log"]
    assert can_i("list resourceslices.resource.k8s.io") == [
        "auth", "can-i", "list", "resourceslices.resource.k8s.io"]
    session = Session.load_all([EXAMPLE_SESSIONS])
    asked = [e["argv"] for e in session.exchanges if e["scope"] == "preflight"
             and e["argv"][1:3] == ["auth", "can-i"]]
    assert asked and not any("/" in word for argv in asked for word in argv[3:])


def test_a_required_parameter_left_unset_names_the_field_before_kubectl_runs(
        tmp_path: Path) -> None:
    library = tmp_path / "procedures" / "1.35" / "robust_controller"
    library.mkdir(parents=True)
    (library / "default.yaml").write_text(
        "title: t\nparameters: {webhookName: null, image: busybox}\n"
        "checks:\n- id: c\n  title: t\n  role: positive\n"
        "  steps:\n  - id: s\n    run: kubectl get validatingwebhookconfiguration ${webhookName}\n")
    root = tmp_path / "procedures"
    unset = load_procedure("1.35", "robust_controller", root=root)
    with pytest.raises(InputError, match=r"^platform\.yaml: requirements\.robust_controller\."
                                         r"parameters\.webhookName: required"):
        preflight(ReplayRunner(Session("v1.35"), "abc123", Redactor.from_workspace()),
                  [unset], "1.35")  # an empty session: nothing is asked before the error
    set_ = load_procedure("1.35", "robust_controller", root=root,
                          overrides={"webhookName": "kuberay-validating"})
    assert set_.parameters["webhookName"] == "kuberay-validating"
