"""A loopback HTTP server that plays every case a link check meets: tests never go online."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = b'<html><body><h2 id="install">Install</h2><a name="old-anchor"></a>' \
       b'<h2 id="user-content-gpu-sharing">GPU</h2></body></html>'
LANDSCAPE = b"""landscape:
  - name: Provisioning
    subcategories:
      - name: Other
        items: [{name: Fixture Vendor}]
  - name: CNCF Members
    subcategories:
      - name: Platinum
        items:
          - name: Fixture Vendor (member)
          - name: Another Corp (supporter)
      - name: Silver
        items:
          - name: Small Co
"""


@dataclass
class Served:
    base: str
    hits: Counter = field(default_factory=Counter)  # "METHOD /path" -> count
    agents: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


def _handler(served: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def do_GET(self) -> None:
            self._answer(body=True)

        def _send(self, status: int, payload: bytes = b"", body: bool = True,
                  content_type: str = "text/html", **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in headers.items():
                self.send_header(key.replace("_", "-"), value)
            self.end_headers()
            if body:
                self.wfile.write(payload)

        def _answer(self, body: bool) -> None:
            path = self.path.split("?", 1)[0]
            key = f"{self.command} {path}"
            served.hits[key] += 1
            served.agents.append(self.headers.get("User-Agent", ""))
            if path == "/ok":
                self._send(200, PAGE, body)
            elif path == "/moved":
                self._send(301, b"", body, Location="/ok")
            elif path == "/gone":
                self._send(404, b"not found", body)
            elif path == "/removed":
                self._send(410, b"gone", body)
            elif path == "/cf":
                self._send(403, b"<title>Just a moment...</title>", body, cf_ray="8a-AMS")
            elif path == "/ratelimited":
                self._send(429, b"slow down", body, Retry_After="0")
            elif path == "/forbidden":
                self._send(403, b"private", body)
            elif path == "/slow":
                time.sleep(1.0)
                self._send(200, PAGE, body)
            elif path == "/nohead":
                self._send(200 if self.command == "GET" else 405, PAGE, body)
            elif path == "/flaky":
                self._send(503 if served.hits[key] == 1 else 200, PAGE, body)
            elif path == "/waf":
                allowed = self.headers.get("User-Agent", "").startswith("CNCF-K8s-AI")
                self._send(200 if allowed else 403, PAGE, body)
            elif path == "/log.txt":
                self._send(200, b"plain log #install", body, content_type="text/plain")
            elif path == "/landscape.yml":
                self._send(200, LANDSCAPE, body, content_type="text/yaml")
            else:
                self._send(404, b"no such route", body)

    return Handler


@contextmanager
def loopback_server() -> Iterator[Served]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Served("")))
    server.daemon_threads, server.block_on_close = True, False  # a sleeping /slow never holds us
    served = Served(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(served)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
