#!/usr/bin/env bash
# Kueue admits a gang that fits as a whole, and none of a gang that does not
# Requirement gang_scheduling, Kubernetes v1.35, variant kueue.
# Exported by k8s-ai-evidence from kueue.yaml; runs with bash and kubectl only
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
  # delete-jobs: expect exit code 0
  kubectl delete jobs --all -n aic-gang-scheduling-dc1890 --ignore-not-found --cascade=foreground --timeout=180s
  # delete-pods: expect exit code 0
  kubectl delete pods --all -n aic-gang-scheduling-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-gang-scheduling-dc1890 --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=gang_scheduling --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- setup: kueue-ready: Kueue serves its API at kueueVersion and the ClusterQueue (clusterQueue) exists
# crds: expect exit code 0
kubectl get crd clusterqueues.kueue.x-k8s.io localqueues.kueue.x-k8s.io workloads.kueue.x-k8s.io
# kueue-version-served: expect exit code 0; a line matches /^v1beta2$/
kubectl get crd localqueues.kueue.x-k8s.io -o 'go-template={{range .spec.versions}}{{if .served}}{{.name}}{{"\n"}}{{end}}{{end}}'
# cluster-queue: expect exit code 0
kubectl get clusterqueues.v1beta2.kueue.x-k8s.io cluster-queue
# local-queue: expect exit code 0
kubectl apply -f - < manifests/localqueue.yaml

# --- positive: gang-fits-admitted: A Job whose pods fit is admitted as a whole and all its pods run
# apply: expect exit code 0
kubectl apply -f - < manifests/job-gang-fits.yaml
# job-uid: expect exit code 0; a line matches /^[0-9a-f-]{36}$/
fitsJobUid=$(kubectl get job gang-fits -n aic-gang-scheduling-dc1890 -o 'jsonpath={.metadata.uid}'); echo "fitsJobUid=$fitsJobUid"
# admitted: expect exit code 0; a line matches /^\S+\tTrue$/
retry 120 5 kubectl get workloads.v1beta2.kueue.x-k8s.io -n aic-gang-scheduling-dc1890 -l kueue.x-k8s.io/job-uid=6f1c2e0a-3b7d-4c9e-8a51-2d4f6b8e9c13 -o 'jsonpath={range .items[*]}{.metadata.name}{"\t"}{.status.conditions[?(@.type=="Admitted")].status}{"\n"}{end}'
# all-bound: expect exit code 0; builtin check pods_bound
retry 120 5 kubectl get pods -n aic-gang-scheduling-dc1890 -l job-name=gang-fits -o json
# completed: expect exit code 0
kubectl wait --for=condition=complete job/gang-fits -n aic-gang-scheduling-dc1890 --timeout=300s

# --- negative: gang-too-big-not-scheduled: A Job needing more than the quota gets no pod scheduled through the wait window
# apply: expect exit code 0
kubectl apply -f - < manifests/job-gang-too-big.yaml
# none-bound: expect exit code 0; builtin check pods_bound
repeat_for 60 15 kubectl get pods -n aic-gang-scheduling-dc1890 -l job-name=gang-too-big -o json
# job-uid: expect exit code 0; a line matches /^[0-9a-f-]{36}$/
tooBigJobUid=$(kubectl get job gang-too-big -n aic-gang-scheduling-dc1890 -o 'jsonpath={.metadata.uid}'); echo "tooBigJobUid=$tooBigJobUid"
# not-admitted: expect exit code 0; a line matches /^\S+\tFalse\t/
retry 60 5 kubectl get workloads.v1beta2.kueue.x-k8s.io -n aic-gang-scheduling-dc1890 -l kueue.x-k8s.io/job-uid=b2d94f17-8c3e-4a6b-9f05-7e1a3c5d2b48 -o 'jsonpath={range .items[*]}{.metadata.name}{"\t"}{.status.conditions[?(@.type=="QuotaReserved")].status}{"\t"}{.status.conditions[?(@.type=="QuotaReserved")].message}{"\n"}{end}'
