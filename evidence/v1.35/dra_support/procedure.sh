#!/usr/bin/env bash
# DRA APIs served, devices published, claims allocated and enforced
# Requirement dra_support, Kubernetes v1.35, variant default.
# Exported by k8s-ai-evidence from default.yaml; runs with bash and kubectl only
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
  kubectl delete pods --all -n aic-dra-support-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-claims: expect exit code 0
  kubectl delete resourceclaims --all -n aic-dra-support-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-dra-support-dc1890 --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=dra_support --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- positive: api-served: resource.k8s.io is served at v1
# api-versions: expect exit code 0; builtin check api_served
kubectl api-versions

# --- positive: api-resources: DeviceClass, ResourceClaim, ResourceClaimTemplate and ResourceSlice are served
# api-resources: expect exit code 0; lines matching /^(deviceclasses|resourceclaims|resourceclaimtemplates|resourceslices)\s/: equals 4
kubectl api-resources --api-group=resource.k8s.io

# --- positive: devices-published: The DeviceClass (deviceClass) exists and the driver (driver) publishes ResourceSlices
# device-class: expect exit code 0
kubectl get deviceclass gpu.nvidia.com
# resource-slices: expect exit code 0; lines matching /\sgpu.nvidia.com\s/: min 1
kubectl get resourceslices

# --- positive: claim-allocated: A pod's ResourceClaimTemplate is allocated and its container sees the device
# apply: expect exit code 0
kubectl apply -f - < manifests/claim-pod.yaml
# wait-ready: expect exit code 0
kubectl wait --for=condition=Ready pod/dra-consumer -n aic-dra-support-dc1890 --timeout=300s
# claim-state: expect exit code 0; a line matches /^dra-consumer-gpu-\S+\s+allocated/
kubectl get resourceclaims -n aic-dra-support-dc1890
# device-visible: expect exit code 0; builtin check device_probe
kubectl exec dra-consumer -n aic-dra-support-dc1890 -- sh -c 'n=0; for d in /dev/nvidia[0-9]*; do [ -e "$d" ] && n=$((n+1)); done; echo "RESULT: ACCELERATOR_COUNT=$n"; echo "RESULT: VISIBLE_DEVICES=$(env | sed -n "s/^NVIDIA_VISIBLE_DEVICES=//p")"'

# --- negative: unsatisfiable-claim-pending: A claim whose selector no device satisfies stays pending and its pod is not scheduled
# apply: expect exit code 0
kubectl apply -f - < manifests/unsatisfiable.yaml
# stays-pending: expect exit code 0; output is 'Pending'
repeat_for 60 15 kubectl get pod dra-unsatisfiable -n aic-dra-support-dc1890 -o 'jsonpath={.status.phase}'
# scheduler-reason: expect exit code 0; a line matches /cannot allocate all claims/
kubectl get events -n aic-dra-support-dc1890 --field-selector involvedObject.name=dra-unsatisfiable,reason=FailedScheduling
