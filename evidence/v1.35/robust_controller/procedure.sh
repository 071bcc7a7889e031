#!/usr/bin/env bash
# KubeRay runs, its webhook rejects an invalid RayCluster and a valid one becomes ready
# Requirement robust_controller, Kubernetes v1.35, variant kuberay.
# Exported by k8s-ai-evidence from kuberay.yaml; runs with bash and kubectl only
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
  # delete-rayclusters: expect exit code 0
  kubectl delete rayclusters --all -n aic-robust-controller-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-pods: expect exit code 0
  kubectl delete pods --all -n aic-robust-controller-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-robust-controller-dc1890 --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=robust_controller --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- setup: operator-ready: The operator's pods (operatorSelector in operatorNamespace) are ready, its CRDs established and its RayCluster webhook (webhookName) registered
# pods: expect exit code 0
kubectl wait --for=condition=Ready pods -l app.kubernetes.io/component=kuberay-operator -n ray-system --timeout=120s
# crds: expect exit code 0
kubectl wait --for=condition=Established crd/rayclusters.ray.io crd/rayjobs.ray.io crd/rayservices.ray.io --timeout=60s
# webhook: expect exit code 0; a line matches /^\S+\tvraycluster.kb.io\tray-system/\S+\tcaBundle$/
kubectl get validatingwebhookconfigurations -o 'go-template={{range .items}}{{$config := .metadata.name}}{{range .webhooks}}{{$hook := .}}{{range .rules}}{{range .resources}}{{if eq . "rayclusters"}}{{$config}}{{"\t"}}{{$hook.name}}{{"\t"}}{{with $hook.clientConfig.service}}{{.namespace}}/{{.name}}{{end}}{{"\t"}}{{if $hook.clientConfig.caBundle}}caBundle{{else}}no caBundle{{end}}{{"\n"}}{{end}}{{end}}{{end}}{{end}}{{end}}'

# --- negative: invalid-denied-by-webhook: An invalid RayCluster is denied by the operator's admission webhook, not by the schema
# apply: expect a non-zero exit code; builtin check webhook_denied
kubectl apply -f - -v=8 < manifests/invalid-raycluster.yaml
# not-created: expect exit code 0; output is ''
kubectl get rayclusters -n aic-robust-controller-dc1890 -o name

# --- positive: valid-reconciled: A valid RayCluster is reconciled into head and worker pods and reaches ready
# apply: expect exit code 0
kubectl apply -f - < manifests/raycluster.yaml
# ready: expect exit code 0
kubectl wait '--for=jsonpath={.status.state}=ready' raycluster/aic-ray -n aic-robust-controller-dc1890 --timeout=600s
# pods: expect exit code 0; lines matching /\sRunning\s.*\s(head|worker)$/: equals 2
kubectl get pods -n aic-robust-controller-dc1890 -l ray.io/cluster=aic-ray -L ray.io/node-type
# head-service: expect exit code 0; a line matches /^service/aic-ray-head-svc$/
kubectl get service -n aic-robust-controller-dc1890 -l ray.io/cluster=aic-ray -o name
