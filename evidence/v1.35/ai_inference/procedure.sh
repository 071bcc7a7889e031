#!/usr/bin/env bash
# A Gateway API implementation splits, routes by header and refuses inference traffic
# Requirement ai_inference, Kubernetes v1.35, variant gateway-api.
# Exported by k8s-ai-evidence from gateway-api.yaml; runs with bash and kubectl only
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
  # delete-routes: expect exit code 0
  kubectl delete httproutes,gateways --all -n aic-ai-inference-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-pods: expect exit code 0
  kubectl delete pods --all -n aic-ai-inference-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-ai-inference-dc1890 --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=ai_inference --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- setup: gateway-class-accepted: The GatewayClass is accepted by its controller
# accepted: expect exit code 0; output is 'True'
kubectl get gatewayclass eg -o 'jsonpath={.status.conditions[?(@.type=="Accepted")].status}'

# --- setup: route-programmed: A Gateway is programmed and an HTTPRoute to three backends is accepted
# backend-primary: expect exit code 0
kubectl apply -f - < manifests/backend-infer-v1.yaml
# backend-canary: expect exit code 0
kubectl apply -f - < manifests/backend-infer-v2.yaml
# backend-header: expect exit code 0
kubectl apply -f - < manifests/backend-infer-lora.yaml
# gateway: expect exit code 0
kubectl apply -f - < manifests/gateway.yaml
# route: expect exit code 0
kubectl apply -f - < manifests/route.yaml
# client: expect exit code 0
kubectl run aic-client -n aic-ai-inference-dc1890 --image=curlimages/curl:8.11.1 --restart=Never --command -- sleep 3600
# backends-available: expect exit code 0
kubectl wait --for=condition=Available deployment --all -n aic-ai-inference-dc1890 --timeout=300s
# gateway-programmed: expect exit code 0
kubectl wait --for=condition=Programmed gateway/aic-gateway -n aic-ai-inference-dc1890 --timeout=300s
# route-accepted: expect exit code 0
kubectl wait '--for=jsonpath={.status.parents[0].conditions[?(@.type=="Accepted")].status}=True' httproute/aic-inference -n aic-ai-inference-dc1890 --timeout=300s
# refs-resolved: expect exit code 0; output is 'True'
kubectl get httproute aic-inference -n aic-ai-inference-dc1890 -o 'jsonpath={.status.parents[0].conditions[?(@.type=="ResolvedRefs")].status}'
# address: expect exit code 0; a line matches /\S/
gatewayAddress=$(kubectl get gateway aic-gateway -n aic-ai-inference-dc1890 -o 'jsonpath={.status.addresses[0].value}'); echo "gatewayAddress=$gatewayAddress"
# client-ready: expect exit code 0
kubectl wait --for=condition=Ready pod/aic-client -n aic-ai-inference-dc1890 --timeout=300s
# route-serving: expect exit code 0; output is '200'
retry 300 10 kubectl exec aic-client -n aic-ai-inference-dc1890 -- curl -sS -m 5 -o /dev/null -w '%{http_code}' -H 'Host: infer.example.test' http://198.51.100.24/hostname

# --- positive: weighted-split: Requests are split between two backends by the route's weights, counted per backend
# requests: expect exit code 0; builtin check backend_split
kubectl exec aic-client -n aic-ai-inference-dc1890 -- sh -c 'for i in $(seq 200); do curl -sS -m 5 -H '"'"'Host: infer.example.test'"'"' -w '"'"' %{http_code}\n'"'"' http://198.51.100.24/hostname; done'

# --- positive: header-routing: A request with the model header reaches only the backend for that model
# requests: expect exit code 0; builtin check backend_split
kubectl exec aic-client -n aic-ai-inference-dc1890 -- sh -c 'for i in $(seq 20); do curl -sS -m 5 -H '"'"'Host: infer.example.test'"'"' -H '"'"'x-model: llama-3.1-8b-lora'"'"' -w '"'"' %{http_code}\n'"'"' http://198.51.100.24/hostname; done'

# --- negative: wrong-header-not-routed: Another model header value never reaches the header-only backend
# requests: expect exit code 0; builtin check backend_split
kubectl exec aic-client -n aic-ai-inference-dc1890 -- sh -c 'for i in $(seq 20); do curl -sS -m 5 -H '"'"'Host: infer.example.test'"'"' -H '"'"'x-model: mistral-7b'"'"' -w '"'"' %{http_code}\n'"'"' http://198.51.100.24/hostname; done'

# --- negative: unmatched-refused: A request that matches no route is refused with 404
# request: expect exit code 0; output is '404'
kubectl exec aic-client -n aic-ai-inference-dc1890 -- curl -sS -m 5 -o /dev/null -w '%{http_code}' -H 'Host: unrouted.example.test' http://198.51.100.24/hostname
