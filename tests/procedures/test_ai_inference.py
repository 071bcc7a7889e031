"""ai_inference replayed: traffic split, header routing, and each refusal failing when broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.procedures import load_procedure
from tests.collect.conftest import override
from tests.procedures.replaying import reason, replay, session, statuses

SCOPE = "ai_inference"


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_every_version_has_it(version: str) -> None:
    assert load_procedure(version, SCOPE).variant == "gateway-api"


def test_all_pass(tmp_path: Path) -> None:
    result = replay(tmp_path, session(SCOPE), SCOPE)
    assert result["status"] == "passed", statuses(result)
    assert "infer-v1: 161, infer-v2: 39" in reason(result, "weighted-split")


def _lines(*pods: str) -> str:
    return "".join(f"{pod} 200\n" for pod in pods)


@pytest.mark.parametrize(("contains", "stdout", "check", "why"), [
    ("seq 200", _lines(*["infer-v1-6f8d9c7b5d-k2x7p"] * 200), "weighted-split",
     "infer-v2 0% (weight 20%)"),
    ("llama-3.1-8b-lora", _lines(*["infer-v1-6f8d9c7b5d-k2x7p"] * 20), "header-routing",
     "answers not from infer-lora"),
    ("mistral-7b", _lines(*["infer-lora-7b9f6c5d8c-m4t8s"] * 20), "wrong-header-not-routed",
     "infer-lora-7b9f6c5d8c-m4t8s 200"),
    ("Host: unrouted", "200", "unmatched-refused", "expected '404'"),
])
def test_each_broken_behaviour_fails(tmp_path: Path, contains: str, stdout: str, check: str,
                                     why: str) -> None:
    broken = override(session(SCOPE), SCOPE, contains, stdout=stdout)
    result = replay(tmp_path, broken, SCOPE)
    assert result["status"] == "failed" and statuses(result)[check] == "failed"
    assert why in reason(result, check)


def test_gateway_not_answering_fails_the_split(tmp_path: Path) -> None:
    broken = override(session(SCOPE), SCOPE, "seq 200", exitCode=0,
                      stdout=" 000\n" * 200, stderr="curl: (28) Connection timed out after "
                      "5002 milliseconds\n" * 200)
    result = replay(tmp_path, broken, SCOPE)
    assert "(empty) 000: 200" in reason(result, "weighted-split")


def test_a_gateway_that_never_serves_the_route_stops_before_counting(tmp_path: Path) -> None:
    """Accepted is not serving: without a first 200 nothing is counted, and the wait is bounded."""
    broken = override(session(SCOPE), SCOPE, "-o /dev/null -w %{http_code} -H Host: infer",
                      exitCode=28, stdout="000", stderr="curl: (28) Connection timed out after "
                      "5002 milliseconds\n")
    result = replay(tmp_path, broken, SCOPE)
    assert statuses(result)["route-programmed"] == "failed"
    assert statuses(result)["weighted-split"] == "skipped"
