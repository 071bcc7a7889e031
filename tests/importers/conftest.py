"""A workspace to import into."""

from __future__ import annotations

from pathlib import Path

import pytest

PLATFORM = """\
kubernetesVersion: v1.33
productDir: fixture
metadata:
  platformName: Fixture Platform
  platformVersion: "1.0"
  vendorName: Fixture Vendor
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "platform.yaml").write_text(PLATFORM)
    return tmp_path
