#!/usr/bin/env bash
# The accelerator metrics exporter serves per-device utilization and memory usage
# Requirement accelerator_metrics, Kubernetes v1.35, variant dcgm-exporter.
# Exported by k8s-ai-evidence from dcgm-exporter.yaml; runs with bash and kubectl only
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
  kubectl delete pods --all -n aic-accelerator-metrics-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-accelerator-metrics-dc1890 --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=accelerator_metrics --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- setup: exporter-found: An exporter pod runs on an accelerator node and a client pod can reach it
# accelerator-node: expect exit code 0; a line matches /\S/
gpuNode=$(kubectl get nodes -l nvidia.com/gpu.present=true -o 'jsonpath={.items[0].metadata.name}'); echo "gpuNode=$gpuNode"
# exporter-pod: expect exit code 0; a line matches /\S/
exporterIP=$(kubectl get pods -n gpu-operator -l app=nvidia-dcgm-exporter --field-selector spec.nodeName=gpu-worker-0,status.phase=Running -o 'jsonpath={.items[0].status.podIP}'); echo "exporterIP=$exporterIP"
# client: expect exit code 0
kubectl run aic-client -n aic-accelerator-metrics-dc1890 --image=curlimages/curl:8.11.1 --restart=Never --command -- sleep 3600
# client-ready: expect exit code 0
kubectl wait --for=condition=Ready pod/aic-client -n aic-accelerator-metrics-dc1890 --timeout=300s

# --- positive: per-device-metrics: Utilization and memory usage are served for each device, with device labels
# scrape: expect exit code 0; builtin check metric_families
kubectl exec aic-client -n aic-accelerator-metrics-dc1890 -- curl -sS -m 20 http://10.244.3.17:9400/metrics

# --- positive: utilization-under-load: A workload keeping one accelerator busy appears in the utilization family, attributed to its pod
# load: expect exit code 0
kubectl apply -f - < manifests/load.yaml
# load-running: expect exit code 0
kubectl wait --for=condition=Ready pod/aic-load -n aic-accelerator-metrics-dc1890 --timeout=300s
# busy: expect exit code 0; builtin check metric_samples
retry 300 15 kubectl exec aic-client -n aic-accelerator-metrics-dc1890 -- curl -sS -m 20 http://10.244.3.17:9400/metrics

# --- negative: attribution-ends-with-the-workload: Once the workload is gone, no utilization sample is attributed to it
# unload: expect exit code 0
kubectl delete pod aic-load -n aic-accelerator-metrics-dc1890 --wait=true --timeout=120s
# released: expect exit code 0; builtin check metric_samples
retry 300 15 kubectl exec aic-client -n aic-accelerator-metrics-dc1890 -- curl -sS -m 20 http://10.244.3.17:9400/metrics
