"""A tiny fake Kubernetes API server on loopback, so the live collect path runs against kubectl.

It serves HTTPS with a self-signed certificate made by ``openssl`` (kubectl sends no bearer
token to a plain-HTTP server, so only TLS shows that the token is used and never recorded).

It answers only what preflight, the run-record probe and the test procedure ask for (legacy
discovery, which every kubectl falls back to, and an empty OpenAPI v2 document for
``kubectl apply``'s validation; kubectl 1.20 to 1.33 tested), keeps Namespaces in memory
(create, get, list by label, delete), and logs every request with its bearer token so a test
can assert what kubectl and the ``kubernetes`` client really sent.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

GIT_VERSION = "v1.35.0"
Reply = tuple[int, dict[str, Any] | bytes]


def _resources(group_version: str, *entries: tuple[str, str, bool, list[str]]) -> dict[str, Any]:
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
            "resources": [{"name": name, "singularName": name.rstrip("s"), "kind": kind,
                           "namespaced": namespaced, "verbs": verbs}
                          for name, kind, namespaced, verbs in entries]}


def _group(name: str) -> dict[str, Any]:
    version = {"groupVersion": f"{name}/v1", "version": "v1"}
    return {"name": name, "versions": [version], "preferredVersion": version}


def _node(name: str, capacity: dict[str, str], labels: dict[str, str]) -> dict[str, Any]:
    info = {"architecture": "amd64", "bootID": "b", "containerRuntimeVersion": "containerd://2.0.0",
            "kernelVersion": "6.8.0", "kubeProxyVersion": GIT_VERSION,
            "kubeletVersion": GIT_VERSION, "machineID": "m", "operatingSystem": "linux",
            "osImage": "Ubuntu 24.04 LTS", "systemUUID": "u"}
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "uid": f"uid-{name}", "labels": labels,
                         "creationTimestamp": "2025-01-01T00:00:00Z"},
            "status": {"capacity": {"cpu": "8", "memory": "32Gi", "pods": "110", **capacity},
                       "nodeInfo": info}}


NODES = [_node("cpu-node", {}, {"kubernetes.io/os": "linux"}),
         _node("gpu-node", {"nvidia.com/gpu": "4"},
               {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"})]
DEVICE_CLASS = {"apiVersion": "resource.k8s.io/v1", "kind": "DeviceClass",
                "metadata": {"name": "gpu.nvidia.com"}, "spec": {}}
RESOURCE_SLICE = {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceSlice",
                  "metadata": {"name": "gpu-node-gpu.nvidia.com-abcde"},
                  "spec": {"driver": "gpu.nvidia.com", "nodeName": "gpu-node",
                           "pool": {"name": "gpu-node", "generation": 1, "resourceSliceCount": 1},
                           "devices": [{"name": f"gpu-{i}"} for i in range(4)]}}


def _list(kind: str, items: list[dict[str, Any]], api_version: str = "v1") -> dict[str, Any]:
    return {"kind": f"{kind}List", "apiVersion": api_version,
            "metadata": {"resourceVersion": "1"}, "items": items}


def _status(code: int, reason: str, message: str, **details: str) -> Reply:
    return code, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                  "message": message, "reason": reason, "details": details, "code": code}


def _not_found(resource: str, name: str) -> Reply:
    return _status(404, "NotFound", f'{resource} "{name}" not found', name=name, kind=resource)


KUBE_SYSTEM_UID = "6a1f0e52-3c9b-4d7e-8f21-0b4c5d6e7f80"
STATIC: dict[str, dict[str, Any]] = {
    "/version": {"major": "1", "minor": "35", "gitVersion": GIT_VERSION,
                 "gitCommit": "0" * 40, "gitTreeState": "clean",
                 "buildDate": "2025-12-17T00:00:00Z", "goVersion": "go1.25.5",
                 "compiler": "gc", "platform": "linux/amd64"},
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                             "serverAddress": "127.0.0.1:6443"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1",
              "groups": [_group("authorization.k8s.io"), _group("resource.k8s.io")]},
    "/api/v1": _resources("v1", ("namespaces", "Namespace", False,
                                 ["create", "delete", "get", "list", "patch", "watch"]),
                          ("nodes", "Node", False, ["get", "list", "watch"]),
                          ("pods", "Pod", True, ["create", "delete", "deletecollection", "get",
                                                 "list", "watch"])),
    "/apis/authorization.k8s.io/v1": _resources(
        "authorization.k8s.io/v1",
        ("selfsubjectaccessreviews", "SelfSubjectAccessReview", False, ["create"])),
    "/apis/resource.k8s.io/v1": _resources(
        "resource.k8s.io/v1", ("deviceclasses", "DeviceClass", False, ["get", "list"]),
        ("resourceslices", "ResourceSlice", False, ["get", "list"]),
        ("resourceclaims", "ResourceClaim", True, ["delete", "get", "list"])),
    "/api/v1/nodes": _list("Node", NODES),
    "/apis/resource.k8s.io/v1/deviceclasses": _list("DeviceClass", [DEVICE_CLASS],
                                                    "resource.k8s.io/v1"),
    "/apis/resource.k8s.io/v1/resourceslices": _list("ResourceSlice", [RESOURCE_SLICE],
                                                     "resource.k8s.io/v1"),
}


# The OpenAPI v2 document kubectl apply validates against: protobuf (what every kubectl asks
# for; 1.20 only that), a gnostic Document with only ``swagger: "2.0"`` (field 1).  kubectl
# skips client-side validation of kinds it does not describe; its fieldValidation=Strict query
# parameter is ignored here.
OPENAPI_V2 = b"\x0a\x032.0"
PROTOBUF_OPENAPI = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    token: str | None


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate (and its key) for 127.0.0.1, valid one day; Go wants the IP as a SAN."""
    cert, key = folder / "apiserver.crt", folder / "apiserver.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@dataclass
class FakeApiServer:
    """``with FakeApiServer(cert, key) as api:`` serves on ``api.url`` until the block ends."""

    cert: Path
    key: Path
    requests: list[Seen] = field(default_factory=list)
    namespaces: dict[str, dict[str, Any]] = field(default_factory=lambda: {
        "kube-system": {"kind": "Namespace", "apiVersion": "v1",
                        "metadata": {"name": "kube-system", "uid": KUBE_SYSTEM_UID},
                        "status": {"phase": "Active"}}})

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeApiServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def answer(self, method: str, path: str, query: dict[str, list[str]],
               body: dict[str, Any] | None) -> Reply:
        """Static documents for GETs, then the few things kubectl changes."""
        path = path.rstrip("/") or "/"  # the Python client asks for "/apis/"
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/openapi/v2":
            return 200, OPENAPI_V2
        if method == "GET" and path in STATIC:
            return 200, STATIC[path]
        if method == "GET" and parts[:3] == ["api", "v1", "nodes"] and len(parts) == 4:
            node = next((n for n in NODES if n["metadata"]["name"] == parts[3]), None)
            return (200, node) if node else _not_found("nodes", parts[3])
        if method == "POST" and path.endswith("/selfsubjectaccessreviews"):
            return 201, {"kind": "SelfSubjectAccessReview",
                         "apiVersion": "authorization.k8s.io/v1", "spec": {},
                         "status": {"allowed": True, "reason": "the fake server allows all"}}
        if parts[:3] == ["api", "v1", "namespaces"]:
            return self._namespaces(method, parts[3:], query, body)
        return _status(404, "NotFound", f"the server could not find the requested resource "
                                        f"({method} {path})")

    def _namespaces(self, method: str, rest: list[str], query: dict[str, list[str]],
                    body: dict[str, Any] | None) -> Reply:
        with self._lock:
            if not rest and method == "GET":
                return 200, _list("Namespace", [n for n in self.namespaces.values()
                                                if _selected(n, query)])
            if not rest and method == "POST" and body:
                name = body["metadata"]["name"]
                created = {**body, "metadata": {**body["metadata"], "uid": f"uid-{name}",
                                                "resourceVersion": "2"},
                           "status": {"phase": "Active"}}
                self.namespaces[name] = created
                return 201, created
            if len(rest) == 1 and method in ("GET", "DELETE"):
                namespace = self.namespaces.get(rest[0])
                if namespace is None:
                    return _not_found("namespaces", rest[0])
                if method == "DELETE":
                    del self.namespaces[rest[0]]  # gone at once: no finalizers to wait for
                return 200, namespace
            if len(rest) == 2 and rest[1] == "pods" and method == "GET":
                return 200, _list("Pod", [])
        return _status(405, "MethodNotAllowed", f"{method} /api/v1/namespaces/{'/'.join(rest)}")


def _selected(obj: dict[str, Any], query: dict[str, list[str]]) -> bool:
    """Equality label and field selectors, as kubectl sends for ``-l`` and ``--wait``."""
    labels = obj["metadata"].get("labels") or {}
    for selector in query.get("labelSelector", []):
        for term in selector.split(","):
            key, _, value = term.partition("=")
            if labels.get(key) != value:
                return False
    for selector in query.get("fieldSelector", []):
        key, _, value = selector.partition("=")
        if key == "metadata.name" and obj["metadata"]["name"] != value:
            return False
    return True


def _handler(api: FakeApiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            # kubectl 1.32 posts access reviews as protobuf; JSON replies are still accepted
            json_body = "json" in (self.headers.get("Content-Type") or "")
            body = json.loads(raw) if raw and json_body else None
            auth = self.headers.get("Authorization") or ""
            api.requests.append(Seen(self.command, url.path, query,
                                     auth.removeprefix("Bearer ") or None))
            code, document = api.answer(self.command, url.path, query, body)
            binary = isinstance(document, bytes)
            data = document if binary else json.dumps(document).encode()
            self.send_response(code)
            self.send_header("Content-Type", PROTOBUF_OPENAPI if binary else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test reads ``api.requests`` instead."""

    return Handler

