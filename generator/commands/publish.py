"""``k8s-ai-evidence publish --repo DIR``: the built site into a pages branch of the vendor's
repository under a versioned path that never changes, so evidence links never move."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from generator.commands.options import (
    checklist_options,
    out_option,
    output_option,
    workspace_option,
)
from generator.commands.submit import build_first, built_after_inputs
from generator.errors import EXIT_CODES_HELP
from generator.layout import SiteOut, check_published_path
from generator.output import emit
from generator.publish import publish
from generator.submit.fork import open_checkout
from generator.workspace import Workspace


@click.command("publish", help="Commit the site 'build' wrote (OUT/site) into BRANCH of DIR, "
               "your own repository, under PATH (default: platform.yaml site.versionedPath, "
               "else vX.Y/<today>). Every earlier path stays as it was; a published path is "
               "never written again. Your checkout is not switched; nothing is forced or "
               f"pushed unless --push is given.\n\n{EXIT_CODES_HELP}")
@click.option("--repo", "repo_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Local clone of the repository that serves the site (e.g. GitHub Pages).")
@workspace_option
@out_option("build's output folder.")
@click.option("--branch", default="gh-pages", show_default=True, help="The pages branch.")
@click.option("--path", "path", help="Folder on the branch, e.g. v1.35/2026-11-23.")
@click.option("--push", "push_remote", metavar="REMOTE",
              help="Push the pages branch to REMOTE after committing; never forced.")
@checklist_options
@output_option
def publish_command(repo_dir: Path, workspace_dir: Path, out_dir: Path,
                    branch: str, path: str | None, push_remote: str | None,
                    checklist_file: Path | None, conformance_repo: Path | None,
                    output_format: str) -> None:
    workspace = Workspace.load(workspace_dir)
    site = workspace.platform.get("site") or {}
    versioned = (site.get("versionedPath") or "").strip("/")
    given_by = "--path" if path else "platform.yaml site.versionedPath"
    path = check_published_path(
        path or versioned or f"{workspace.tag}/{datetime.now(UTC):%Y-%m-%d}", given_by)
    open_checkout(repo_dir, "--repo")  # a wrong --repo or --path is said before any build
    site_dir = SiteOut(out_dir).site
    if not built_after_inputs(site_dir / "index.html", workspace):
        build_first(workspace_dir, out_dir, checklist_file, conformance_repo)
    result = publish(repo_dir, site_dir, branch, path, site.get("url"), push_remote)
    url = site.get("url")
    payload = {**asdict(result), "url": f"{url.rstrip('/')}/{result.path}/" if url else None,
               "versionedPath": versioned or None}
    if versioned and versioned != result.path.strip("/"):
        payload["warning"] = (f"platform.yaml site.versionedPath is {versioned}: PRODUCT.yaml "
                              f"evidence points there, not at {result.path}")
    emit(output_format, payload, lambda out: _render(payload, out))


def _render(payload: dict[str, Any], out: Console) -> None:
    out.print(f"published {payload['files']} files at [bold]{escape(payload['branch'])}:"
              f"{escape(payload['path'])}[/] (commit {payload['commit']})")
    if payload["url"]:
        out.print(f"served at {escape(payload['url'])}")
    if "warning" in payload:
        out.print(f"[yellow]warning[/] {escape(payload['warning'])}")
    out.print(f"pushed to {escape(payload['pushed'])}" if payload["pushed"]
              else "not pushed: push the branch when you are ready")
