"""The environment probe records why it could not read the cluster; collection goes on."""

from __future__ import annotations

import pytest

from generator.collect import envprobe


@pytest.mark.parametrize(("raised", "recorded"), [
    (RuntimeError("connection refused\nretrying"), "RuntimeError: connection refused"),
    (RuntimeError(), "RuntimeError"),  # no message: still one clear line, no IndexError
    (TimeoutError(""), "TimeoutError"),
])
def test_a_probe_error_is_recorded_as_one_line(monkeypatch: pytest.MonkeyPatch,
                                               raised: Exception, recorded: str) -> None:
    from kubernetes import config

    def refuse(**_: object) -> None:
        raise raised

    monkeypatch.setattr(config, "new_client_from_config", refuse)
    assert envprobe.probe(None, None).error == recorded
