"""attest then verify, as reviewers run them: the untouched build verifies; a changed byte,
an added or removed file, a wrong key and an expired run are each refused and named."""

from __future__ import annotations

import base64
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from generator.attest.verify import verify_path
from tests.conftest import PROJECT

ATTESTATION = "attestation.intoto.jsonl"
SUBMISSION = Path("submission/v1.35/example-fictional-platform")


def _write_key(folder: Path, name: str, key) -> tuple[Path, Path]:
    private, public = folder / f"{name}.pem", folder / f"{name}.pub"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, run_cli, conformance_repo
           ) -> tuple[Path, Path, Path]:
    """The example built and attested once: (build output, private key, public key)."""
    root = tmp_path_factory.mktemp("attested")
    out = root / "out"
    built = run_cli("build", "--out", out, "--conformance-repo", conformance_repo)
    assert built.exit_code == 0, built.stderr
    private, public = _write_key(root, "vendor", ed25519.Ed25519PrivateKey.generate())
    result = run_cli("attest", "--out", out, "--key", private, "--conformance-repo",
                            conformance_repo, "--output", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert sorted(payload["attestations"]) == sorted(
        [str(out / "site" / ATTESTATION), str(out / SUBMISSION / ATTESTATION)])
    assert payload["subjects"] > 50
    return out, private, public


@pytest.fixture
def copy(signed, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(signed[0], out)
    return out


def _verify(run_cli, path: Path, key: Path, *extra: str) -> tuple[int, dict]:
    result = run_cli("verify", path, "--key", key, "--output", "json", *extra)
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout) if result.stdout else {}


def _problems(payload: dict) -> set[tuple[str, str | None]]:
    return {(p["kind"], p["file"]) for p in payload["problems"]}


def test_the_untouched_build_site_and_submission_verify(signed, run_cli) -> None:
    out, _, public = signed
    for path, scope in [(out, "build"), (out / "site", "site"), (out / SUBMISSION, "submission")]:
        code, payload = _verify(run_cli, path, public)
        assert code == 0, payload
        assert payload["verified"] and payload["scope"] == scope and payload["problems"] == []
        assert payload["subjectsChecked"] > 0 and payload["ageDays"] is not None
    text = run_cli("verify", out, "--key", public)
    assert text.exit_code == 0 and "verified" in text.stdout


def test_statement_records_run_checklist_statuses_and_cluster(signed) -> None:
    out = signed[0]
    envelope = json.loads((out / "site" / ATTESTATION).read_text())
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    statement = json.loads(base64.b64decode(envelope["payload"]))
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    names = {s["name"] for s in statement["subject"]}
    assert "site/index.html" in names and f"{SUBMISSION.as_posix()}/PRODUCT.yaml" in names
    assert not any(n.endswith(ATTESTATION) for n in names)
    predicate = statement["predicate"]
    assert predicate["checklist"]["version"] == "v1.35"
    assert len(predicate["checklist"]["sha256"]) == 64
    assert predicate["run"]["finishedAt"] and predicate["product"]["example"] is True
    statuses = {r["id"]: r["status"] for r in predicate["requirements"]}
    assert statuses["dra_support"] == "passed"
    cluster = predicate["cluster"]
    assert cluster["serverVersion"] == "v1.35.0" and cluster["nodeCount"] >= 2
    assert "NVIDIA-L4" in cluster["acceleratorModels"]
    text = json.dumps(statement)
    assert "admin@acme-gpu-prod" not in text  # the kube context is not part of a fingerprint


def test_one_changed_byte_is_named(copy: Path, signed, run_cli) -> None:
    target = copy / "site" / "requirements" / "dra_support" / "result.json"
    data = bytearray(target.read_bytes())
    data[10] ^= 1
    target.write_bytes(bytes(data))
    code, payload = _verify(run_cli, copy, signed[2])
    assert code == 1 and not payload["verified"]
    assert _problems(payload) == {("tampered", "site/requirements/dra_support/result.json")}


def test_an_added_and_a_removed_file_are_named(copy: Path, signed, run_cli) -> None:
    (copy / "site" / "requirements" / "dra_support" / "extra.txt").write_text("added later\n")
    (copy / SUBMISSION / "PRODUCT.yaml").unlink()
    code, payload = _verify(run_cli, copy, signed[2])
    assert code == 1
    assert _problems(payload) == {
        ("extra", "site/requirements/dra_support/extra.txt"),
        ("missing", f"{SUBMISSION.as_posix()}/PRODUCT.yaml")}
    code, site = _verify(run_cli, copy / "site", signed[2])
    assert code == 1 and _problems(site) == {("extra", "requirements/dra_support/extra.txt")}


@pytest.mark.parametrize("other", [ed25519.Ed25519PrivateKey.generate(),
                                   ec.generate_private_key(ec.SECP256R1())])
def test_a_wrong_key_is_refused(signed, run_cli, tmp_path: Path, other) -> None:
    _, public = _write_key(tmp_path, "other", other)
    code, payload = _verify(run_cli, signed[0], public)
    assert code == 1 and [p["kind"] for p in payload["problems"]] == ["signature"]
    assert "not signed by the key" in payload["problems"][0]["message"]


def test_an_expired_run_is_stale(signed) -> None:
    """Judged a day after the run, whenever the example was regenerated."""
    later = datetime.now(UTC) + timedelta(days=1)
    result = verify_path(signed[0], signed[2], 0.5, now=later)
    assert [p.kind for p in result.problems] == ["stale"]
    assert "days ago, over the 0.5-day limit" in result.problems[0].message


def test_ecdsa_keys_sign_and_verify(copy: Path, run_cli, conformance_repo: Path,
                                    tmp_path: Path) -> None:
    private, public = _write_key(tmp_path, "p384", ec.generate_private_key(ec.SECP384R1()))
    assert run_cli("attest", "--out", copy, "--key", private, "--conformance-repo",
                   conformance_repo).exit_code == 0
    assert _verify(run_cli, copy, public)[0] == 0


@pytest.mark.parametrize("damage", ["garbage", "not-a-statement", "no-file", "fifo"])
def test_unreadable_input_is_exit_2(copy: Path, signed, run_cli, damage: str) -> None:
    attestation = copy / "site" / ATTESTATION
    if damage == "garbage":
        attestation.write_text("{not json\n")
    elif damage == "not-a-statement":
        attestation.write_text(json.dumps({"payloadType": "application/vnd.in-toto+json",
                                           "payload": "e30=", "signatures": []}) + "\n")
    else:
        attestation.unlink()
        if damage == "fifo":  # found, never opened (it would block), and named as such
            os.mkfifo(attestation)
    result = run_cli("verify", copy, "--key", signed[2], timeout=30)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    if damage == "fifo":
        assert result.stderr.strip().endswith(f"{ATTESTATION}: not a regular file")


def test_a_key_that_is_no_key_is_exit_2(signed, run_cli, tmp_path: Path) -> None:
    bogus = tmp_path / "key.pem"
    bogus.write_text("hello\n")
    result = run_cli("attest", "--out", signed[0], "--key", bogus, "--workspace", PROJECT)
    assert result.exit_code == 2 and "not an unencrypted PEM private key" in result.stderr


def test_review_shows_who_signed_and_how_old_the_run_is(signed, run_cli,
                                                         conformance_repo: Path) -> None:
    out, private, _ = signed
    result = run_cli("review", out / SUBMISSION / "PRODUCT.yaml", "--conformance-repo",
                     conformance_repo, "--output", "json")
    [submission] = json.loads(result.stdout)["submissions"]
    [finding] = [f for f in submission["findings"] if f["rule"] == "attestation"]
    key_id = json.loads(run_cli("attest", "--out", out, "--key", private, "--conformance-repo",
                                conformance_repo, "--output", "json").stdout)["keyId"]
    assert finding["severity"] == "info"
    assert f"signed by key {key_id[:16]}; the run finished 20" in finding["message"]
    assert "days ago" in finding["message"]


@pytest.mark.parametrize(("key", "words"), [
    (lambda: ec.generate_private_key(ec.SECP521R1()), "ECDSA curve secp521r1 is not supported"),
    (lambda: rsa.generate_private_key(65537, 2048), "RSAPrivateKey key is not supported")])
def test_unsupported_keys_are_named(signed, run_cli, tmp_path: Path, key, words: str) -> None:
    private, public = _write_key(tmp_path, "other", key())
    signing = run_cli("attest", "--out", signed[0], "--key", private, "--workspace", PROJECT)
    assert signing.exit_code == 2 and words in signing.stderr
    checking = run_cli("verify", signed[0], "--key", public)
    assert checking.exit_code == 2 and words.replace("Private", "Public") in checking.stderr
