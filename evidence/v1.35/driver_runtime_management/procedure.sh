#!/usr/bin/env bash
# Every accelerator node reports its driver, and a pod's driver query matches the node's
# Requirement driver_runtime_management, Kubernetes v1.35, variant device-plugin.
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
  # delete-pods: expect exit code 0
  kubectl delete pods --all -n aic-driver-runtime-management-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-driver-runtime-management-dc1890 --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=driver_runtime_management --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- positive: nodes-report-driver: Every node advertising the accelerator (resourceName) reports a driver version (driverVersionLabel)
# nodes: expect exit code 0; builtin check driver_reported
kubectl get nodes -o 'go-template={{range .items}}{{.metadata.name}}{{"\t"}}{{index .status.allocatable "nvidia.com/gpu"}}{{"\t"}}{{index .metadata.labels "nvidia.com/cuda.driver-version.full"}}{{"\n"}}{{end}}'

# --- positive: runtime-configured: The accelerator's RuntimeClass (runtimeClass) names the expected container runtime handler (runtimeHandler)
# handler: expect exit code 0; output is 'nvidia'
kubectl get runtimeclass nvidia -o 'jsonpath={.handler}'

# --- negative: no-driver-no-accelerator: No node without a driver version advertises the accelerator
# nodes: expect exit code 0; builtin check no_driver_no_accelerator
kubectl get nodes -o 'go-template={{range .items}}{{.metadata.name}}{{"\t"}}{{index .status.allocatable "nvidia.com/gpu"}}{{"\t"}}{{index .metadata.labels "nvidia.com/cuda.driver-version.full"}}{{"\n"}}{{end}}'

# --- setup: query-pod-running: A pod granted one accelerator is running, and its node's driver version is known
# apply: expect exit code 0
kubectl apply -f - < manifests/driver-query.yaml
# wait-ready: expect exit code 0
kubectl wait --for=condition=Ready pod/driver-query -n aic-driver-runtime-management-dc1890 --timeout=300s
# node: expect exit code 0; a line matches /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/
queryNode=$(kubectl get pod driver-query -n aic-driver-runtime-management-dc1890 -o 'jsonpath={.spec.nodeName}'); echo "queryNode=$queryNode"
# node-driver: expect exit code 0; a line matches /^[0-9]+(\.[0-9]+)+$/
nodeDriverVersion=$(kubectl get node gpu-worker-0 -o 'go-template={{index .metadata.labels "nvidia.com/cuda.driver-version.full"}}'); echo "nodeDriverVersion=$nodeDriverVersion"

# --- positive: driver-query-matches-node: The driver query in the pod sees one device, with the driver version its node reports
# query: expect exit code 0; lines matching /^580.105.08, \S/: equals 1
kubectl exec driver-query -n aic-driver-runtime-management-dc1890 -- sh -c 'PATH="$PATH:/usr/local/nvidia/bin" LD_LIBRARY_PATH="/usr/local/nvidia/lib64" nvidia-smi --query-gpu=driver_version,name --format=csv,noheader'

# --- negative: no-request-no-device: A pod without an accelerator request, on the same node and RuntimeClass, gets no accelerator device
# apply: expect exit code 0
kubectl apply -f - < manifests/no-request.yaml
# wait-ready: expect exit code 0
kubectl wait --for=condition=Ready pod/no-request -n aic-driver-runtime-management-dc1890 --timeout=300s
# devices: expect exit code 0; builtin check device_probe
kubectl exec no-request -n aic-driver-runtime-management-dc1890 -- sh -c 'n=0; for d in /dev/nvidia[0-9]*; do [ -e "$d" ] && n=$((n+1)); done; echo "RESULT: ACCELERATOR_COUNT=$n"; echo "RESULT: VISIBLE_DEVICES=$(env | sed -n "s/^NVIDIA_VISIBLE_DEVICES=//p")"'
