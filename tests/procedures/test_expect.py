"""The small expectation vocabulary and the named builtin checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.procedures.builtins import api_served, pods_bound
from generator.procedures.expect import evaluate
from generator.procedures.model import Expect


def _judge(tmp_path: Path, expect: dict, stdout: str, code: int | None = 0, stderr: str = "",
           **params: str):
    (tmp_path / "o").write_text(stdout)
    (tmp_path / "e").write_text(stderr)
    return evaluate(Expect.from_data(expect), params, code, False, tmp_path / "o",
                    tmp_path / "e", "test")


@pytest.mark.parametrize(("expect", "stdout", "code", "ok"), [
    ({}, "", 0, True),
    ({}, "", 1, False),
    ({"exitCode": "nonzero"}, "", 1, True),
    ({"exitCode": "any"}, "", 2, True),
    ({"equals": "Pending"}, "Pending\n", 0, True),
    ({"equals": "Pending"}, "Running", 0, False),
    ({"regex": "condition met"}, "pod/x condition met\n", 0, True),
    ({"notRegex": "Error"}, "Error from server (NotFound)", 0, False),
    ({"count": {"regex": "^GPU [0-9]+: ", "equals": 1}}, "GPU 0: NVIDIA L4\nGPU 1: L4\n", 0,
     False),
    ({"count": {"regex": "^GPU", "min": "${n}"}}, "GPU 0\nGPU 1\n", 0, True),
])
def test_vocabulary(tmp_path: Path, expect: dict, stdout: str, code: int, ok: bool) -> None:
    assert _judge(tmp_path, expect, stdout, code, n="2").ok is ok


def test_timeout_and_not_run(tmp_path: Path) -> None:
    (tmp_path / "o").write_text("")
    verdict = evaluate(Expect(), {}, None, True, tmp_path / "o", tmp_path / "o", "t")
    assert not verdict.ok and "timed out" in verdict.message
    assert not _judge(tmp_path, {}, "", None).ok


def test_api_served_ga_beta_and_absent() -> None:
    args = {"group": "resource.k8s.io", "ga": "v1"}
    assert api_served("apps/v1\nresource.k8s.io/v1\nresource.k8s.io/v1beta1\n", args).limit is None
    beta = api_served("apps/v1\nresource.k8s.io/v1beta1\n", args)
    assert beta.ok and beta.limit == "Partially Implemented"
    assert not api_served("apps/v1\nv1\n", args).ok


def _pods(*nodes: str | None) -> str:
    return json.dumps({"items": [{"metadata": {"name": f"p{i}"}, "spec": {"nodeName": n}}
                                 for i, n in enumerate(nodes)]})


def test_pods_bound_all_or_nothing() -> None:
    assert pods_bound(_pods("a", "b"), {"min": "2", "max": "2"}).ok
    partial = pods_bound(_pods("a", None), {"max": 0})
    assert not partial.ok and "1 of 2 pods bound" in partial.message
    assert pods_bound(_pods(None, None), {"max": 0}).ok
    assert not pods_bound("error: not json", {"max": 0}).ok


# kubectl api-resources (kubernetes/kubectl pkg/cmd/apiresources) prints what it discovered,
# then exits 1 with the client-go ErrGroupDiscoveryFailed text prefixed by cmdutil.CheckErr.
API_RESOURCES = "NAME             SHORTNAMES   APIVERSION           NAMESPACED   KIND\n" \
    "resourceslices                resource.k8s.io/v1   false        ResourceSlice\n"
DISCOVERY_ERROR = ("error: unable to retrieve the complete list of server APIs: "
                   "metrics.k8s.io/v1beta1: the server is currently unable to handle the request\n")
TOLERATE = {"exitCode": 1,
            "stderr": "^error: unable to retrieve the complete list of server APIs: "}


def test_tolerated_partial_failure_is_judged_by_output_and_names_the_apiservice(
        tmp_path: Path) -> None:
    expect = {"regex": "^resourceslices\\s", "tolerate": TOLERATE}
    verdict = _judge(tmp_path, expect, API_RESOURCES, 1, DISCOVERY_ERROR)
    assert verdict.ok
    assert "metrics.k8s.io/v1beta1: the server is currently unable" in verdict.message
    missing = _judge(tmp_path, {"regex": "^deviceclasses\\s", "tolerate": TOLERATE},
                     API_RESOURCES, 1, DISCOVERY_ERROR)
    assert not missing.ok and "metrics.k8s.io/v1beta1" in missing.message
    # any other error, or another exit code, is still a failure
    assert not _judge(tmp_path, expect, API_RESOURCES, 1, "error: You must be logged in\n").ok
    assert not _judge(tmp_path, expect, API_RESOURCES, 2, DISCOVERY_ERROR).ok
    assert not _judge(tmp_path, {"regex": "^resourceslices\\s"}, API_RESOURCES, 1,
                      DISCOVERY_ERROR).ok


@pytest.mark.parametrize(("code", "stdout", "stderr"), [
    (127, "", "command terminated with exit code 127\n"),
    (126, "", "command terminated with exit code 126\n"),
    (0, "sh: 1: nvidia-smi: not found\n", ""),
    (0, "", "bash: line 1: nvidia-smi: command not found\n"),
    (1, "", 'error: Internal error occurred: error executing command in container: failed to exec '
            'in container: exec: "nvidia-smi": executable file not found in $PATH: unknown\n'),
])
@pytest.mark.parametrize("expect", [
    {}, {"exitCode": "nonzero"}, {"exitCode": "any"}, {"exitCode": "any", "notRegex": "GPU"},
    {"exitCode": "any", "count": {"regex": "^GPU", "equals": 0}}, {"stream": "stderr",
                                                                   "regex": "not found"},
])
def test_a_missing_probe_never_passes(tmp_path: Path, code: int, stdout: str, stderr: str,
                                      expect: dict) -> None:
    verdict = _judge(tmp_path, expect, stdout, code, stderr)
    assert not verdict.ok and "proves nothing" in verdict.message


def test_a_kubectl_not_found_answer_is_not_a_missing_probe(tmp_path: Path) -> None:
    stderr = 'Error from server (NotFound): pods "x" not found\n'
    assert _judge(tmp_path, {"exitCode": 1, "stream": "stderr", "regex": "NotFound"}, "", 1,
                  stderr).ok
