#!/usr/bin/env bash
# Only the container a device is allocated to can see it
# Requirement secure_accelerator_access, Kubernetes v1.35, variant dra.
# Exported by k8s-ai-evidence from dra.yaml; runs with bash and kubectl only
# (uses the current kubectl context; cleanup runs on exit).
set -uo pipefail
cd "$(dirname "$0")"

retry() {  # retry TIMEOUT INTERVAL COMMAND...: until the command succeeds
  local deadline=$((SECONDS + $1)) interval=$2; shift 2
  until "$@"; do [ "$SECONDS" -ge "$deadline" ] && return 1; sleep "$interval"; done
}
repeat_for() {  # repeat_for DURATION INTERVAL COMMAND...: the output must hold throughout
  local deadline=$((SECONDS + $1)) interval=$2; shift 2
  while "$@"; [ "$SECONDS" -lt "$deadline" ]; do sleep "$interval"; done
}

cleanup() {
  # --- cleanup: cleanup: Clean up everything this run created
  # delete-pods: expect exit code 0
  kubectl delete pods --all -n aic-secure-accelerator-access-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-claims: expect exit code 0
  kubectl delete resourceclaims --all -n aic-secure-accelerator-access-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-secure-accelerator-access-dc1890 --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=secure_accelerator_access --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- setup: granted-pod-running: A pod granted one device through a ResourceClaimTemplate is running
# apply: expect exit code 0
kubectl apply -f - < manifests/granted.yaml
# wait-ready: expect exit code 0
kubectl wait --for=condition=Ready pod/granted -n aic-secure-accelerator-access-dc1890 --timeout=300s
# node: expect exit code 0; a line matches /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/
grantedNode=$(kubectl get pod granted -n aic-secure-accelerator-access-dc1890 -o 'jsonpath={.spec.nodeName}'); echo "grantedNode=$grantedNode"

# --- positive: granted-sees-one: The container the device is allocated to sees exactly one device
# list-devices: expect exit code 0; builtin check device_probe
kubectl exec granted -n aic-secure-accelerator-access-dc1890 -c owner -- sh -c 'n=0; for d in /dev/nvidia[0-9]*; do [ -e "$d" ] && n=$((n+1)); done; echo "RESULT: ACCELERATOR_COUNT=$n"; echo "RESULT: VISIBLE_DEVICES=$(env | sed -n "s/^NVIDIA_VISIBLE_DEVICES=//p")"'

# --- negative: other-container-sees-none: A second container of the same pod, without the claim, sees no device
# list-devices: expect exit code 0; builtin check device_probe
kubectl exec granted -n aic-secure-accelerator-access-dc1890 -c other -- sh -c 'n=0; for d in /dev/nvidia[0-9]*; do [ -e "$d" ] && n=$((n+1)); done; echo "RESULT: ACCELERATOR_COUNT=$n"; echo "RESULT: VISIBLE_DEVICES=$(env | sed -n "s/^NVIDIA_VISIBLE_DEVICES=//p")"'

# --- negative: no-request-sees-none: A pod without any device request, on the same node, sees no device
# apply: expect exit code 0
kubectl apply -f - < manifests/no-request.yaml
# wait-ready: expect exit code 0
kubectl wait --for=condition=Ready pod/no-request -n aic-secure-accelerator-access-dc1890 --timeout=300s
# list-devices: expect exit code 0; builtin check device_probe
kubectl exec no-request -n aic-secure-accelerator-access-dc1890 -- sh -c 'n=0; for d in /dev/nvidia[0-9]*; do [ -e "$d" ] && n=$((n+1)); done; echo "RESULT: ACCELERATOR_COUNT=$n"; echo "RESULT: VISIBLE_DEVICES=$(env | sed -n "s/^NVIDIA_VISIBLE_DEVICES=//p")"'

# --- negative: capacity-enforced: A claim for all devices of the node cannot be allocated while one is held
# apply: expect exit code 0
kubectl apply -f - < manifests/all-devices.yaml
# stays-pending: expect exit code 0; output is 'Pending'
repeat_for 60 15 kubectl get pod all-devices -n aic-secure-accelerator-access-dc1890 -o 'jsonpath={.status.phase}'
# scheduler-reason: expect exit code 0; a line matches /cannot allocate all claims/
kubectl get events -n aic-secure-accelerator-access-dc1890 --field-selector involvedObject.name=all-devices,reason=FailedScheduling
