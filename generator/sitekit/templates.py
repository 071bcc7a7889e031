"""The Jinja2 environment both sites render with: every expression escaped, one lookup order.

Templates come from ``WORKSPACE/site-templates/`` first (a vendor's overrides), then the
project's ``site-templates/``; the same lookup serves stylesheets.  Every expression goes
through :func:`generator.sitekit.escape.finalize`, so captured output can never turn into
markup; helpers that build HTML return :class:`markupsafe.Markup`.
"""

from __future__ import annotations

import json
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import __version__, safefs
from generator.checklist.resolve import cache_dir
from generator.errors import InputError
from generator.resources import resource_dir
from generator.sitekit import escape
from generator.sitekit.narrative import vendor_markdown

TEMPLATES_DIR = "site-templates"
_IDENT = re.compile(r"[a-z0-9][a-z0-9_.-]*")


def template_dirs(workspace_root: Path | None = None) -> tuple[Path, ...]:
    """The workspace's overrides (when there is a workspace), then the project's templates;
    a link among the overrides would render its target, so it is refused."""
    own = resource_dir(TEMPLATES_DIR)
    if not workspace_root:
        return (own,)
    overrides = workspace_root / TEMPLATES_DIR
    if overrides.exists() or overrides.is_symlink():
        for path, reason in safefs.unsafe(overrides):
            raise safefs.UnsafeFile(f"{path}: {reason}")
    return (overrides, own)


def page_title(value: str) -> Markup:
    """A page's front-matter title: plain text (the theme prints it in ``<title>`` after
    ``striptags``, which decodes entities), as a JSON string, which YAML reads as is."""
    return Markup(json.dumps(escape.nav_title(str(value))))


def ident(value: str) -> Markup:
    """An id (requirement, check, rule) used in URLs and anchors: schema-checked, so kept as
    is; anything else is refused rather than escaped into a different id."""
    if not _IDENT.fullmatch(value):
        raise ValueError(f"not an identifier: {value!r}")
    return Markup(value)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user cache (keyed by each template's source, so an
    edited template is compiled again): compiling them took a third of our share of a build."""
    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home only costs the compile
    return jinja2.FileSystemBytecodeCache(str(folder))


def new_environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """The shared settings and filters; each site adds its helpers and keeps one environment
    per lookup, so compiled templates are reused (auto_reload still notices an edit)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in dirs]),
        bytecode_cache=_bytecode_cache(),
        autoescape=True, finalize=escape.finalize, undefined=jinja2.StrictUndefined,
        comment_start_string="{##", comment_end_string="##}",  # {#id} is attr_list syntax
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(pre=escape.pre, inline=escape.inline, ident=ident, title=page_title,
                       markdown=vendor_markdown)
    env.globals.update(tool_version=__version__)
    return env


def write_page(path: Path, text: str) -> None:
    """A generated page in the docs folder: an intermediate the build clears and rewrites
    every time (the published site is swapped in whole), so no fsync per page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_stylesheet(dirs: tuple[Path, ...], name: str, target: Path) -> None:
    """Copy the first ``name`` found in the lookup to ``target`` (under the docs folder)."""
    source = next(d / name for d in dirs if (d / name).is_file())
    write_page(target, source.read_text(encoding="utf-8"))



def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """A page rendered, or one line naming the template and line at fault: a workspace's
    override in site-templates/ is the vendor's own code and may not compile or may use an
    unknown name."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"{exc.filename or name}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:  # jinja puts the template's own lines in the traceback
        where = name
        for frame, line in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.endswith(".j2"):
                where = f"{frame.f_code.co_filename}:{line}"
        raise InputError(f"{where}: {exc}") from None
