"""The schema engine answers exactly as jsonschema does: same violations, same order.

Every document the project ships or tests with (and the CNCF corpus) is checked against every
schema, as is, and with values swapped for other types, so valid and invalid paths through
each keyword are compared."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.resources import resource_dir
from generator.schemas import _key, _sorted_errors, engine, schema_issues
from tests.conftest import DATA, PROJECT

SCHEMAS = sorted(p.name.removesuffix(".schema.json")
                 for p in resource_dir("schemas").glob("*.schema.json"))
_SWAPS: list[Any] = [None, 0, 1.5, True, "", "x", "https://example.com/x", "not a uri:\\",
                     "2026-01-01T00:00:00Z", "[", [], ["x"], {}, {"x": 1}]


def _documents(roots: list[Path]) -> list[Any]:
    docs = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix not in (".yaml", ".yml", ".json", ".jsonl") or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            try:
                if path.suffix == ".jsonl":
                    docs += [json.loads(line) for line in text.splitlines()[:5] if line.strip()]
                else:
                    docs.append(json.loads(text) if path.suffix == ".json"
                                else yaml.safe_load(text))
            except (ValueError, yaml.YAMLError):
                continue
    return docs


def _mutations(doc: Any, rng: random.Random, count: int) -> list[Any]:
    """Copies of ``doc`` with one value (at a random depth) replaced by another type; only
    the containers on the way to it are copied."""
    out = []
    for _ in range(count):
        copy = dict(doc)
        node, steps = copy, rng.randint(1, 4)
        for _ in range(steps):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = rng.choice(keys)
            child = node[key]
            if rng.random() < 0.3 or not isinstance(child, dict | list):
                node[key] = rng.choice(_SWAPS)
                break
            node[key] = child = dict(child) if isinstance(child, dict) else list(child)
            node = child
        out.append(copy)
    return out


def _jsonschema(name: str, doc: Any) -> list[tuple[Any, str]]:
    return [_key(e) for e in _sorted_errors(name, doc)]


def _engine(name: str, doc: Any) -> list[tuple[Any, str]]:
    return [(i.path, i.keyword) for i in schema_issues(doc, name)]


def test_every_schema_is_one_the_engine_implements() -> None:
    assert [name for name in SCHEMAS if engine(name) is None] == []


@pytest.mark.timeout(600)
def test_same_violations_as_jsonschema(conformance_repo: Path) -> None:
    shipped = _documents([DATA, PROJECT / "evidence", PROJECT / "generator", PROJECT / "schemas"])
    corpus = _documents([conformance_repo / "v1.34", conformance_repo / "docs"])
    rng = random.Random(20261130)
    compared = invalid = 0
    for doc in shipped + corpus:
        for name in SCHEMAS:
            expected = _jsonschema(name, doc)
            assert _engine(name, doc) == expected, (name, json.dumps(doc, default=str)[:300])
            compared, invalid = compared + 1, invalid + bool(expected)
            if len(expected) > 3 or not isinstance(doc, dict):
                continue  # mutations matter against the document's own (or a close) schema
            for mutated in _mutations(doc, rng, 3):
                expected = _jsonschema(name, mutated)
                assert _engine(name, mutated) == expected, (
                    name, json.dumps(mutated, default=str)[:300])
                compared, invalid = compared + 1, invalid + bool(expected)
    assert compared > 4000 and 500 < invalid < compared


def test_messages_are_jsonschemas_words() -> None:
    [issue] = schema_issues({"kubernetesVersion": "v1.35"}, "checklist")[:1]
    assert issue.message == _sorted_errors("checklist", {"kubernetesVersion": "v1.35"})[0].message


def test_the_plain_uri_shortcut_only_accepts_what_rfc3986_accepts(conformance_repo: Path) -> None:
    from rfc3986_validator import validate_rfc3986

    from generator.schemaengine import _PLAIN_URI

    text = " ".join(p.read_text(encoding="utf-8", errors="replace")
                    for p in conformance_repo.glob("v*/*/PRODUCT.yaml"))
    urls = set(re.findall(r"[a-z]+://[^\s\"']+", text)) | {
        "http://a b", "https://x.com/%zz", "https://x.com:80/a?b=c#d", "https://[::1]/",
        "http://u@h/", "https://x.com/a#b#c", "https://x.com/\\", "https://x.com/ä",
        "https://", "https://x.com/?q=a|b", "https://x.com/{a}", "x://y:z/"}
    shortcut = {u for u in urls if _PLAIN_URI.fullmatch(u)}
    assert len(shortcut) > 400
    assert [u for u in shortcut if not validate_rfc3986(u, rule="URI")] == []
