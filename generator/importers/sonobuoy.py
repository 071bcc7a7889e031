"""A ``sonobuoy retrieve`` tarball: find each plugin's JUnit and log and extract only those, safely.

Sonobuoy keeps a plugin's results under ``plugins/<plugin>/results/global/`` (``results/`` in
archives before the ``global`` folder existed): the e2e plugin writes ``junit_01.xml`` and its
Ginkgo log ``e2e.log`` there.  The archive is untrusted input: members with absolute paths,
``..`` components, links or device files are never extracted, and sizes are capped while
copying (a header can lie), so a hostile archive cannot write outside a private temporary
folder or fill the disk.
"""

from __future__ import annotations

import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.errors import InputError
from generator.evidence.tree import IMPORTED_DIR
from generator.importers.merge import ImportSummary, import_file
from generator.workspace import Workspace

GZIP_MAGIC = b"\x1f\x8b"
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_MEMBERS = 200_000
_RESULT = re.compile(r"^plugins/(?P<plugin>[A-Za-z0-9._-]+)/results/(?:global/)?"
                     r"(?P<name>junit[^/]*\.xml|[^/]+\.log)$")
_CHUNK = 1024 * 1024


@dataclass
class PluginResults:
    plugin: str
    junit: list[Path] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)


def is_tarball(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def _member_path(name: str) -> str | None:
    """The member's normalized relative path, or None when it could escape."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name:
        return None
    parts = [p for p in pure.parts if p != "."]
    return "/".join(parts) or None


def extract_results(archive: Path, dest: Path, max_file: int = MAX_FILE_BYTES,
                    max_total: int = MAX_TOTAL_BYTES) -> list[PluginResults]:
    """Extract every plugin's JUnit files and logs into ``dest``; plugins in archive order."""
    found: dict[str, PluginResults] = {}
    total = 0
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for count, member in enumerate(tar, 1):
                if count > MAX_MEMBERS:
                    raise InputError(f"{archive}: more than {MAX_MEMBERS} entries; not a "
                                     "sonobuoy retrieve archive")
                name = _member_path(member.name)
                match = _RESULT.match(name) if name else None
                if not match:
                    continue
                if not member.isfile():  # a link or device where a result should be
                    raise InputError(f"{archive}: {member.name}: not a regular file (links are "
                                     "never extracted)")
                if member.size > max_file:
                    raise InputError(f"{archive}: {member.name}: {member.size} bytes, more than "
                                     f"the {max_file} allowed")
                plugin, file_name = match.group("plugin"), match.group("name")
                target = dest / plugin / file_name
                target.parent.mkdir(parents=True, exist_ok=True)
                total += _copy(tar, member, target, max_file, archive)
                if total > max_total:
                    raise InputError(f"{archive}: results larger than {max_total} bytes")
                results = found.setdefault(plugin, PluginResults(plugin))
                (results.junit if file_name.endswith(".xml") else results.logs).append(target)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise InputError(f"{archive}: not a readable sonobuoy retrieve archive (.tar.gz): "
                         f"{exc}") from exc
    if not any(r.junit for r in found.values()):
        raise InputError(f"{archive}: no plugins/<plugin>/results/global/junit_*.xml inside; "
                         "is it the output of 'sonobuoy retrieve'?")
    return [r for r in found.values() if r.junit]


def _copy(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, cap: int,
          archive: Path) -> int:
    source = tar.extractfile(member)
    if source is None:
        raise InputError(f"{archive}: {member.name}: cannot be read")
    written = 0
    with source, target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > cap:
                raise InputError(f"{archive}: {member.name}: more than the {cap} bytes allowed")
            out.write(chunk)
    return written


def import_archive(workspace: Workspace, archive: Path, forced: str | None = None,
                   known: set[str] | None = None) -> list[ImportSummary]:
    """Import each plugin's JUnit; its log is kept beside the JUnit in every requirement the
    JUnit mapped to, as ``sonobuoy-<plugin>-<name>`` (never as ``e2e.log``: CNCF CI would read
    a file of that name as the upstream suite's go test log and reject it)."""
    summaries = []
    with tempfile.TemporaryDirectory(prefix="k8s-ai-evidence-sonobuoy-") as tmp:
        for results in extract_results(archive, Path(tmp)):
            for junit in results.junit:
                summary = import_file(workspace, junit, forced, known,
                                      kept_name=f"sonobuoy-{results.plugin}-{junit.name}")
                summary.file = f"{archive}!plugins/{results.plugin}/results/{junit.name}"
                for log in results.logs:
                    kept = f"sonobuoy-{results.plugin}-{log.name}"
                    for requirement in summary.mapped:
                        target = workspace.evidence_dir / requirement / IMPORTED_DIR / kept
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(log, target)
                    summary.logs.append(kept)
                summaries.append(summary)
    return summaries
