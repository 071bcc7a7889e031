"""Redaction: built-in secrets always, workspace rules on top, PEM blocks across lines."""

from __future__ import annotations

from pathlib import Path

from generator.collect.redact import Redactor
from generator.collect.stream import EXCERPT_CHARS, StreamCapture

KUBECONFIG = """users:
- name: admin
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=
    token: 0123456789abcdefghijklmnop
"""
PEM = """before
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA7Zq3
c2VjcmV0IGtleSBkYXRh
-----END RSA PRIVATE KEY-----
after
"""


def test_kubeconfig_secrets_and_tokens() -> None:
    redactor = Redactor.from_workspace()
    out = redactor.text(KUBECONFIG)
    assert "LS0t" not in out and "0123456789" not in out and out.count("[REDACTED]") == 3
    line = 'curl -H "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2ln"'
    assert "eyJ" not in redactor.text(line)
    assert redactor.text("kubectl --token=abcdef123456 get pods") == (
        "kubectl --token=[REDACTED] get pods")
    assert redactor.text("client-key-data: DATA+OMITTED") == "client-key-data: DATA+OMITTED"


def test_pem_block_spanning_lines() -> None:
    out = Redactor.from_workspace().text(PEM)
    assert "MIIE" not in out and "c2Vj" not in out
    assert out.startswith("before\n-----BEGIN RSA PRIVATE KEY-----\n[REDACTED]\n")
    assert out.endswith("-----END RSA PRIVATE KEY-----\nafter\n")


def test_workspace_rules_for_ips_and_hostnames() -> None:
    redactor = Redactor.from_workspace([
        {"name": "ip", "pattern": r"\b10\.\d+\.\d+\.\d+\b", "replacement": "10.x.x.x"},
        {"pattern": r"[a-z0-9-]+\.corp\.example"}])
    assert redactor.text("node gpu-1.corp.example at 10.0.3.7\n") == (
        "node [REDACTED] at 10.x.x.x\n")


def test_streamed_output_is_redacted_and_excerpted(tmp_path: Path) -> None:
    capture = StreamCapture(tmp_path / "out.txt", "out.txt", Redactor.from_workspace())
    capture.feed_lines([f"line {i} token: abcdefgh{i}\n" for i in range(5000)])
    stream = capture.close().to_json()
    text = (tmp_path / "out.txt").read_text()
    assert "abcdefgh" not in text and stream["bytes"] == len(text.encode())
    assert stream["truncated"] and len(stream["head"]) == EXCERPT_CHARS
    assert stream["tail"].endswith("line 4999 token: [REDACTED]\n")
    assert len(stream["tail"]) <= EXCERPT_CHARS
