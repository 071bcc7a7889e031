"""The live path end to end: ``collect --record`` with a real kubectl against a fake API server.

Everything else tests collection by replay; this is the one test where preflight, the engine's
namespace setup and cleanup, a procedure's kubectl commands and the ``kubernetes``-client probe
talk to something that answers (tests/collect/fakeapi.py, loopback only), and where the
recorded session is then replayed with the server gone.
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.collect.session import Session
from generator.procedures.loader import PROCEDURES_ENV
from tests.collect.conftest import make_workspace
from tests.collect.fakeapi import KUBE_SYSTEM_UID, FakeApiServer, self_signed

ROOT = Path(__file__).resolve().parent.parent.parent
PROCEDURES = ROOT / "tests" / "data" / "procedures-live"
TOKEN = "fake-bearer-token-7Hq2ZxW9"
KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster: {{server: "{server}", certificate-authority-data: {ca}}}
contexts:
- name: fake-context
  context: {{cluster: fake, user: tester}}
current-context: fake-context
users:
- name: tester
  user: {{token: {token}}}
"""

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed"),
    pytest.mark.skipif(not shutil.which("openssl"),
                       reason="openssl is needed for the fake API server's certificate"),
]


def _statuses(workspace: Path) -> dict[str, str]:
    result = json.loads((workspace / "evidence" / "v1.35" / "dra_support" / "result.json")
                        .read_text())
    return {"requirement": result["status"], **{c["id"]: c["status"] for c in result["checks"]}}


def _files_with(root: Path, text: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and text in p.read_text(errors="replace")]


def test_live_collect_records_then_replays_without_the_server(run_cli, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    env = {PROCEDURES_ENV: str(PROCEDURES)}
    live, session = tmp_path / "live", tmp_path / "session.yaml"
    make_workspace(live, dra_support={})
    with FakeApiServer(cert, key) as api:
        kubeconfig = tmp_path / "kubeconfig"
        kubeconfig.write_text(KUBECONFIG.format(
            server=api.url, ca=base64.b64encode(cert.read_bytes()).decode(), token=TOKEN))
        result = run_cli("collect", "--workspace", live, "--kubeconfig", kubeconfig,
                         "--record", session, env=env, timeout=40)
    assert result.exit_code == 0, result.stderr

    statuses = _statuses(live)
    assert statuses == {"requirement": "passed", "namespace": "passed", "nodes-listed": "passed",
                        "missing-node-not-found": "passed", "cleanup": "passed"}
    evidence = live / "evidence" / "v1.35"
    transcript = [json.loads(line) for line in
                  (evidence / "dra_support" / "transcript.jsonl").read_text().splitlines()]
    by_step = {entry["step"]: entry for entry in transcript}
    assert by_step["get-nodes"]["stdout"]["head"] == "node/cpu-node\nnode/gpu-node\n"
    assert by_step["get-missing"]["exitCode"] == 1
    assert 'Error from server (NotFound): nodes "does-not-exist" not found' in (
        by_step["get-missing"]["stderr"]["head"])
    assert by_step["create"]["stdout"]["head"].startswith("namespace/aic-dra-support-")

    run: dict[str, Any] = json.loads((evidence / "run.json").read_text())
    assert run["mode"] == "live" and run["context"] == "fake-context"
    assert run["kubectl"]["server"] == "v1.35.0" and run["kubectl"]["client"].startswith("v1.")
    assert "probeError" not in run, run.get("probeError")
    assert run["cluster"] == {"kubeSystemUid": KUBE_SYSTEM_UID}
    nodes = {n["name"]: n for n in run["nodes"]}
    assert nodes["gpu-node"]["accelerators"] == {"nvidia.com/gpu": "4"}
    assert nodes["cpu-node"]["accelerators"] == {}
    assert nodes["gpu-node"]["kubeletVersion"] == "v1.35.0"
    assert run["dra"]["servedVersions"] == ["v1"]
    assert run["dra"]["deviceClasses"] == ["gpu.nvidia.com"]
    assert run["dra"]["resourceSlices"][0]["devices"] == 4

    recorded = Session.load(session)  # schema-validated
    assert recorded.probe["nodes"] == run["nodes"]
    assert {e["scope"] for e in recorded.exchanges} == {"preflight", "dra_support"}

    # Every request carried the kubeconfig's token; none of the evidence or the session does.
    assert api.requests and {r.token for r in api.requests} == {TOKEN}
    assert _files_with(live, TOKEN) == [] and TOKEN not in session.read_text()
    # nor the collector's local paths: the transcript names plain kubectl, no --kubeconfig
    assert _files_with(live / "evidence", str(kubeconfig)) == []
    assert all(e["command"][0] == "kubectl" for e in by_step.values())
    namespace = by_step["create"]["stdout"]["head"].split()[0].removeprefix("namespace/")
    seen = {(r.method, r.path) for r in api.requests}
    assert {("GET", "/version"), ("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"),
            ("POST", "/api/v1/namespaces"), ("GET", "/api/v1/nodes/does-not-exist"),
            ("DELETE", f"/api/v1/namespaces/{namespace}"),
            ("GET", "/apis/resource.k8s.io/v1/deviceclasses"),
            ("GET", "/apis/resource.k8s.io/v1/resourceslices"),
            ("GET", "/api/v1/namespaces/kube-system")} <= seen
    assert list(api.namespaces) == ["kube-system"]  # the cleanup deleted what the setup created

    replayed = tmp_path / "replayed"
    make_workspace(replayed, dra_support={})
    result = run_cli("collect", "--workspace", replayed, "--replay", session, env=env)
    assert result.exit_code == 0, result.stderr
    assert _statuses(replayed) == statuses
    again = json.loads((replayed / "evidence" / "v1.35" / "run.json").read_text())
    assert again["mode"] == "replay" and again["nodes"] == run["nodes"]
    assert again["dra"] == run["dra"] and again["kubectl"] == run["kubectl"]
