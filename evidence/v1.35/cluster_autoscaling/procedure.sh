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
  # delete-baseline: expect exit code 0
  kubectl delete deployments --all -n aic-cluster-autoscaling-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-pods: expect exit code 0
  kubectl delete pods --all -n aic-cluster-autoscaling-dc1890 --ignore-not-found --wait=true --timeout=180s
  # delete-namespace: expect exit code 0
  kubectl delete namespace aic-cluster-autoscaling-dc1890 --ignore-not-found --wait=true --timeout=180s
}
trap cleanup EXIT

# --- setup: namespace: Fresh namespace for this run
# pre-clean: expect exit code 0
kubectl delete namespace -l k8s-ai-evidence/requirement=cluster_autoscaling --ignore-not-found --wait=true --timeout=180s
# create: expect exit code 0
kubectl apply -f - < manifests/namespace.yaml

# --- setup: baseline: The node group (nodeLabel=nodeLabelValue) before the test, each node with acceleratorsPerPod accelerators and full with one baseline pod
# nodes-before: expect exit code 0
nodesBefore=$(kubectl get nodes -l node.kubernetes.io/instance-type=g6.12xlarge -o 'jsonpath={.items[*].metadata.name}'); echo "nodesBefore=$nodesBefore"
# node-count: expect exit code 0; a line matches /^[0-9]+$/
poolNodes=$(kubectl get nodes -l node.kubernetes.io/instance-type=g6.12xlarge -o 'go-template={{len .items}}'); echo "poolNodes=$poolNodes"
# node-capacity: expect exit code 0; lines matching /^\S+\t4$/: equals 2
kubectl get nodes -l node.kubernetes.io/instance-type=g6.12xlarge -o 'go-template={{range .items}}{{.metadata.name}}{{"\t"}}{{index .status.allocatable "nvidia.com/gpu"}}{{"\n"}}{{end}}'
# apply: expect exit code 0
kubectl apply -f - < manifests/baseline.yaml
# baseline-bound: expect exit code 0; builtin check pods_bound
retry 300 10 kubectl get pods -n aic-cluster-autoscaling-dc1890 -l app=autoscale-baseline -o json
# baseline-on-old-nodes: expect exit code 0; builtin check new_names
kubectl get pods -n aic-cluster-autoscaling-dc1890 -l app=autoscale-baseline -o 'jsonpath={.items[*].spec.nodeName}'

# --- positive: pending-triggers-scale-up: One more pod the full group cannot host is unschedulable and triggers a scale-up
# apply: expect exit code 0
kubectl apply -f - < manifests/trigger.yaml
# unschedulable: expect exit code 0; a line matches /Insufficient nvidia.com/gpu|didn't match Pod's node affinity/selector/
retry 180 10 kubectl get events -n aic-cluster-autoscaling-dc1890 --field-selector involvedObject.name=autoscale-trigger,reason=FailedScheduling
# scale-up-triggered: expect exit code 0; lines matching /\sTriggeredScaleUp\s/: min 1
retry 180 10 kubectl get events -n aic-cluster-autoscaling-dc1890 --field-selector involvedObject.name=autoscale-trigger,reason=TriggeredScaleUp

# --- positive: new-node-runs-pod: A node that was not there before joins the group and the pending pod runs on it
# node-added: expect exit code 0; builtin check new_names
retry 1200 30 kubectl get nodes -l node.kubernetes.io/instance-type=g6.12xlarge -o 'jsonpath={.items[*].metadata.name}'
# trigger-running: expect exit code 0; output is 'Running'
retry 1200 30 kubectl get pod autoscale-trigger -n aic-cluster-autoscaling-dc1890 -o 'jsonpath={.status.phase}'
# pod-on-new-node: expect exit code 0; builtin check new_names
kubectl get pod autoscale-trigger -n aic-cluster-autoscaling-dc1890 -o 'jsonpath={.spec.nodeName}'

# --- negative: oversized-pod-no-scale-up: A pod no node of the group could host stays pending and triggers no scale-up
# apply: expect exit code 0
kubectl apply -f - < manifests/oversized.yaml
# stays-pending: expect exit code 0; output is 'Pending'
repeat_for 120 15 kubectl get pod never-fits -n aic-cluster-autoscaling-dc1890 -o 'jsonpath={.status.phase}'
# no-scale-up: expect exit code 0; lines matching /\sNotTriggerScaleUp\s/: min 1
retry 120 10 kubectl get events -n aic-cluster-autoscaling-dc1890 --field-selector involvedObject.name=never-fits,reason=NotTriggerScaleUp

# --- positive: scale-down: After the extra pods are deleted, the added node is removed
# delete-extra-pods: expect exit code 0
kubectl delete pod/autoscale-trigger pod/never-fits -n aic-cluster-autoscaling-dc1890 --wait=true --timeout=180s
# node-removed: expect exit code 0; builtin check new_names
retry 1800 30 kubectl get nodes -l node.kubernetes.io/instance-type=g6.12xlarge -o 'jsonpath={.items[*].metadata.name}'
