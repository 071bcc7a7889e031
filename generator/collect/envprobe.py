"""What the run record says about the cluster: its identity, nodes, accelerators, DRA objects.

Read with the ``kubernetes`` Python client (structured, no output parsing).  A recording keeps
the result in the session and a replay reads it back, since a replay has no cluster.  The probe
only informs the reader: a failure is reported in the record, it never fails the run.
"""

from __future__ import annotations

import re
from typing import Any

from generator.evidence.model import ClusterIdentity, ClusterProbe, DraObjects, Node, ResourceSlice

_CORE_RESOURCES = re.compile(r"^(cpu|memory|pods|ephemeral-storage|hugepages-.*|attachable-.*)$")
_LABELS = re.compile(r"(nvidia\.com|amd\.com|intel\.com|gpu|accelerator|instance-type|"
                     r"node\.kubernetes\.io/instance-type|topology\.kubernetes\.io)")
DRA_GROUP = "resource.k8s.io"


def node_record(node: Any) -> Node:
    """One node: versions, accelerator-related labels, extended resources in capacity."""
    info = node.status.node_info
    capacity = node.status.capacity or {}
    return Node(
        node.metadata.name,
        info.kubelet_version if info else None,
        info.os_image if info else None,
        info.container_runtime_version if info else None,
        labels={k: v for k, v in (node.metadata.labels or {}).items() if _LABELS.search(k)},
        accelerators={k: str(v) for k, v in capacity.items() if not _CORE_RESOURCES.match(k)})


def _dra(api_client: Any) -> DraObjects:
    from kubernetes import client

    groups = client.ApisApi(api_client).get_api_versions().groups or []
    served = tuple(sorted(v.version for g in groups if g.name == DRA_GROUP for v in g.versions))
    if not served:
        return DraObjects(served, (), ())
    version = "v1" if "v1" in served else served[-1]
    custom: Any = client.CustomObjectsApi(api_client)  # answers plain JSON (dicts)
    classes = custom.list_cluster_custom_object(DRA_GROUP, version, "deviceclasses")
    slices = custom.list_cluster_custom_object(DRA_GROUP, version, "resourceslices")
    return DraObjects(
        served, tuple(sorted(i["metadata"]["name"] for i in classes.get("items", []))),
        tuple(ResourceSlice(i["metadata"]["name"], i["spec"].get("driver"),
                            i["spec"].get("nodeName"), len(i["spec"].get("devices") or []))
              for i in slices.get("items", [])))


def probe(kubeconfig: str | None, context: str | None) -> ClusterProbe:
    """Nodes and DRA resources of the live cluster; its ``error`` if they cannot be read."""
    from kubernetes import client, config

    try:
        api_client = config.new_client_from_config(config_file=kubeconfig, context=context)
        nodes = client.CoreV1Api(api_client).list_node(_request_timeout=30).items
        # kube-system's UID is the conventional cluster identity (it lives as long as the
        # cluster): an attestation's fingerprint, never a secret
        system = client.CoreV1Api(api_client).read_namespace("kube-system",
                                                            _request_timeout=30)
        uid = system.metadata.uid if system.metadata else None
        return ClusterProbe(ClusterIdentity(uid), tuple(node_record(n) for n in nodes),
                            _dra(api_client))
    except Exception as exc:  # the record notes it; collection goes on
        reason = next(iter(str(exc).splitlines()), "")[:300]  # some errors have no message
        return ClusterProbe(error=f"{type(exc).__name__}: {reason}" if reason
                            else type(exc).__name__)
