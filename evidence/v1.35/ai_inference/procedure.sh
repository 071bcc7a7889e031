#!/usr/bin/env bash
# A Gateway API implementation splits, routes by header and refuses inference traffic
# Requirement ai_inference, Kubernetes v1.35, variant gateway-api.
# Exported by k8s-ai-evidence 0.1.0 from gateway-api.yaml. Re-run it with bash (4.4+),
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
  name: aic-ai-inference-b85fd3
  labels:
    k8s-ai-evidence/requirement: ai_inference
AIC_MANIFEST
}
expect_6() {  # expect exit code 0; output is 'True'
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  [ "$(trimmed "$AIC_OUT")" = True ]
}
manifest_7() {  # backend.yaml
  cat <<'AIC_MANIFEST'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: infer-v1
  namespace: aic-ai-inference-b85fd3
spec:
  replicas: 1
  selector:
    matchLabels: {app: 'infer-v1'}
  template:
    metadata:
      labels: {app: 'infer-v1'}
    spec:
      containers:
        - name: server
          image: registry.k8s.io/e2e-test-images/agnhost:2.53
          args: [netexec, --http-port=8080]
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet: {path: /healthz, port: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: infer-v1
  namespace: aic-ai-inference-b85fd3
spec:
  selector: {app: 'infer-v1'}
  ports:
    - port: 8080
      targetPort: 8080
AIC_MANIFEST
}
manifest_8() {  # backend.yaml
  cat <<'AIC_MANIFEST'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: infer-v2
  namespace: aic-ai-inference-b85fd3
spec:
  replicas: 1
  selector:
    matchLabels: {app: 'infer-v2'}
  template:
    metadata:
      labels: {app: 'infer-v2'}
    spec:
      containers:
        - name: server
          image: registry.k8s.io/e2e-test-images/agnhost:2.53
          args: [netexec, --http-port=8080]
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet: {path: /healthz, port: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: infer-v2
  namespace: aic-ai-inference-b85fd3
spec:
  selector: {app: 'infer-v2'}
  ports:
    - port: 8080
      targetPort: 8080
AIC_MANIFEST
}
manifest_9() {  # backend.yaml
  cat <<'AIC_MANIFEST'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: infer-lora
  namespace: aic-ai-inference-b85fd3
spec:
  replicas: 1
  selector:
    matchLabels: {app: 'infer-lora'}
  template:
    metadata:
      labels: {app: 'infer-lora'}
    spec:
      containers:
        - name: server
          image: registry.k8s.io/e2e-test-images/agnhost:2.53
          args: [netexec, --http-port=8080]
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet: {path: /healthz, port: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: infer-lora
  namespace: aic-ai-inference-b85fd3
spec:
  selector: {app: 'infer-lora'}
  ports:
    - port: 8080
      targetPort: 8080
AIC_MANIFEST
}
manifest_10() {  # gateway.yaml
  cat <<'AIC_MANIFEST'
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: aic-gateway
  namespace: aic-ai-inference-b85fd3
spec:
  gatewayClassName: eg
  listeners:
    - name: http
      protocol: HTTP
      port: 80
      allowedRoutes:
        namespaces: {from: Same}
AIC_MANIFEST
}
manifest_11() {  # route.yaml
  cat <<'AIC_MANIFEST'
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: aic-inference
  namespace: aic-ai-inference-b85fd3
spec:
  parentRefs:
    - name: aic-gateway
  hostnames: ['infer.example.test']
  rules:
    # The model header selects its own backend ...
    - matches:
        - headers:
            - name: x-model
              value: llama-3.1-8b-lora
      backendRefs:
        - {name: infer-lora, port: 8080}
    # ... everything else is split by weight.
    - matches:
        - path: {type: PathPrefix, value: /}
      backendRefs:
        - {name: infer-v1, port: 8080, weight: 80}
        - {name: infer-v2, port: 8080, weight: 20}
AIC_MANIFEST
}
expect_17() {  # expect exit code 0; a line matches /\S/
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  grep -Eq -- '[^[:space:]]' "$AIC_OUT"
}
expect_19() {  # expect exit code 0; output is '200'
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  [ "$(trimmed "$AIC_OUT")" = 200 ]
}
expect_20() {  # expect exit code 0; builtin check backend_split
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  if [ -n "$AIC_JUDGE_PATH" ]; then judged "$AIC_OUT" backend_split --args '{"backends": "infer-v1=80,infer-v2=20", "total": "200", "tolerance": "10"}'; else unjudged 'builtin check backend_split: no judge'; fi
}
expect_21() {  # expect exit code 0; builtin check backend_split
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  if [ -n "$AIC_JUDGE_PATH" ]; then judged "$AIC_OUT" backend_split --args '{"backends": "infer-lora=1", "total": "20", "tolerance": 0}'; else unjudged 'builtin check backend_split: no judge'; fi
}
expect_22() {  # expect exit code 0; builtin check backend_split
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  if [ -n "$AIC_JUDGE_PATH" ]; then judged "$AIC_OUT" backend_split --args '{"backends": "infer-v1=80,infer-v2=20", "total": "20", "tolerance": 100}'; else unjudged 'builtin check backend_split: no judge'; fi
}
expect_23() {  # expect exit code 0; output is '404'
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  [ "$(trimmed "$AIC_OUT")" = 404 ]
}

# captured again by this run, empty until then (render reads them by name)
# shellcheck disable=SC2034
gatewayAddress=''

cleanup() {
  echo; echo '=== cleanup'
  run_step once 0 0 200 expect_1 - -- kubectl delete httproutes,gateways --all -n aic-ai-inference-b85fd3 --ignore-not-found --wait=true --timeout=180s || true
  run_step once 0 0 200 expect_1 - -- kubectl delete pods --all -n aic-ai-inference-b85fd3 --ignore-not-found --wait=true --timeout=180s || true
  run_step once 0 0 200 expect_1 - -- kubectl delete namespace aic-ai-inference-b85fd3 --ignore-not-found --wait=true --timeout=180s || true
  rm -f "$AIC_OUT" "$AIC_ERR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$AIC_JUDGE_PATH" ]; then
  echo "builtin checks: judged by $AIC_JUDGE_PATH ($("$AIC_JUDGE_PATH" --version 2>&1))"
else
  echo "builtin checks: no judge (AIC_JUDGE=$AIC_JUDGE is not a command on PATH): each is" \
    "judged by its shell form if it has one, else not judged"
fi

if check_begin setup namespace 'Fresh namespace for this run'; then
  run_step once 0 0 200 expect_1 - -- kubectl delete namespace -l k8s-ai-evidence/requirement=ai_inference --ignore-not-found --wait=true --timeout=180s &&
  run_step once 0 0 120 expect_1 manifest_5 -- kubectl apply -f -
  check_end $?
fi

if check_begin setup gateway-class-accepted 'The GatewayClass is accepted by its controller'; then
  run_step once 0 0 120 expect_6 - -- kubectl get gatewayclass eg -o 'jsonpath={.status.conditions[?(@.type=="Accepted")].status}'
  check_end $?
fi

if check_begin setup route-programmed 'A Gateway is programmed and an HTTPRoute to three backends is accepted'; then
  run_step once 0 0 120 expect_1 manifest_7 -- kubectl apply -f - &&
  run_step once 0 0 120 expect_1 manifest_8 -- kubectl apply -f - &&
  run_step once 0 0 120 expect_1 manifest_9 -- kubectl apply -f - &&
  run_step once 0 0 120 expect_1 manifest_10 -- kubectl apply -f - &&
  run_step once 0 0 120 expect_1 manifest_11 -- kubectl apply -f - &&
  run_step once 0 0 120 expect_1 - -- kubectl run aic-client -n aic-ai-inference-b85fd3 --image=curlimages/curl:8.11.1 --restart=Never --command -- sleep 3600 &&
  { run_step once 0 0 400 expect_1 - -- kubectl wait --for=condition=Available deployment --all -n aic-ai-inference-b85fd3 --timeout=300s || { echo '  diagnostics:'; kubectl get pods -n aic-ai-inference-b85fd3 -o wide; false; }; } &&
  { run_step once 0 0 400 expect_1 - -- kubectl wait --for=condition=Programmed gateway/aic-gateway -n aic-ai-inference-b85fd3 --timeout=300s || { echo '  diagnostics:'; kubectl describe gateway aic-gateway -n aic-ai-inference-b85fd3; false; }; } &&
  { run_step once 0 0 400 expect_1 - -- kubectl wait '--for=jsonpath={.status.parents[0].conditions[?(@.type=="Accepted")].status}=True' httproute/aic-inference -n aic-ai-inference-b85fd3 --timeout=300s || { echo '  diagnostics:'; kubectl describe httproute aic-inference -n aic-ai-inference-b85fd3; false; }; } &&
  run_step once 0 0 120 expect_6 - -- kubectl get httproute aic-inference -n aic-ai-inference-b85fd3 -o 'jsonpath={.status.parents[0].conditions[?(@.type=="ResolvedRefs")].status}' &&
  run_step once 0 0 120 expect_17 - -- kubectl get gateway aic-gateway -n aic-ai-inference-b85fd3 -o 'jsonpath={.status.addresses[0].value}' && capture gatewayAddress token &&
  run_step once 0 0 400 expect_1 - -- kubectl wait --for=condition=Ready pod/aic-client -n aic-ai-inference-b85fd3 --timeout=300s &&
  run_step poll 300 10 120 expect_19 - -- kubectl exec aic-client -n aic-ai-inference-b85fd3 -- curl -sS -m 5 -o /dev/null -w '%{http_code}' -H 'Host: infer.example.test' http://"${gatewayAddress}"/hostname
  check_end $?
fi

if check_begin positive weighted-split 'Requests are split between two backends by the route'"'"'s weights, counted per backend'; then
  run_step once 0 0 300 expect_20 - -- kubectl exec aic-client -n aic-ai-inference-b85fd3 -- sh -c 'for i in $(seq 200); do curl -sS -m 5 -H '"'"'Host: infer.example.test'"'"' -w '"'"' %{http_code}\n'"'"' http://'"${gatewayAddress}"'/hostname; done'
  check_end $?
fi

if check_begin positive header-routing 'A request with the model header reaches only the backend for that model'; then
  run_step once 0 0 120 expect_21 - -- kubectl exec aic-client -n aic-ai-inference-b85fd3 -- sh -c 'for i in $(seq 20); do curl -sS -m 5 -H '"'"'Host: infer.example.test'"'"' -H '"'"'x-model: llama-3.1-8b-lora'"'"' -w '"'"' %{http_code}\n'"'"' http://'"${gatewayAddress}"'/hostname; done'
  check_end $?
fi

if check_begin negative wrong-header-not-routed 'Another model header value never reaches the header-only backend'; then
  run_step once 0 0 120 expect_22 - -- kubectl exec aic-client -n aic-ai-inference-b85fd3 -- sh -c 'for i in $(seq 20); do curl -sS -m 5 -H '"'"'Host: infer.example.test'"'"' -H '"'"'x-model: mistral-7b'"'"' -w '"'"' %{http_code}\n'"'"' http://'"${gatewayAddress}"'/hostname; done'
  check_end $?
fi

if check_begin negative unmatched-refused 'A request that matches no route is refused with 404'; then
  run_step once 0 0 120 expect_23 - -- kubectl exec aic-client -n aic-ai-inference-b85fd3 -- curl -sS -m 5 -o /dev/null -w '%{http_code}' -H 'Host: unrouted.example.test' http://"${gatewayAddress}"/hostname
  check_end $?
fi


if [ "$AIC_FAILED" = 1 ]; then echo "RESULT: failed"; exit 1; fi
if [ "$AIC_UNJUDGED" = 1 ] || [ "$AIC_DECIDED" = 0 ]; then
  echo "RESULT: not every check was judged (see NOT JUDGED); the tool's verdicts: result.json"
  exit 2
fi
echo "RESULT: passed"
