#!/usr/bin/env bash
# DRA APIs served, devices published, claims allocated and enforced
# Requirement dra_support, Kubernetes v1.35, variant default.
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
  name: aic-dra-support-b85fd3
  labels:
    k8s-ai-evidence/requirement: dra_support
AIC_MANIFEST
}
expect_6() {  # expect exit code 0; builtin check api_served
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  if [ -n "$AIC_JUDGE_PATH" ]; then judged "$AIC_OUT" api_served --args '{"group": "resource.k8s.io", "ga": "v1"}'; else { grep -qx -- 'resource\.k8s\.io'/v1 "$AIC_OUT" || { grep -q -- ^'resource\.k8s\.io'/ "$AIC_OUT" && echo '  served only below its GA version: at most Partially Implemented'; }; }; fi
}
expect_7() {  # expect exit code 0; lines matching /^(deviceclasses|resourceclaims|resourceclaimtemplates|resourceslices)\s/: equals 4; exit code 1 is accepted when a stderr line matches /^error: unable to retrieve the complete list of server APIs: /
  probe_ran || return 1
  { [ "$AIC_RC" -eq 0 ] || tolerated 1 '^error: unable to retrieve the complete list of server APIs: '; } || return 1
  count_lines '^(deviceclasses|resourceclaims|resourceclaimtemplates|resourceslices)[[:space:]]' "$AIC_OUT" equals 4
}
expect_9() {  # expect exit code 0; lines matching /\sgpu.nvidia.com\s/: min 1
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  count_lines '[[:space:]]gpu.nvidia.com[[:space:]]' "$AIC_OUT" min 1
}
manifest_10() {  # claim-pod.yaml
  cat <<'AIC_MANIFEST'
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: single-gpu
  namespace: aic-dra-support-b85fd3
spec:
  spec:
    devices:
      requests:
        - name: gpu
          exactly:
            deviceClassName: gpu.nvidia.com
---
apiVersion: v1
kind: Pod
metadata:
  name: dra-consumer
  namespace: aic-dra-support-b85fd3
spec:
  tolerations:
    - operator: Exists
      effect: NoSchedule
  containers:
    - name: ctr
      image: ubuntu:24.04
      command: ["sleep", "infinity"]
      resources:
        claims:
          - name: gpu
  resourceClaims:
    - name: gpu
      resourceClaimTemplateName: single-gpu
AIC_MANIFEST
}
expect_12() {  # expect exit code 0; a line matches /^dra-consumer-gpu-\S+\s+allocated/
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  grep -Eq -- '^dra-consumer-gpu-[^[:space:]]+[[:space:]]+allocated' "$AIC_OUT"
}
expect_13() {  # expect exit code 0; builtin check device_probe
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  if [ -n "$AIC_JUDGE_PATH" ]; then judged "$AIC_OUT" device_probe --args '{"devices": 1}'; else unjudged 'builtin check device_probe: no judge'; fi
}
manifest_14() {  # unsatisfiable.yaml
  cat <<'AIC_MANIFEST'
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: no-matching-gpu
  namespace: aic-dra-support-b85fd3
spec:
  spec:
    devices:
      requests:
        - name: gpus
          exactly:
            deviceClassName: gpu.nvidia.com
            selectors:
              - cel:
                  expression: 'device.driver == "no-such-driver.k8s-ai-evidence.invalid"'
---
apiVersion: v1
kind: Pod
metadata:
  name: dra-unsatisfiable
  namespace: aic-dra-support-b85fd3
spec:
  restartPolicy: Never
  tolerations:
    - operator: Exists
      effect: NoSchedule
  containers:
    - name: ctr
      image: ubuntu:24.04
      command: ["sleep", "infinity"]
      resources:
        claims:
          - name: gpus
  resourceClaims:
    - name: gpus
      resourceClaimTemplateName: no-matching-gpu
AIC_MANIFEST
}
expect_15() {  # expect exit code 0; output is 'Pending'
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  [ "$(trimmed "$AIC_OUT")" = Pending ]
}
expect_16() {  # expect exit code 0; a line matches /cannot allocate all claims/
  probe_ran || return 1
  [ "$AIC_RC" -eq 0 ] || return 1
  grep -Eq -- 'cannot allocate all claims' "$AIC_OUT"
}

cleanup() {
  echo; echo '=== cleanup'
  run_step once 0 0 200 expect_1 - -- kubectl delete pods --all -n aic-dra-support-b85fd3 --ignore-not-found --wait=true --timeout=180s || true
  run_step once 0 0 200 expect_1 - -- kubectl delete resourceclaims --all -n aic-dra-support-b85fd3 --ignore-not-found --wait=true --timeout=180s || true
  run_step once 0 0 200 expect_1 - -- kubectl delete namespace aic-dra-support-b85fd3 --ignore-not-found --wait=true --timeout=180s || true
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
  run_step once 0 0 200 expect_1 - -- kubectl delete namespace -l k8s-ai-evidence/requirement=dra_support --ignore-not-found --wait=true --timeout=180s &&
  run_step once 0 0 120 expect_1 manifest_5 -- kubectl apply -f -
  check_end $?
fi

if check_begin positive api-served 'resource.k8s.io is served at v1'; then
  run_step once 0 0 120 expect_6 - -- kubectl api-versions
  check_end $?
fi

if check_begin positive api-resources 'DeviceClass, ResourceClaim, ResourceClaimTemplate and ResourceSlice are served'; then
  run_step once 0 0 120 expect_7 - -- kubectl api-resources --api-group=resource.k8s.io
  check_end $?
fi

if check_begin positive devices-published 'The DeviceClass (deviceClass) exists and the driver (driver) publishes ResourceSlices'; then
  run_step once 0 0 120 expect_1 - -- kubectl get deviceclass gpu.nvidia.com &&
  run_step once 0 0 120 expect_9 - -- kubectl get resourceslices
  check_end $?
fi

if check_begin positive claim-allocated 'A pod'"'"'s ResourceClaimTemplate is allocated and its container sees the device'; then
  run_step once 0 0 120 expect_1 manifest_10 -- kubectl apply -f - &&
  { run_step once 0 0 400 expect_1 - -- kubectl wait --for=condition=Ready pod/dra-consumer -n aic-dra-support-b85fd3 --timeout=300s || { echo '  diagnostics:'; kubectl describe pod dra-consumer -n aic-dra-support-b85fd3; kubectl get events -n aic-dra-support-b85fd3 --sort-by=.lastTimestamp; false; }; } &&
  run_step once 0 0 120 expect_12 - -- kubectl get resourceclaims -n aic-dra-support-b85fd3 &&
  run_step once 0 0 120 expect_13 - -- kubectl exec dra-consumer -n aic-dra-support-b85fd3 -- sh -c 'n=0; for d in /dev/nvidia[0-9]*; do [ -e "$d" ] && n=$((n+1)); done; echo "RESULT: ACCELERATOR_COUNT=$n"; echo "RESULT: VISIBLE_DEVICES=$(env | sed -n "s/^NVIDIA_VISIBLE_DEVICES=//p")"'
  check_end $?
fi

if check_begin negative unsatisfiable-claim-pending 'A claim whose selector no device satisfies stays pending and its pod is not scheduled'; then
  run_step once 0 0 120 expect_1 manifest_14 -- kubectl apply -f - &&
  run_step hold 60 15 120 expect_15 - -- kubectl get pod dra-unsatisfiable -n aic-dra-support-b85fd3 -o 'jsonpath={.status.phase}' &&
  run_step once 0 0 120 expect_16 - -- kubectl get events -n aic-dra-support-b85fd3 --field-selector involvedObject.name=dra-unsatisfiable,reason=FailedScheduling
  check_end $?
fi


if [ "$AIC_FAILED" = 1 ]; then echo "RESULT: failed"; exit 1; fi
if [ "$AIC_UNJUDGED" = 1 ] || [ "$AIC_DECIDED" = 0 ]; then
  echo "RESULT: not every check was judged (see NOT JUDGED); the tool's verdicts: result.json"
  exit 2
fi
echo "RESULT: passed"
