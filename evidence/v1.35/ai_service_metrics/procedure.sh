#!/usr/bin/env bash
# A workload's Prometheus metrics are discovered through a monitor object and counted exactly
# Requirement ai_service_metrics, Kubernetes v1.35, variant prometheus-operator.
# Exported by k8s-ai-evidence from prometheus-operator.yaml; runs with bash and kubectl only
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
  # delete-monitor: expect exit code 0
  kubectl delete servicemonitors,podmonitors --all -n aic-ai-service-metrics-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-pods: expect exit code 0
  kubectl delete pods --all -n aic-ai-service-metrics-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-ai-service-metrics-dc1890 --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=ai_service_metrics --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- setup: workload-exposes-metrics: The monitor kind is served and the monitored and unmonitored workloads run
# monitor-kind: expect exit code 0; a line matches /\sServiceMonitor$/
kubectl api-resources --api-group=monitoring.coreos.com
# monitored-app: expect exit code 0
kubectl apply -f - < manifests/app-aic-metrics-app.yaml
# unmonitored-app: expect exit code 0
kubectl apply -f - < manifests/app-aic-unmonitored.yaml
# monitor: expect exit code 0
kubectl apply -f - < manifests/monitor.yaml
# client: expect exit code 0
kubectl run aic-client -n aic-ai-service-metrics-dc1890 --image=curlimages/curl:8.11.1 --restart=Never --command -- sleep 3600
# apps-available: expect exit code 0
kubectl wait --for=condition=Available deployment --all -n aic-ai-service-metrics-dc1890 --timeout=300s
# client-ready: expect exit code 0
kubectl wait --for=condition=Ready pod/aic-client -n aic-ai-service-metrics-dc1890 --timeout=300s

# --- positive: requests-counted: The workload counts exactly the requests sent, and so does the monitoring system
# send: expect exit code 0; lines matching /^200$/: equals 25
kubectl exec aic-client -n aic-ai-service-metrics-dc1890 -- sh -c 'for i in $(seq 25); do curl -sS -m 5 -o /dev/null -w '"'"'%{http_code}\n'"'"' http://aic-metrics-app:8080/; done'
# exposition: expect exit code 0; a line matches /^http_requests_total\{code="200",method="get"\} 25$/
kubectl exec aic-client -n aic-ai-service-metrics-dc1890 -- curl -sS -m 10 http://aic-metrics-app:8080/metrics
# query: expect exit code 0; builtin check prometheus_vector
retry 300 15 kubectl exec aic-client -n aic-ai-service-metrics-dc1890 -- curl -sS -m 20 --data-urlencode 'query=sum(http_requests_total{namespace="aic-ai-service-metrics-dc1890",pod=~"aic-metrics-app-.*"})' http://prometheus-operated.monitoring.svc:9090/api/v1/query

# --- negative: unmonitored-not-scraped: The same workload without a monitor object is not scraped
# send: expect exit code 0; lines matching /^200$/: equals 10
kubectl exec aic-client -n aic-ai-service-metrics-dc1890 -- sh -c 'for i in $(seq 10); do curl -sS -m 5 -o /dev/null -w '"'"'%{http_code}\n'"'"' http://aic-unmonitored:8080/; done'
# query: expect exit code 0; builtin check prometheus_vector
repeat_for 90 15 kubectl exec aic-client -n aic-ai-service-metrics-dc1890 -- curl -sS -m 20 --data-urlencode 'query=http_requests_total{namespace="aic-ai-service-metrics-dc1890",pod=~"aic-unmonitored-.*"}' http://prometheus-operated.monitoring.svc:9090/api/v1/query
