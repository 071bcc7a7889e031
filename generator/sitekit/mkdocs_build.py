"""Build the rendered pages with mkdocs-material, in-process, from the project's base config,
into a staging folder swapped in only when complete.

The base ``mkdocs.yml`` keeps the site network-free; we only add the generated parts.  The
merged config is written beside the pages so that a plain ``mkdocs build -f`` can rebuild
the same site (the benchmark compares both).  A failed build (for example ``--strict``
finding a broken link) leaves the previous site untouched.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.errors import ToolError
from generator.fsutil import atomic_write_text, replace_dir
from generator.layout import SiteOut
from generator.resources import resource_dir
from generator.yamldoc import load_yaml

BASE_CONFIG = "mkdocs.yml"


def write_config(path: Path, *, site_name: str, docs_dir: Path, site_dir: Path,
                 nav: list[dict[str, Any]], site_url: str | None, extra_css: list[str]) -> Path:
    """Merge the generated settings into the base config and write it to ``path``."""
    config = load_yaml(resource_dir(BASE_CONFIG)).data
    config.update(site_name=site_name, docs_dir=str(docs_dir.resolve()),
                  site_dir=str(site_dir.resolve()), nav=nav, extra_css=extra_css)
    if site_url:
        config["site_url"] = site_url
    atomic_write_text(path, yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return path


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _quiet_mkdocs() -> Iterator[_Collect]:
    """Keep mkdocs' log lines for our report instead of letting them reach the terminal."""
    logger = logging.getLogger("mkdocs")
    handler, propagate, level = _Collect(), logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        logger.setLevel(level)


def build_site(config_path: Path, strict: bool = False) -> list[str]:
    """Run ``mkdocs build``; return its warnings (with ``strict`` they fail the build)."""
    with _quiet_mkdocs() as log:
        try:
            build(load_config(str(config_path), strict=strict))
        except MkDocsException as exc:
            details = "; ".join(log.messages) or str(exc)
            raise ToolError(f"mkdocs build failed ({config_path}): {details}") from exc
    return log.messages


def clear(out: SiteOut) -> None:
    """Remove the previous Markdown and any staging folder a crashed build left behind."""
    for folder in (out.markdown, out.staging):
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def staged(out: SiteOut) -> Iterator[Path]:
    """The staging folder to build into: swapped in for ``out.site`` when the block
    completes, removed when it raises."""
    try:
        yield out.staging
    except BaseException:
        shutil.rmtree(out.staging, ignore_errors=True)
        raise
    replace_dir(out.staging, out.site)
