"""Builtins that judge what the data plane answered: traffic split, metrics, admission denials.

They read real protocol output (curl lines, Prometheus exposition text, the Prometheus HTTP
API's JSON, kubectl's error text) so a check proves behaviour, not only that objects exist.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from generator.procedures.verdict import Verdict

_SAMPLE = re.compile(r"^(?P<name>[A-Za-z_:][A-Za-z0-9_:]*)(?:\{(?P<labels>.*)\})?\s+\S+")
_LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')
_DENIED = re.compile(r'admission webhook \\?"(?P<name>[^"\\]+)\\?" denied the request')


def _names(value: Any) -> list[str]:
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _weights(value: Any) -> dict[str, float]:
    """``"infer-v1=80,infer-v2=20"`` -> shares in percent."""
    pairs = [part.split("=", 1) for part in _names(value)]
    total = sum(float(weight) for _, weight in pairs)
    return {name.strip(): 100 * float(weight) / total for name, weight in pairs}


def backend_split(text: str, args: dict[str, Any]) -> Verdict:
    """Answers per distinct backend, one ``<body> <http code>`` line per request.

    A body names the pod that answered (``agnhost netexec /hostname``); a backend owns the
    pods whose name starts with ``<backend>-``.  Every answer must be a 200 from a listed
    backend and each backend's share must be within ``tolerance`` points of its weight.
    """
    expected, tolerance = _weights(args["backends"]), float(args.get("tolerance", 10))
    counts: Counter[str] = Counter()
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        body, _, code = line.rpartition(" ")
        owner = next((b for b in expected if body == b or body.startswith(f"{b}-")), None)
        counts[owner if owner and code == "200" else f"{body or '(empty)'} {code}"] += 1
    total = sum(counts.values())
    summary = ", ".join(f"{name}: {n}" for name, n in counts.most_common()) or "no answer"
    if "total" in args and total != int(args["total"]):
        return Verdict(False, f"{total} answers, expected {args['total']} ({summary})")
    if not total:
        return Verdict(False, "no answer")
    strays = [name for name in counts if name not in expected]
    if strays:
        return Verdict(False, f"answers not from {', '.join(expected)} with 200: "
                       f"{', '.join(strays)} ({summary})")
    off = [f"{name} {100 * counts[name] / total:.0f}% (weight {share:.0f}%)"
           for name, share in expected.items()
           if abs(100 * counts[name] / total - share) > tolerance]
    if off:
        return Verdict(False, f"split outside ±{tolerance:g} points: {', '.join(off)} "
                       f"({summary})")
    return Verdict(True, f"{total} answers: {summary}, within ±{tolerance:g} points of "
                   f"{', '.join(f'{n} {s:.0f}%' for n, s in expected.items())}")


def metric_families(text: str, args: dict[str, Any]) -> Verdict:
    """Prometheus exposition text: each family present, per device, with the device labels.

    ``families`` must each have samples carrying every label in ``labels``, for at least
    ``minDevices`` distinct values of the first label (e.g. ``UUID``) and the same devices in
    every family, so utilization and memory are reported for each accelerator.
    """
    families, labels = _names(args["families"]), _names(args["labels"])
    devices: dict[str, set[str]] = {f: set() for f in families}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if not match or match.group("name") not in devices:
            continue
        found = dict(_LABEL.findall(match.group("labels") or ""))
        if all(found.get(label) for label in labels):
            devices[match.group("name")].add(found[labels[0]])
    missing = [f for f, seen in devices.items() if not seen]
    if missing:
        return Verdict(False, f"no sample of {', '.join(missing)} with labels "
                       f"{', '.join(labels)}")
    per = {f: len(seen) for f, seen in devices.items()}
    if len({frozenset(seen) for seen in devices.values()}) > 1:
        return Verdict(False, f"families report different devices ({per})")
    count, low = len(devices[families[0]]), int(args.get("minDevices", 1))
    if count < low:
        return Verdict(False, f"{count} devices by {labels[0]}, expected at least {low}")
    return Verdict(True, f"{', '.join(families)} reported for {count} devices, each with "
                   f"{', '.join(labels)}")


def _pairs(value: Any) -> dict[str, str]:
    """``"pod=aic-load,namespace=ns"`` -> ``{"pod": "aic-load", "namespace": "ns"}``."""
    return dict(part.split("=", 1) for part in _names(value) if "=" in part)


def metric_samples(text: str, args: dict[str, Any]) -> Verdict:
    """Prometheus exposition text: samples of ``family`` whose labels include ``match``.

    ``minSeries``/``maxSeries`` bound how many there are (``maxSeries: 0`` proves none is
    attributed, which needs the family itself in the text: an empty or failed scrape proves
    nothing); ``min`` is the value at least one of them must reach (utilization under load).
    Each sample is reported with the value of the first ``device`` label (e.g. ``UUID``).
    """
    family, wanted = args["family"], _pairs(args.get("match"))
    device = next(iter(_names(args.get("device"))), "")
    seen, samples = False, []
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if not match or match.group("name") != family:
            continue
        seen = True
        labels = dict(_LABEL.findall(match.group("labels") or ""))
        if all(labels.get(k) == v for k, v in wanted.items()):
            try:
                samples.append((labels.get(device, "?"), float(line.rsplit(None, 1)[-1])))
            except ValueError:
                return Verdict(False, f"not a sample value: {line[:200]!r}")
    if not seen:
        return Verdict(False, f"no sample of {family} at all (not its exporter's output?)")
    where = ",".join(f'{k}="{v}"' for k, v in wanted.items())
    shown = ", ".join(f"{d} {v:g}" for d, v in samples[:5]) or "none"
    if len(samples) < int(args.get("minSeries", 0)):
        return Verdict(False, f"{len(samples)} samples of {family}{{{where}}}, expected at least "
                       f"{args['minSeries']}")
    if "maxSeries" in args and len(samples) > int(args["maxSeries"]):
        return Verdict(False, f"{len(samples)} samples of {family}{{{where}}}, expected at most "
                       f"{args['maxSeries']}: {shown}")
    if "min" in args and not any(v >= float(args["min"]) for _, v in samples):
        return Verdict(False, f"{family}{{{where}}} below {args['min']}: {shown}")
    return Verdict(True, f"{len(samples)} samples of {family}{{{where}}}: {shown}")


def prometheus_vector(text: str, args: dict[str, Any]) -> Verdict:
    """A Prometheus ``/api/v1/query`` answer: series count, labels, and the summed value.

    ``minSeries``/``maxSeries`` bound the result (``maxSeries: 0`` proves absence, which
    needs a successful query: an error answer never passes), ``labels`` must be on every
    series, ``equals`` is compared with the sum of the values (an exact request count).
    """
    try:
        answer = json.loads(text)
        if answer.get("status") != "success":
            return Verdict(False, f"query failed: {answer.get('error', answer.get('status'))}")
        data = answer["data"]
        result = data["result"] if data["resultType"] != "scalar" else [{"value": data["result"]}]
    except (json.JSONDecodeError, AttributeError, KeyError, TypeError):
        return Verdict(False, f"not a Prometheus query API answer: {text.strip()[:200]!r}")
    series = len(result)
    if series < int(args.get("minSeries", 0)):
        return Verdict(False, f"{series} series, expected at least {args['minSeries']}")
    if "maxSeries" in args and series > int(args["maxSeries"]):
        shown = ", ".join(json.dumps(r.get("metric", {}), sort_keys=True) for r in result[:3])
        return Verdict(False, f"{series} series, expected at most {args['maxSeries']}: {shown}")
    unlabelled = [r.get("metric", {}) for r in result
                  if not all((r.get("metric") or {}).get(label) for label in _names(
                      args.get("labels")))]
    if unlabelled:
        return Verdict(False, f"series without labels {args['labels']}: "
                       f"{json.dumps(unlabelled[0], sort_keys=True)}")
    total = sum(float(r["value"][1]) for r in result)
    if "equals" in args and total != float(args["equals"]):
        return Verdict(False, f"value {total:g}, expected exactly {args['equals']}")
    return Verdict(True, f"{series} series" + (f", value {total:g}" if result else ""))


def webhook_denied(text: str, args: dict[str, Any]) -> Verdict:
    """The API server's answer names an admission webhook (``webhook``, if given) as denier.

    Schema validation (OpenAPI or CEL rules of the CRD) also answers ``... is invalid``: that
    proves the CRD, not the operator's webhook, so it fails here.  A 422 denial loses the
    webhook's name in kubectl's summary line; ``-v=8`` keeps the Status body, which has it.
    """
    wanted = args.get("webhook")
    found = list(_DENIED.finditer(text))
    denials = {m.group("name") for m in found}
    if denials and (not wanted or wanted in denials):
        said = re.split(r'",|\n', text[found[0].start():], maxsplit=1)[0]
        return Verdict(True, said.replace('\\"', '"')[:300])
    if denials:
        return Verdict(False, f"denied by {', '.join(sorted(denials))}, not {wanted}")
    if re.search(r" is invalid\b", text):
        return Verdict(False, "rejected by schema validation (is invalid), not by an admission "
                       "webhook")
    return Verdict(False, "no admission webhook denied the request")


DATAPLANE = {
    "backend_split": backend_split,
    "metric_families": metric_families,
    "metric_samples": metric_samples,
    "prometheus_vector": prometheus_vector,
    "webhook_denied": webhook_denied,
}
