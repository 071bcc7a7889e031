#!/usr/bin/env bash
# A pending accelerator pod brings a new node, runs on it, and the node goes away after
# Requirement cluster_autoscaling, Kubernetes v1.35, variant default.
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
  # delete-workload: expect exit code 0
  kubectl delete deployments --all -n aic-cluster-autoscaling-fab2db --ignore-not-found --wait=true --timeout=180s
  # delete-pods: expect exit code 0
  kubectl delete pods --all -n aic-cluster-autoscaling-fab2db --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-cluster-autoscaling-fab2db --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=cluster_autoscaling --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- setup: baseline: The accelerator node group as it is before the test, and the workload applied
# nodes-before: expect exit code 0; a line matches /\S/
nodesBefore=$(kubectl get nodes -l nvidia.com/gpu.present=true -o 'jsonpath={.items[*].metadata.name}'); echo "nodesBefore=$nodesBefore"
# apply: expect exit code 0
kubectl apply -f - < manifests/workload.yaml

# --- positive: pending-triggers-scale-up: Pods the group cannot host now are unschedulable and trigger a scale-up
# unschedulable: expect exit code 0; a line matches /Insufficient nvidia.com/gpu/
retry 180 10 kubectl get events -n aic-cluster-autoscaling-fab2db --field-selector reason=FailedScheduling
# scale-up-triggered: expect exit code 0; lines matching /\sTriggeredScaleUp\s/: min 1
retry 180 10 kubectl get events -n aic-cluster-autoscaling-fab2db --field-selector reason=TriggeredScaleUp

# --- positive: new-node-runs-pod: A node that was not there before joins the group and a pending pod runs on it
# node-added: expect exit code 0; builtin check new_names
retry 1200 30 kubectl get nodes -l nvidia.com/gpu.present=true -o 'jsonpath={.items[*].metadata.name}'
# all-ready: expect exit code 0; output is '3'
retry 1200 30 kubectl get deployment autoscale-probe -n aic-cluster-autoscaling-fab2db -o 'jsonpath={.status.readyReplicas}'
# pod-on-new-node: expect exit code 0; builtin check new_names
kubectl get pods -n aic-cluster-autoscaling-fab2db -l app=autoscale-probe --field-selector=status.phase=Running -o 'jsonpath={.items[*].spec.nodeName}'

# --- negative: oversized-pod-no-scale-up: A pod no node of the group could host stays pending and triggers no scale-up
# apply: expect exit code 0
kubectl apply -f - < manifests/oversized.yaml
# stays-pending: expect exit code 0; output is 'Pending'
repeat_for 120 15 kubectl get pod never-fits -n aic-cluster-autoscaling-fab2db -o 'jsonpath={.status.phase}'
# no-scale-up: expect exit code 0; lines matching /\sNotTriggerScaleUp\s/: min 1
retry 120 10 kubectl get events -n aic-cluster-autoscaling-fab2db --field-selector involvedObject.name=never-fits,reason=NotTriggerScaleUp

# --- positive: scale-down: After the workload is deleted, the added node is removed
# delete-workload: expect exit code 0
kubectl delete deployment/autoscale-probe pod/never-fits -n aic-cluster-autoscaling-fab2db --wait=true --timeout=180s
# node-removed: expect exit code 0; builtin check new_names
retry 1800 30 kubectl get nodes -l nvidia.com/gpu.present=true -o 'jsonpath={.items[*].metadata.name}'
