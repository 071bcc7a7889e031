"""Every planted secret (tests/data/secrets/planted.yaml) is masked, alone, together, and
whatever the chunking of the stream; what evidence needs (names, digests, flags) is kept."""

from __future__ import annotations

import io
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.collect import stream
from generator.collect.redact import Redactor
from generator.collect.stream import StreamCapture

PLANTED = Path(__file__).resolve().parent.parent / "data" / "secrets" / "planted.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(PLANTED.read_text(encoding="utf-8"))
ALL_TEXT = "".join(case["text"] for case in CASES)
ALL_SECRETS = [secret for case in CASES for secret in case["secrets"]]
KEPT = """\
      volumes:
      - secret:
          secretName: db-credentials
      automountServiceAccountToken: false
      serviceAccountName: trainer
      maxTokens: 4096
      image: r.example/vllm@sha256:3b1e4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b
      tokenExpirationSeconds: 3600
      valueFrom:
        secretKeyRef: {name: hf, key: token}
    data:
      mode: enabled
      replicas: "3"
    nvidia.com/gpu: 8
    Bearer tokens are masked
"""


def leaked(text: str, secrets: list[str] = ALL_SECRETS) -> list[str]:
    return [secret for secret in secrets if secret in text]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_planted_secret_is_masked(case: dict[str, Any]) -> None:
    out = Redactor.from_workspace().text(case["text"])
    assert not leaked(out, case["secrets"]), out


def test_all_secrets_together_and_what_evidence_needs_is_kept() -> None:
    out = Redactor.from_workspace().text(ALL_TEXT + KEPT)
    assert not leaked(out)
    assert out.endswith(KEPT)


@pytest.mark.parametrize("piece", [1, 7, 64, 4096])
def test_secrets_across_read_boundaries_stay_masked(tmp_path: Path, piece: int) -> None:
    """A pipe read in fixed pieces may cut a line (and a secret) anywhere."""
    data = (ALL_TEXT + "x" * 70_000 + " token: plantedAfterLongLine\n" + KEPT).encode()
    capture = StreamCapture(tmp_path / "out.txt", "out.txt", Redactor.from_workspace())
    capture.feed_binary(_Pieces(data, piece))
    capture.close()
    out = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert not leaked(out, [*ALL_SECRETS, "plantedAfterLongLine"])
    assert out.endswith(KEPT)


def test_a_long_line_is_cut_between_tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    """A line longer than LINE_LIMIT is redacted in pieces, never parting a name and its value."""
    monkeypatch.setattr(stream, "LINE_LIMIT", 100)
    line = " ".join(c["text"].replace("\n", " ") for c in CASES[:12]) + "\n"
    for offset in range(0, 120, 7):
        capture = StreamCapture(tmp_path / "o.txt", "o.txt", Redactor.from_workspace())
        capture.feed_binary(_Pieces(("p" * offset + line).encode(), 64))
        capture.close()
        out = (tmp_path / "o.txt").read_text(encoding="utf-8")
        assert not leaked(out, [s for c in CASES[:12] for s in c["secrets"]]), offset


def test_an_unbroken_run_is_masked_in_bounded_memory(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "LINE_LIMIT", 1000)
    monkeypatch.setattr(stream, "TOKEN_LIMIT", 5000)
    data = b"head " + b"A" * 200_000 + b" tail\n" + b"word " * 400_000 + b"\n"
    capture = StreamCapture(tmp_path / "o.txt", "o.txt", Redactor.from_workspace())
    tracemalloc.start()
    capture.feed_binary(_Pieces(data, 4096))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    capture.close()
    out = (tmp_path / "o.txt").read_text(encoding="utf-8")
    assert out.startswith("head [REDACTED] tail\n") and out.endswith("word \n")
    assert peak < 1_000_000  # a 2 MB line is never held whole


def test_multibyte_characters_survive_any_cut(tmp_path: Path) -> None:
    text = "Grüße ✔ ünïcödé 日本語\n" * 5000
    capture = StreamCapture(tmp_path / "o.txt", "o.txt", Redactor.from_workspace())
    capture.feed_binary(_Pieces(text.encode(), 4093))
    capture.close()
    assert (tmp_path / "o.txt").read_text(encoding="utf-8") == text


def _Pieces(data: bytes, size: int) -> io.BufferedReader:
    """A pipe that returns at most ``size`` bytes per read, like a busy process."""
    return io.BufferedReader(_Raw(data, size), buffer_size=size)


class _Raw(io.RawIOBase):

    def __init__(self, data: bytes, size: int) -> None:
        self._data, self._size, self._at = data, size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data[self._at:self._at + min(self._size, len(buffer))]
        buffer[:len(chunk)] = chunk
        self._at += len(chunk)
        return len(chunk)


@pytest.mark.parametrize(("argv", "whole"), [
    (["kubectl", "get", "secret", "db", "-o", "jsonpath={.data.password}"], True),
    (["kubectl", "get", "secrets/db", "--output=go-template={{.data.token}}"], True),
    (["kubectl", "-n", "x", "get", "pods,secrets", "-ocustom-columns=K:.data"], True),
    (["kubectl", "get", "secret", "db", "-o", "yaml"], False),  # redacted by structure
    (["kubectl", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}"], False),
])
def test_bare_secret_values_are_masked_whole(argv: list[str], whole: bool) -> None:
    """``-o jsonpath`` of a Secret prints a bare value: no name or format tells it apart."""
    out = Redactor.from_workspace().for_command(argv).text("cGxhbnRlZEJhcmVWYWx1ZQ==\n")
    assert (out == "[REDACTED]\n") is whole


@pytest.mark.parametrize("line", [
    "key: " + " " * 200_000 + "x",  # trailing-space backtracking in a data block
    "a." * 100_000 + "://",  # URL scheme scanning from every letter
    "-----BEGIN X-----" * 20_000,  # BEGINs without an END
    "a=" * 100_000 + "b",  # pairs nested in values
    '{"name":"' * 30_000,
])
def test_hostile_lines_are_redacted_in_linear_time(line: str) -> None:
    redactor = Redactor.from_workspace()
    redactor.line("data:\n")
    started = time.monotonic()
    redactor.line(line + "\n")
    Redactor.from_workspace().text("env:\n- name: HF_TOKEN\n" + line + "\n")
    assert time.monotonic() - started < 5
