#!/usr/bin/env bash
# More pods than physical devices share one node's accelerators, up to the advertised units
# Requirement gpu_sharing, Kubernetes v1.35, variant device-plugin.
# Exported by k8s-ai-evidence from device-plugin.yaml; runs with bash and kubectl only
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
  # delete-sharers: expect exit code 0
  kubectl delete deployments --all -n aic-gpu-sharing-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-pods: expect exit code 0
  kubectl delete pods --all -n aic-gpu-sharing-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-gpu-sharing-dc1890 --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=gpu_sharing --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- setup: shared-node: A node labelled with the sharing strategy, and the units it advertises
# node: expect exit code 0; a line matches /\S/
sharedNode=$(kubectl get nodes -l nvidia.com/gpu.sharing-strategy=time-slicing -o 'jsonpath={.items[0].metadata.name}'); echo "sharedNode=$sharedNode"
# units: expect exit code 0; a line matches /^[1-9][0-9]*$/
sharedUnits=$(kubectl get node gpu-shared-0 -o 'go-template={{index .status.allocatable "nvidia.com/gpu"}}'); echo "sharedUnits=$sharedUnits"

# --- positive: sharing-advertised: The node advertises more units of the resource than it has physical devices
# units-and-devices: expect exit code 0; builtin check shared_capacity
kubectl get node gpu-shared-0 -o 'go-template={{.metadata.name}}{{"\t"}}{{index .status.allocatable "nvidia.com/gpu"}}{{"\t"}}{{index .metadata.labels "nvidia.com/gpu.count"}}{{"\n"}}'

# --- positive: pods-share-devices: As many pods as advertised units run on the node at once, several on one physical device
# apply: expect exit code 0
kubectl apply -f - < manifests/sharers.yaml
# all-ready: expect exit code 0; output is '8'
retry 300 10 kubectl get deployment gpu-share -n aic-gpu-sharing-dc1890 -o 'jsonpath={.status.readyReplicas}'
# devices-seen: expect exit code 0; builtin check shared_device
kubectl logs -l app=gpu-share -n aic-gpu-sharing-dc1890 --prefix --tail=-1

# --- negative: beyond-units-pending: One more pod than the advertised units stays pending as Insufficient
# apply: expect exit code 0
kubectl apply -f - < manifests/one-too-many.yaml
# stays-pending: expect exit code 0; output is 'Pending'
repeat_for 60 15 kubectl get pod one-too-many -n aic-gpu-sharing-dc1890 -o 'jsonpath={.status.phase}'
# scheduler-reason: expect exit code 0; a line matches /Insufficient nvidia.com/gpu/
kubectl get events -n aic-gpu-sharing-dc1890 --field-selector involvedObject.name=one-too-many,reason=FailedScheduling
