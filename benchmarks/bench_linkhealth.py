"""The link checker against 300 URLs on loopback servers that answer after 100 ms each.

Goal: a few seconds, not the thirty a sequential check takes.  The URLs are spread over ten
loopback hosts (127.0.0.1-10), as evidence links spread over vendors' hosts, so that the
per-host politeness limit applies as it would in a real review.  The sequential baseline is
measured in the same run on the first 60 URLs and scaled to 300.
"""

from __future__ import annotations

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from generator.linkhealth import CheckOptions, check_links

URLS, HOSTS, DELAY, SAMPLE = 300, 10, 0.1, 60


class Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        time.sleep(DELAY)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def serve(host: str) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer((host, 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}"


def timed(urls: list[str], options: CheckOptions) -> float:
    start = time.perf_counter()
    results = check_links(urls, options)
    elapsed = time.perf_counter() - start
    assert all(r.outcome == "ok" for r in results.values()), "a loopback URL failed"
    return elapsed


def main() -> int:
    servers = [serve(f"127.0.0.{i}") for i in range(1, HOSTS + 1)]
    urls = [f"{servers[i % HOSTS][1]}/evidence/{i}" for i in range(URLS)]
    try:
        concurrent = timed(urls, CheckOptions(use_cache=False))
        sequential = timed(urls[:SAMPLE], CheckOptions(concurrency=1, per_host=1,
                                                       use_cache=False)) * URLS / SAMPLE
    finally:
        for server, _ in servers:
            server.shutdown()
    print(f"linkcheck: {URLS} URLs on {HOSTS} loopback hosts answering in {DELAY * 1000:.0f} ms")
    print(f"  concurrent (32 at once, 6 per host): {concurrent:.2f} s")
    print(f"  sequential (measured on {SAMPLE}, scaled): {sequential:.2f} s")
    print(f"  ratio sequential/concurrent: {sequential / concurrent:.1f}x "
          f"(goal: a few seconds: {'met' if concurrent < 5 else 'MISSED'})")
    return 0 if concurrent < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
