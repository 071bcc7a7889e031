"""disaggregated_inference replayed: one request traced through a prefill and a decode pod; a
deployment missing a role, aggregated serving, or a search that matches anything fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.collect.session import Session
from generator.procedures import load_procedure
from tests.collect.conftest import SESSIONS, override
from tests.procedures.replaying import assert_failed_by, dry_run, reason, replay, statuses

SCOPE = "disaggregated_inference"
NO_PODS = {"stdout": "", "stderr": "No resources found in llm-d-pd namespace.\n"}
PREFILL_ONLY = 'ms-pd-0\t{"llm-d.ai/role":"prefill"}\n'


def _session() -> Session:
    return Session.load(SESSIONS / f"{SCOPE}-pass.yaml")


def _run(tmp_path: Path, recorded: Session) -> dict[str, Any]:
    return replay(tmp_path, recorded, SCOPE, version="v1.36")


def _logs(role: str) -> str:
    """The recorded logs of one role, as the session holds them."""
    return next(e["stdout"] for e in _session().exchanges
                if e["argv"][1] == "logs" and f"llm-d.ai/role={role}" in e["argv"])


def test_only_in_the_1_36_checklist() -> None:
    assert load_procedure("1.36", SCOPE).variant == "request-id"
    assert load_procedure("1.36", SCOPE).parameters["requestIdHeader"] == "x-request-id"


def test_all_pass(tmp_path: Path) -> None:
    result = _run(tmp_path, _session())
    assert result["status"] == "passed", statuses(result)
    traced = reason(result, "request-traced-to-both")
    assert "logged by ms-pd-llm-d-modelservice-decode-7f6b9d8c4-q2w7x" in traced
    assert "is in none of" in reason(result, "unsent-id-in-no-log")


@pytest.mark.parametrize(("contains", "fields", "check", "why"), [
    ("role=prefill -o wide", NO_PODS, "roles-in-separate-pods", "0 lines match"),
    ("role=decode -o wide", NO_PODS, "roles-in-separate-pods", "0 lines match"),
    ("{.metadata.labels}", {"stdout": PREFILL_ONLY}, "roles-in-separate-pods",
     "a role has no pod (prefill: ms-pd-0; decode: none)"),
    ("curl", {"stdout": "no healthy upstream\n503\n"}, "request-answered", "no line matches"),
    ("role=prefill --all-containers", {"stdout": _logs("prefill").replace("cmpl-aic-", "cmpl-")},
     "request-traced-to-both", "prefill-logs: request id aic-"),
    ("role=decode --all-containers", {"stdout": ""}, "request-traced-to-both",
     "no log line from decode pods"),
    ("role=decode --all-containers", {"stdout": ""}, "unsent-id-in-no-log",
     "no log line from decode pods"),
    ("role=prefill --all-containers",
     {"stdout": _logs("prefill").replace("cmpl-aic-", "cmpl-aic-unsent-")},
     "unsent-id-in-no-log", "found in ms-pd-llm-d-modelservice-prefill-6d9f8c7b5-k8v2m"),
])
def test_each_broken_behaviour_fails(tmp_path: Path, contains: str, fields: dict[str, Any],
                                     check: str, why: str) -> None:
    result = _run(tmp_path, override(_session(), SCOPE, contains, **fields))
    assert_failed_by(result, check, why)


def test_dry_run_lists_the_checks_with_roles(run_cli, tmp_path: Path) -> None:
    plan = dry_run(run_cli, tmp_path, "v1.36", SCOPE)
    for line in ("[setup] roles-in-separate-pods", "[positive] request-traced-to-both",
                 "[negative] unsent-id-in-no-log", "-H 'x-request-id: aic-"):
        assert line in plan

