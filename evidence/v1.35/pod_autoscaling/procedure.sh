#!/usr/bin/env bash
# An HPA scales accelerator pods on a custom metric, up when it rises and down when it falls
# Requirement pod_autoscaling, Kubernetes v1.35, variant default.
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
  # delete-hpa: expect exit code 0
  kubectl delete hpa,deployments --all -n aic-pod-autoscaling-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-pods: expect exit code 0
  kubectl delete pods --all -n aic-pod-autoscaling-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-pod-autoscaling-dc1890 --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=pod_autoscaling --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- setup: workload-running: The accelerator workload serves the metric, a PodMonitor scrapes it and an HPA targets it
# monitor-crd: expect exit code 0; output is 'True'
kubectl get crd podmonitors.monitoring.coreos.com -o 'jsonpath={.status.conditions[?(@.type=="Established")].status}'
# metric-low: expect exit code 0
kubectl apply -f - < manifests/load-metric-low.yaml
# apply-workload: expect exit code 0
kubectl apply -f - < manifests/workload.yaml
# apply-monitor: expect exit code 0
kubectl apply -f - < manifests/monitor.yaml
# rollout: expect exit code 0
kubectl rollout status deployment/metric-app -n aic-pod-autoscaling-dc1890 --timeout=300s
# exposition: expect exit code 0; a line matches /^aic_test_load 0$/
kubectl exec deployment/metric-app -n aic-pod-autoscaling-dc1890 -- wget -qO- http://localhost:8080/metrics
# content-type: expect exit code 0; a line on stderr matches /^\s*Content-Type: (text/plain|application/openmetrics-text)(;|$)/
kubectl exec deployment/metric-app -n aic-pod-autoscaling-dc1890 -- wget -S -O /dev/null http://localhost:8080/metrics
# apply-hpa: expect exit code 0
kubectl apply -f - < manifests/hpa.yaml

# --- positive: metric-served: The custom metric of the pods is served by custom.metrics.k8s.io and used by the HPA
# custom-metrics-api: expect exit code 0; a line matches /"metricName":"aic_test_load"/
retry 300 15 kubectl get --raw '/apis/custom.metrics.k8s.io/v1beta1/namespaces/aic-pod-autoscaling-dc1890/pods/*/aic_test_load'
# hpa-active: expect exit code 0; output is 'ValidMetricFound'
retry 300 15 kubectl get hpa metric-app -n aic-pod-autoscaling-dc1890 -o 'jsonpath={.status.conditions[?(@.type=="ScalingActive")].reason}'

# --- negative: no-scale-below-target: While the metric is below target the HPA keeps minReplicas
# stays-at-min: expect exit code 0; output is '1'
repeat_for 90 15 kubectl get hpa metric-app -n aic-pod-autoscaling-dc1890 -o 'jsonpath={.status.desiredReplicas}'

# --- positive: scales-up: With the metric above target the Deployment scales up and the new pods run
# metric-high: expect exit code 0
kubectl apply -f - < manifests/load-metric-high.yaml
# replicas-up: expect exit code 0; output is '3'
retry 600 15 kubectl get hpa metric-app -n aic-pod-autoscaling-dc1890 -o 'jsonpath={.status.currentReplicas}'
# pods-ready: expect exit code 0; output is '3'
retry 600 15 kubectl get deployment metric-app -n aic-pod-autoscaling-dc1890 -o 'jsonpath={.status.readyReplicas}'

# --- positive: scales-down: With the metric below target again the Deployment scales back down
# metric-low-again: expect exit code 0
kubectl apply -f - < manifests/load-metric-low-again.yaml
# replicas-down: expect exit code 0; output is '1'
retry 900 15 kubectl get hpa metric-app -n aic-pod-autoscaling-dc1890 -o 'jsonpath={.status.currentReplicas}'
