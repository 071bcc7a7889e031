"""Accelerator builtins: node sets against a baseline, shared devices, driver reporting."""

from __future__ import annotations

from generator.procedures.builtins_accelerators import (
    driver_reported,
    new_names,
    no_driver_no_accelerator,
    shared_device,
)

BASE = {"baseline": "gpu-0 gpu-1"}


def test_new_names_added_and_back_to_baseline() -> None:
    assert new_names("gpu-0 gpu-1 gpu-2", {**BASE, "want": "added"}).ok
    assert not new_names("gpu-1 gpu-0", {**BASE, "want": "added"}).ok
    assert new_names("gpu-0", {**BASE, "want": "none"}).ok
    verdict = new_names("gpu-0 gpu-1 gpu-2", {**BASE, "want": "none"})
    assert not verdict.ok and "still there: gpu-2" in verdict.message


LOGS = """[pod/share-a/ctr] GPU 0: NVIDIA L4 (UUID: GPU-aaaa-1111)
[pod/share-b/ctr] GPU 0: NVIDIA L4 (UUID: GPU-aaaa-1111)
[pod/share-c/ctr] GPU 0: NVIDIA L4 (UUID: GPU-bbbb-2222)
"""


def test_shared_device_needs_one_device_in_two_pods() -> None:
    verdict = shared_device(LOGS, {})
    assert verdict.ok and "GPU-aaaa-1111 is used by 2 pods" in verdict.message
    assert not shared_device(LOGS, {"minPods": 3}).ok
    assert not shared_device(LOGS.replace("aaaa-1111)\n[pod/share-b/ctr] GPU 0: NVIDIA L4 "
                                          "(UUID: GPU-aaaa", "aaaa-1111)\n[pod/share-b/ctr] "
                                          "GPU 0: NVIDIA L4 (UUID: GPU-cccc"), {}).ok
    assert "no pod listed" in shared_device("sh: nvidia-smi: not found\n", {}).message


def test_shared_device_with_mig_parents_and_custom_pattern() -> None:
    text = ("[pod/mig-a/ctr] GPU 0: NVIDIA A100 (UUID: GPU-p1)\n"
            "[pod/mig-a/ctr]   MIG 1g.10gb Device 0: (UUID: MIG-x1)\n"
            "[pod/mig-b/ctr] GPU 0: NVIDIA A100 (UUID: GPU-p1)\n"
            "[pod/mig-b/ctr]   MIG 1g.10gb Device 0: (UUID: MIG-x2)\n")
    assert shared_device(text, {"idPattern": r"UUID: (GPU-\S+)\)"}).ok
    assert not shared_device(text, {"idPattern": r"UUID: (MIG-\S+)\)"}).ok


NODES = "cp-0\t<no value>\t<no value>\ngpu-0\t4\t580.105.08\ngpu-1\t4\t580.105.08\n"


def test_driver_reported_on_every_advertising_node() -> None:
    verdict = driver_reported(NODES, {})
    assert verdict.ok and "gpu-0: 4 x, driver 580.105.08" in verdict.message
    assert not driver_reported(NODES.replace("4\t580.105.08\ngpu-1", "4\t<no value>\ngpu-1"),
                               {}).ok
    assert "no node advertises" in driver_reported("cp-0\t<no value>\t<no value>\n",
                                                   {"resource": "x"}).message


def test_node_without_driver_advertises_nothing() -> None:
    assert no_driver_no_accelerator(NODES, {}).ok
    verdict = no_driver_no_accelerator(NODES + "gpu-2\t4\t<no value>\n", {"resource": "r"})
    assert not verdict.ok and "gpu-2 (4)" in verdict.message
