"""Preflight, before anything is touched: kubectl, the cluster, permissions, the version.

A required parameter platform.yaml leaves unset is an InputError (exit 2) naming the field,
found before kubectl is even run.  Each other failure is an EnvironmentProblem (exit 3) saying
what is wrong and where: the server that cannot be reached and kubectl's own error, the
permissions that are missing.
All of it goes through the Runner, so it is recorded and replayed like the procedures.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.collect.kubectl import Request, Runner
from generator.errors import EnvironmentProblem, InputError
from generator.procedures.model import Procedure

SCOPE = "preflight"
BASE_PERMISSIONS = ("create namespaces", "delete namespaces", "create pods", "delete pods")
INSTALL_KUBECTL = "install it: https://kubernetes.io/docs/tasks/tools/#kubectl"


@dataclass(frozen=True)
class ClusterInfo:
    context: str | None
    server: str | None
    client_version: str | None
    server_version: str | None


class _Kubectl:
    def __init__(self, runner: Runner, folder: Path) -> None:
        self.runner, self.folder, self.count = runner, folder, 0

    def __call__(self, *argv: str, timeout: float = 30) -> tuple[int | None, str, str]:
        self.count += 1
        request = Request(SCOPE, ["kubectl", *argv], None, timeout, self.folder,
                          f"{self.count}.out", f"{self.count}.err")
        execution = self.runner.run(request)
        if execution.error:
            raise EnvironmentProblem(execution.error)
        read = (self.folder / request.stdout).read_text, (self.folder / request.stderr).read_text
        return execution.exit_code, read[0](encoding="utf-8"), read[1](encoding="utf-8")


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else "no error message"


def can_i(permission: str) -> list[str]:
    """``create pods/exec`` as ``kubectl auth can-i create pods --subresource=exec``.

    kubectl reads ``TYPE/NAME`` in can-i's second argument (kubernetes/kubectl
    pkg/cmd/auth/cani.go: ``strings.SplitN(args[1], "/", 2)``, the rest becomes ResourceName),
    so ``pods/exec`` would ask about a pod named "exec"; a subresource takes ``--subresource``.
    """
    verb, resource = permission.split()
    kind, _, subresource = resource.partition("/")
    return ["auth", "can-i", verb, kind, *([f"--subresource={subresource}"] if subresource else [])]


def missing_parameters(procedures: list[Procedure]) -> None:
    """Required parameters (declared without a default) that platform.yaml does not set."""
    for procedure in procedures:
        names = [name for name, value in procedure.parameters.items() if value is None]
        if names:
            raise InputError(
                f"platform.yaml: requirements.{procedure.requirement}.parameters.{names[0]}: "
                f"required by the {procedure.variant} procedure and installation-specific; set "
                f"it (unset: {', '.join(names)}; see {procedure.path.name})")


def preflight(runner: Runner, procedures: list[Procedure], workspace_version: str
              ) -> ClusterInfo:
    missing_parameters(procedures)
    with tempfile.TemporaryDirectory(prefix="k8s-ai-evidence-preflight-") as tmp:
        kubectl = _Kubectl(runner, Path(tmp))
        code, out, err = kubectl("config", "view", "--minify", "-o",
                                 "jsonpath={.contexts[0].name} {.clusters[0].cluster.server}")
        if code != 0:
            raise EnvironmentProblem(f"no usable kubeconfig context: {_first_error(err)}")
        context, _, server = out.strip().partition(" ")
        code, out, err = kubectl("version", "-o", "json", "--request-timeout=20s", timeout=40)
        versions: dict[str, Any] = {}
        try:
            versions = json.loads(out) if out.strip() else {}
        except json.JSONDecodeError:
            versions = {}
        server_version = (versions.get("serverVersion") or {}).get("gitVersion")
        if code != 0 or not server_version:
            raise EnvironmentProblem(f"cannot reach the cluster at {server or '(unknown server)'} "
                                     f"(context {context or '?'}): {_first_error(err)}")
        _check_version(server_version, workspace_version)
        wanted = dict.fromkeys([*BASE_PERMISSIONS, *(p for pr in procedures
                                                     for p in pr.permissions)])
        missing = [p for p in wanted
                   if kubectl(*can_i(p), "--all-namespaces")[1].strip() != "yes"]
        if missing:
            raise EnvironmentProblem(f"the credentials of context {context} lack permissions "
                                     f"(kubectl auth can-i ... --all-namespaces): "
                                     f"{', '.join(missing)}")
        client_version = (versions.get("clientVersion") or {}).get("gitVersion")
        return ClusterInfo(context or None, server or None, client_version, server_version)


def _check_version(server_version: str, workspace_version: str) -> None:
    match = re.match(r"v?(\d+)\.(\d+)", server_version)
    minor = f"{match.group(1)}.{match.group(2)}" if match else server_version
    if minor != workspace_version:
        raise EnvironmentProblem(
            f"the cluster runs Kubernetes {server_version}, but the workspace collects "
            f"evidence for v{workspace_version} (platform.yaml kubernetesVersion)")
