from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.linkhealth.server import Served, loopback_server


@pytest.fixture
def served() -> Iterator[Served]:
    with loopback_server() as server:
        yield server
