"""The validator CNCF CI runs (``scripts/validate.go`` of cncf/k8s-ai-conformance), built
offline: Debian's Go and gopkg.in/yaml.v3 in GOPATH mode, no module download (GOPROXY=off), and a
small Go file of ours that answers its two network calls (the CNCF landscape, URL checks) from
memory.  Without Go or yaml.v3 the tests that need it skip."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

GOPATH = Path("/usr/share/gocode")  # golang-gopkg-yaml.v3-dev installs gopkg.in/yaml.v3 here

_STUB = """//go:build validate

package main

// Offline stand-ins for the validator's network: the landscape lists $VALIDATOR_MEMBERS
// (comma-separated) as CNCF members, and every other URL answers 200.

import (
	"io"
	"net/http"
	"os"
	"strings"
)

type offline struct{}

func (offline) RoundTrip(req *http.Request) (*http.Response, error) {
	body := ""
	if req.URL.String() == landscapeURL {
		body = "landscape:\\n- name: CNCF Members\\n  subcategories:\\n" +
			"  - name: Members\\n    items:\\n"
		for _, member := range strings.Split(os.Getenv("VALIDATOR_MEMBERS"), ",") {
			body += "    - name: \\"" + member + " (member)\\"\\n"
		}
	}
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{},
		Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

func init() { http.DefaultTransport = offline{} }
"""


def build_validator(conformance_repo: Path, folder: Path) -> Path:
    """Compile the snapshot's validate.go with the stub into ``folder``; skip without Go."""
    go = shutil.which("go")
    if not go or not (GOPATH / "src" / "gopkg.in" / "yaml.v3").is_dir():
        pytest.skip("the real validator needs Go and golang-gopkg-yaml.v3-dev")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(conformance_repo / "scripts" / "validate.go", folder / "validate.go")
    (folder / "offline_stub.go").write_text(_STUB, encoding="utf-8")
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": str(GOPATH), "GOPROXY": "off",
           "GOFLAGS": "", "GOCACHE": str(folder / "gocache")}
    subprocess.run([go, "build", "-tags", "validate", "-o", "validator", "validate.go",
                    "offline_stub.go"], cwd=folder, env=env, check=True, capture_output=True,
                   timeout=300)
    return folder / "validator"


def run_validator(validator: Path, repo: Path, product: str, members: str
                  ) -> subprocess.CompletedProcess[str]:
    """Run it as CI does: from the checkout's root, on ``vX.Y/<dir>/PRODUCT.yaml``."""
    return subprocess.run([str(validator), product], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "VALIDATOR_MEMBERS": members}, timeout=120)
