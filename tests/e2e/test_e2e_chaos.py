"""KWOK's chaos stages (kwokbook/data/stages/*/chaos) applied live and fired by their labels."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from e2e_util import condition, is_ready, phase, running_and_ready, wait_for

from kwokbook.backend import NODES, PODS
from kwokbook.cluster import apply_stages, diff_stages
from kwokbook.sim.objects import kwok_node, pod
from kwokbook.triggers import trigger

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(120)]

FAILED = "pod-container-running-failed.stage.kwok.x-k8s.io"
NOT_READY = "node-not-ready.stage.kwok.x-k8s.io"


def test_pod_container_running_failed(kc: Any, ns: str, kwok_node: str, stages_restored: Any) -> None:
    [d] = diff_stages(kc, "pod/chaos/pod-container-running-failed.yaml")
    assert d.action == "create"
    [ch] = apply_stages(kc, "pod/chaos/pod-container-running-failed.yaml")
    assert ch.action == "created"
    ann = {f"{FAILED}/exit-code": "42", f"{FAILED}/reason": "OOMKilled", f"{FAILED}/message": "out of memory"}
    kc.create(pod("victim", namespace=ns, node=kwok_node, annotations=ann, containers=["main"]))
    wait_for(lambda: running_and_ready(kc.get(PODS, "victim", namespace=ns)), 30, "pod Running")
    res = trigger(kc, FAILED, "true", names="victim", namespace=ns, wait=20)
    [o] = res.outcomes
    assert o.latency_ns is not None, str(res)
    # the stage waits 1 s (durationMilliseconds 1000, jitter 1000 ≤ base ⇒ exactly 1 s)
    assert o.latency_ns >= 0.9e9, f"fired after {o.latency_ns / 1e6:.0f} ms, before its 1 s delay"
    p = wait_for(lambda: (x := kc.get(PODS, "victim", namespace=ns)) and phase(x) == "Failed" and x, 20, "Failed")
    [cs] = p["status"]["containerStatuses"]
    term = cs["state"]["terminated"]
    assert term["exitCode"] == 42 and term["reason"] == "OOMKilled" and term["message"] == "out of memory"
    assert condition(p, "Ready")["status"] == "False"


def test_node_not_ready(kc: Any, stages_restored: Any) -> None:
    name = f"kb-chaos-node-{uuid.uuid4().hex[:6]}"
    kc.create(kwok_node(name, annotations={f"{NOT_READY}/reason": "KernelDeadlock",
                                           f"{NOT_READY}/message": "simulated by kwokbook"}))
    try:
        wait_for(lambda: is_ready(kc.get(NODES, name)), 30, f"node {name} Ready")
        apply_stages(kc, "node/chaos/node-not-ready.yaml")
        res = trigger(kc, NOT_READY, "true", resource="nodes", names=name, wait=20)
        assert res.outcomes[0].latency_ns is not None, str(res)
        n = wait_for(lambda: (x := kc.get(NODES, name)) and (condition(x, "Ready") or {}).get("status") == "False"
                     and x, 20, "Ready False")
        ready = condition(n, "Ready")
        assert ready["reason"] == "KernelDeadlock" and ready["message"] == "simulated by kwokbook"
        time.sleep(1.5)  # it stays NotReady: the chaos stage (weight 10000) wins over node-initialize (weight 0)
        assert condition(kc.get(NODES, name), "Ready")["status"] == "False"
    finally:
        kc.delete(NODES, name, missing_ok=True)
