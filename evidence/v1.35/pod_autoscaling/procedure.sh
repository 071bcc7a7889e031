#!/usr/bin/env bash
# An HPA scales accelerator pods on a custom metric, up when it rises and down when it falls
# Requirement pod_autoscaling, Kubernetes v1.35, variant default.
# Exported by k8s-ai-evidence 0.1.0 from default.yaml. Re-run it with bash (4.4+),
# kubectl and grep against the current kubectl context: it runs the same checks, polls and
# holds as the tool and judges each step the same way. Builtin checks are judged by the
# tool's own code, "$AIC_JUDGE judge": AIC_JUDGE names that command (by default
# k8s-ai-evidence; empty for none). Exit 0: every deciding check passed; 1: a check failed;
# 2: nothing failed, but an expectation was not judged (no judge; see result.json).
# Values captured from kubectl output are captured again here, validated, and always quoted.
# shellcheck disable=SC2016  # a literal $ in a kubectl template or regex is meant
set -uo pipefail
AIC_JUDGE=${AIC_JUDGE-k8s-ai-evidence}  # the judge of builtin checks: "$AIC_JUDGE judge"
if AIC_JUDGE_PATH=$(type -P -- "$AIC_JUDGE"); then  # found here, before cd: kept absolute
  case $AIC_JUDGE_PATH in /*) ;; *) AIC_JUDGE_PATH=$PWD/$AIC_JUDGE_PATH ;; esac
fi
cd "$(dirname "$0")" || exit 3
AIC_OUT=$(mktemp) AIC_ERR=$(mktemp) || exit 3
AIC_RC=0 AIC_FAILED=0 AIC_DECIDED=0 AIC_UNJUDGED=0 AIC_BLOCKED=''
AIC_ROLE='' AIC_ID='' AIC_CHECK_UNJUDGED=0

run_step() {  # run_step MODE SPAN INTERVAL LIMIT EXPECT INPUT -- COMMAND...
  # MODE once|poll|hold; LIMIT seconds before the command is killed (with coreutils timeout,
  # where installed; a killed command fails its attempt, as in the tool); EXPECT a function
  # judging $AIC_RC, $AIC_OUT, $AIC_ERR; INPUT - or a function printing the manifest for stdin.
  # poll: until EXPECT holds; hold: EXPECT on every attempt until the window ends. As in the
  # tool, another attempt comes only if its pause still fits the window; the window counts
  # the pauses, so slow commands only lengthen it.
  local mode=$1 span=$2 interval=$3 limit=$4 expect=$5 input=$6 waited=0 ok line
  local -a kill_after=()
  shift 7
  if command -v timeout >/dev/null; then kill_after=(timeout "$limit"); fi
  while :; do
    printf '  $ %s
' "$*"
    if [ "$input" = - ]; then "${kill_after[@]}" "$@" </dev/null >"$AIC_OUT" 2>"$AIC_ERR"
    else "$input" | "${kill_after[@]}" "$@" >"$AIC_OUT" 2>"$AIC_ERR"; fi
    AIC_RC=$?
    while IFS= read -r line; do printf '    %s
' "$line"; done <"$AIC_OUT"
    while IFS= read -r line; do printf '    stderr: %s
' "$line"; done <"$AIC_ERR"
    if [ "${#kill_after[@]}" -gt 0 ] && [ "$AIC_RC" -eq 124 ]; then
      echo "  the command timed out after ${limit}s"; ok=0
    elif "$expect"; then ok=1; else ok=0; fi
    case $mode in
      poll) [ "$ok" = 1 ] && return 0 ;;
      hold) [ "$ok" = 0 ] && return 1 ;;
      *) [ "$ok" = 1 ]; return ;;
    esac
    if [ $((waited + interval)) -gt "$span" ]; then [ "$ok" = 1 ]; return; fi
    sleep "$interval"
    waited=$((waited + interval))
  done
}

probe_ran() {  # a probe that could not run (exit 126/127, "not found") proves nothing
  case $AIC_RC in 126|127) echo "  the probe could not run (exit $AIC_RC)"; return 1 ;; esac
  if grep -Eq -- 'command not found|executable file not found|^([^[:space:]]+: )+([0-9]+: )?[^[:space:]]+: not found$' "$AIC_OUT" "$AIC_ERR"; then
    echo "  the probe command is missing"; return 1
  fi
}

tolerated() {  # tolerated CODE ERE: a non-zero exit accepted with a known stderr line
  [ "$AIC_RC" -eq "$1" ] || return 1
  grep -Em1 -- "$2" "$AIC_ERR" | sed 's/^/  accepted: /' | grep . || return 1
}

trimmed() {  # trimmed FILE: its text without leading and trailing whitespace
  local text
  text=$(<"$1")
  text=${text#"${text%%[![:space:]]*}"}
  printf '%s' "${text%"${text##*[![:space:]]}"}"
}

count_lines() {  # count_lines ERE FILE [equals|min|max N]...: lines matching ERE within bounds
  local found
  found=$(grep -Ec -- "$1" "$2")
  shift 2
  while [ $# -gt 0 ]; do
    case $1 in
      equals) [ "$found" -eq "$2" ] ;;
      min) [ "$found" -ge "$2" ] ;;
      max) [ "$found" -le "$2" ] ;;
    esac || { echo "  $found lines match, expected $1 $2"; return 1; }
    shift 2
  done
}

unjudged() {  # unjudged WHAT: an expectation this script cannot judge; never a pass
  echo "  NOT JUDGED IN SHELL: $1 (the tool's verdict is in result.json)"
  AIC_CHECK_UNJUDGED=1
}

judged() {  # judged FILE BUILTIN ARG...: the tool's own builtin check on FILE, by the judge
  local line status
  "$AIC_JUDGE_PATH" judge "${@:2}" <"$1" 2>&1 |
    while IFS= read -r line; do printf '  %s judge: %s\n' "$AIC_JUDGE" "$line"; done
  status=${PIPESTATUS[0]}
  case $status in
    0|1) return "$status" ;;
    *) unjudged "builtin check $2: the judge did not judge it (exit $status)" ;;
  esac
}

capture() {  # capture NAME KIND: stdout, trimmed, validated, into variable NAME
  local value kind_re
  value=$(trimmed "$AIC_OUT")
  case $2 in
    token) kind_re='^[A-Za-z0-9][A-Za-z0-9._:/@+=-]*$' ;;
    words) kind_re='^([A-Za-z0-9][A-Za-z0-9._:/@+=-]*( [A-Za-z0-9][A-Za-z0-9._:/@+=-]*)*)?$' ;;
    integer) kind_re='^[0-9]+$' ;;
    dns-subdomain) kind_re='^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' ;;
  esac
  if ! [[ $value =~ $kind_re ]]; then
    printf '  captured value %q is not a %s\n' "$value" "$2"; return 1
  fi
  printf -v "$1" '%s' "$value"
}

render() {  # render NAME...: stdin with each ${NAME} replaced by its value, $$ by $
  local text name
  IFS= read -r -d '' text || true
  text=${text//'$$'/$'\001'}
  for name in "$@"; do text=${text//"\${$name}"/"${!name}"}; done
  printf '%s' "${text//$'\001'/'$'}"
}

check_begin() {  # check_begin ROLE ID TITLE
  AIC_ROLE=$1 AIC_ID=$2 AIC_CHECK_UNJUDGED=0
  printf '\n=== %s: %s: %s\n' "$1" "$2" "$3"
  if [ -n "$AIC_BLOCKED" ]; then echo "SKIPPED: $AIC_BLOCKED"; return 1; fi
}

check_end() {  # check_end STATUS
  local deciding=0
  case $AIC_ROLE in setup|positive|negative) deciding=1 ;; esac
  if [ "$1" -ne 0 ]; then
    echo "FAILED: $AIC_ID"
    if [ "$deciding" = 1 ]; then AIC_FAILED=1; fi
    if [ "$AIC_ROLE" = setup ]; then AIC_BLOCKED="setup check $AIC_ID did not pass"; fi
  elif [ "$AIC_CHECK_UNJUDGED" = 1 ]; then
    echo "NOT JUDGED: $AIC_ID"
    if [ "$deciding" = 1 ]; then AIC_UNJUDGED=1; fi
  else
    echo "PASSED: $AIC_ID"
    case $AIC_ROLE in positive|negative) AIC_DECIDED=1 ;; esac
  fi
}

expect_1() {  # expect exit code 0
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ]
}
manifest_5() {  # namespace.yaml
  cat <<'AIC_MANIFEST'
apiVersion: v1
kind: Namespace
metadata:
  name: aic-pod-autoscaling-b85fd3
  labels:
    k8s-ai-evidence/requirement: pod_autoscaling
AIC_MANIFEST
}
expect_6() {  # expect exit code 0; output is 'True'
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  [ "$(trimmed "$AIC_OUT")" = True ]
}
manifest_7() {  # load.yaml
  cat <<'AIC_MANIFEST'
# The gauge each pod serves: the textfile collector reads *.prom files on every scrape, and
# kubelet refreshes the mounted ConfigMap within about a minute of a change.
apiVersion: v1
kind: ConfigMap
metadata:
  name: metric-load
  namespace: aic-pod-autoscaling-b85fd3
data:
  load.prom: |
    # HELP aic_test_load Load level set by k8s-ai-evidence.
    # TYPE aic_test_load gauge
    aic_test_load 0
AIC_MANIFEST
}
manifest_8() {  # workload.yaml
  cat <<'AIC_MANIFEST'
# Pods that each hold an accelerator and serve the test's gauge through the Prometheus node
# exporter's textfile collector (the only collector enabled): a real exposition server, so the
# scrape carries a Content-Type Prometheus 3 accepts, and the value is whatever the mounted
# ConfigMap says.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: metric-app
  namespace: aic-pod-autoscaling-b85fd3
spec:
  replicas: 1
  selector:
    matchLabels:
      app: metric-app
  template:
    metadata:
      labels:
        app: metric-app
    spec:
      tolerations:
        - operator: Exists
          effect: NoSchedule
      containers:
        - name: app
          image: quay.io/prometheus/node-exporter:v1.9.1
          args:
            - --collector.disable-defaults
            - --collector.textfile
            - --collector.textfile.directory=/etc/aic-load
            - --web.listen-address=:8080
          ports:
            - name: metrics
              containerPort: 8080
          resources:
            limits:
              nvidia.com/gpu: "1"
          volumeMounts:
            - name: load
              mountPath: /etc/aic-load
              readOnly: true
      volumes:
        - name: load
          configMap:
            name: metric-load
AIC_MANIFEST
}
manifest_9() {  # monitor.yaml
  cat <<'AIC_MANIFEST'
# Tells the Prometheus Operator to scrape the pods (kube-prometheus-stack ignores
# prometheus.io/scrape annotations); its targets carry namespace and pod labels, which the
# metrics adapter maps to the pods the HPA asks about.
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: metric-app
  namespace: aic-pod-autoscaling-b85fd3
  labels:
    release: kube-prometheus-stack
spec:
  selector:
    matchLabels:
      app: metric-app
  podMetricsEndpoints:
    - port: metrics
      path: /metrics
      interval: 15s
AIC_MANIFEST
}
expect_11() {  # expect exit code 0; a line matches /^aic_test_load 0$/
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  grep -Eq -- '^aic_test_load 0$' "$AIC_OUT"
}
expect_12() {  # expect exit code 0; a line on stderr matches /^\s*Content-Type: (text/plain|application/openmetrics-text)(;|$)/
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  grep -Eq -- '^[[:space:]]*Content-Type: (text/plain|application/openmetrics-text)(;|$)' "$AIC_ERR"
}
manifest_13() {  # hpa.yaml
  cat <<'AIC_MANIFEST'
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: metric-app
  namespace: aic-pod-autoscaling-b85fd3
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: metric-app
  minReplicas: 1
  maxReplicas: 3
  metrics:
    - type: Pods
      pods:
        metric:
          name: aic_test_load
        target:
          type: AverageValue
          averageValue: "10"
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 60
AIC_MANIFEST
}
expect_14() {  # expect exit code 0; a line matches /"metricName":"aic_test_load"/
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  grep -Eq -- '"metricName":"aic_test_load"' "$AIC_OUT"
}
expect_15() {  # expect exit code 0; output is 'ValidMetricFound'
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  [ "$(trimmed "$AIC_OUT")" = ValidMetricFound ]
}
expect_16() {  # expect exit code 0; output is '1'
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  [ "$(trimmed "$AIC_OUT")" = 1 ]
}
manifest_17() {  # load.yaml
  cat <<'AIC_MANIFEST'
# The gauge each pod serves: the textfile collector reads *.prom files on every scrape, and
# kubelet refreshes the mounted ConfigMap within about a minute of a change.
apiVersion: v1
kind: ConfigMap
metadata:
  name: metric-load
  namespace: aic-pod-autoscaling-b85fd3
data:
  load.prom: |
    # HELP aic_test_load Load level set by k8s-ai-evidence.
    # TYPE aic_test_load gauge
    aic_test_load 50
AIC_MANIFEST
}
expect_18() {  # expect exit code 0; output is '3'
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  [ "$(trimmed "$AIC_OUT")" = 3 ]
}
manifest_20() {  # load.yaml
  cat <<'AIC_MANIFEST'
# The gauge each pod serves: the textfile collector reads *.prom files on every scrape, and
# kubelet refreshes the mounted ConfigMap within about a minute of a change.
apiVersion: v1
kind: ConfigMap
metadata:
  name: metric-load
  namespace: aic-pod-autoscaling-b85fd3
data:
  load.prom: |
    # HELP aic_test_load Load level set by k8s-ai-evidence.
    # TYPE aic_test_load gauge
    aic_test_load 0
AIC_MANIFEST
}

cleanup() {
  echo; echo '=== cleanup'
  run_step once 0 0 200 expect_1 - -- kubectl delete hpa,deployments --all -n aic-pod-autoscaling-b85fd3 --ignore-not-found --wait=true --timeout=180s || true
  run_step once 0 0 200 expect_1 - -- kubectl delete pods --all -n aic-pod-autoscaling-b85fd3 --ignore-not-found --wait=true --timeout=180s || true
  run_step once 0 0 200 expect_1 - -- kubectl delete namespace aic-pod-autoscaling-b85fd3 --ignore-not-found --wait=true --timeout=180s || true
  rm -f "$AIC_OUT" "$AIC_ERR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if check_begin setup namespace 'Fresh namespace for this run'; then
  run_step once 0 0 200 expect_1 - -- kubectl delete namespace -l k8s-ai-evidence/requirement=pod_autoscaling --ignore-not-found --wait=true --timeout=180s &&
  run_step once 0 0 120 expect_1 manifest_5 -- kubectl apply -f -
  check_end $?
fi

if check_begin setup workload-running 'The accelerator workload serves the metric, a PodMonitor scrapes it and an HPA targets it'; then
  run_step once 0 0 120 expect_6 - -- kubectl get crd podmonitors.monitoring.coreos.com -o 'jsonpath={.status.conditions[?(@.type=="Established")].status}' &&
  run_step once 0 0 120 expect_1 manifest_7 -- kubectl apply -f - &&
  run_step once 0 0 120 expect_1 manifest_8 -- kubectl apply -f - &&
  run_step once 0 0 120 expect_1 manifest_9 -- kubectl apply -f - &&
  { run_step once 0 0 400 expect_1 - -- kubectl rollout status deployment/metric-app -n aic-pod-autoscaling-b85fd3 --timeout=300s || { echo '  diagnostics:'; kubectl get pods -n aic-pod-autoscaling-b85fd3 -o wide; kubectl get events -n aic-pod-autoscaling-b85fd3 --sort-by=.lastTimestamp; false; }; } &&
  run_step once 0 0 120 expect_11 - -- kubectl exec deployment/metric-app -n aic-pod-autoscaling-b85fd3 -- wget -qO- http://localhost:8080/metrics &&
  run_step once 0 0 120 expect_12 - -- kubectl exec deployment/metric-app -n aic-pod-autoscaling-b85fd3 -- wget -S -O /dev/null http://localhost:8080/metrics &&
  run_step once 0 0 120 expect_1 manifest_13 -- kubectl apply -f -
  check_end $?
fi

if check_begin positive metric-served 'The custom metric of the pods is served by custom.metrics.k8s.io and used by the HPA'; then
  { run_step poll 300 15 120 expect_14 - -- kubectl get --raw '/apis/custom.metrics.k8s.io/v1beta1/namespaces/aic-pod-autoscaling-b85fd3/pods/*/aic_test_load' || { echo '  diagnostics:'; kubectl get apiservice v1beta1.custom.metrics.k8s.io; false; }; } &&
  { run_step poll 300 15 120 expect_15 - -- kubectl get hpa metric-app -n aic-pod-autoscaling-b85fd3 -o 'jsonpath={.status.conditions[?(@.type=="ScalingActive")].reason}' || { echo '  diagnostics:'; kubectl describe hpa metric-app -n aic-pod-autoscaling-b85fd3; false; }; }
  check_end $?
fi

if check_begin negative no-scale-below-target 'While the metric is below target the HPA keeps minReplicas'; then
  run_step hold 90 15 120 expect_16 - -- kubectl get hpa metric-app -n aic-pod-autoscaling-b85fd3 -o 'jsonpath={.status.desiredReplicas}'
  check_end $?
fi

if check_begin positive scales-up 'With the metric above target the Deployment scales up and the new pods run'; then
  run_step once 0 0 120 expect_1 manifest_17 -- kubectl apply -f - &&
  { run_step poll 600 15 120 expect_18 - -- kubectl get hpa metric-app -n aic-pod-autoscaling-b85fd3 -o 'jsonpath={.status.currentReplicas}' || { echo '  diagnostics:'; kubectl describe hpa metric-app -n aic-pod-autoscaling-b85fd3; false; }; } &&
  { run_step poll 600 15 120 expect_18 - -- kubectl get deployment metric-app -n aic-pod-autoscaling-b85fd3 -o 'jsonpath={.status.readyReplicas}' || { echo '  diagnostics:'; kubectl get pods -n aic-pod-autoscaling-b85fd3 -o wide; false; }; }
  check_end $?
fi

if check_begin positive scales-down 'With the metric below target again the Deployment scales back down'; then
  run_step once 0 0 120 expect_1 manifest_20 -- kubectl apply -f - &&
  { run_step poll 900 15 120 expect_16 - -- kubectl get hpa metric-app -n aic-pod-autoscaling-b85fd3 -o 'jsonpath={.status.currentReplicas}' || { echo '  diagnostics:'; kubectl describe hpa metric-app -n aic-pod-autoscaling-b85fd3; false; }; }
  check_end $?
fi


if [ "$AIC_FAILED" = 1 ]; then echo "RESULT: failed"; exit 1; fi
if [ "$AIC_UNJUDGED" = 1 ] || [ "$AIC_DECIDED" = 0 ]; then
  echo "RESULT: not every check was judged (see NOT JUDGED); the tool's verdicts: result.json"
  exit 2
fi
echo "RESULT: passed"
