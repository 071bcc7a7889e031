#!/usr/bin/env bash
set -euo pipefail
kubectl api-resources --api-group=resource.k8s.io
kubectl apply -f manifests/claim.yaml
