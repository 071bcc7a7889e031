"""The small expectation vocabulary and the named builtin checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.procedures.builtins import api_served, pods_bound
from generator.procedures.expect import evaluate
from generator.procedures.model import Expect


def _judge(tmp_path: Path, expect: dict, stdout: str, code: int | None = 0, **params: str):
    (tmp_path / "o").write_text(stdout)
    (tmp_path / "e").write_text("")
    return evaluate(Expect.from_data(expect), params, code, False, tmp_path / "o",
                    tmp_path / "e", "test")


@pytest.mark.parametrize(("expect", "stdout", "code", "ok"), [
    ({}, "", 0, True),
    ({}, "", 1, False),
    ({"exitCode": "nonzero"}, "", 127, True),
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
