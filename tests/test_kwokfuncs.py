"""KWOK's template functions (kwokbook/gotpl/kwokfuncs.py).

Go-exactness of the defaults, the oracle fakes and the harness placeholders is proven by
tests/fixtures/recorded/kwokfuncs.json; here: signatures, profile contents, per-render state, and
the simulator's port of KWOK's ipPool / getNodeHostIPs (which the oracle does not run).
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timezone
from typing import Any

import pytest

from kwokbook.gotpl import kwokfuncs as kf
from kwokbook.gotpl.env import Env
from kwokbook.gotpl.values import GoError, JsonNumber

GO_SIGNATURES = {
    # pkg/utils/gotpl/funcs.go
    "Quote": "func(interface {}) string",
    "Now": "func() string",
    "StartTime": "func() string",
    "YAML": "func(interface {}, ...int) (string, error)",
    "Version": "func() string",
    "NodeConditions": "func() interface {}",
    # pod_controller.go / node_controller.go
    "NodeIP": "func() string",
    "PodIP": "func() string",
    "NodeIPWith": "func(string) string",
    "NodeIPsWith": "func(string) []string",
    "PodIPWith": "func(string, bool, string, string, string) (string, error)",
    "PodIPsWith": "func(string, bool, string, string, string) ([]string, error)",
    "NodeName": "func() string",
    "NodePort": "func() int",
}


def call(funcs: dict[str, Any], name: str, *args: Any, env: Env | None = None) -> Any:
    f = funcs[name]
    return f.fn(env or Env(), *args) if f.needs_env else f.fn(*args)


@pytest.mark.parametrize("profile", ["oracle-fake", "simulator"])
def test_signatures_are_kwoks(profile: str) -> None:
    funcs = kf.kwok_funcs(profile)
    for name, want in GO_SIGNATURES.items():
        assert str(funcs[name].sig) == want, name


@pytest.mark.parametrize(("profile", "controllers"), [
    ("generic", ("generic",)),
    ("pod", ("generic", "pod")),
    ("oracle-pod", ("generic", "pod")),
    ("node", ("generic", "node")),
    ("oracle-fake", ("generic", "pod", "node")),
    ("simulator", ("generic", "pod", "node")),
    ("simulator-pod", ("generic", "pod")),
    ("simulator-node", ("generic", "node")),
])
def test_profile_contents(profile: str, controllers: tuple[str, ...]) -> None:
    want = {n for c in controllers for n in kf.FUNC_NAMES_BY_CONTROLLER[c]}
    assert set(kf.kwok_funcs(profile)) == want


def test_unknown_profile() -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        kf.kwok_funcs("bogus")


def test_harness_overrides_and_placeholders() -> None:
    funcs = kf.kwok_funcs("harness")
    assert set(funcs) >= set(kf.FUNC_NAMES_BY_CONTROLLER["pod"]) | {"NodeName", "NodePort", "now"}
    assert str(funcs["NodeIPWith"].sig) == "func(...interface {}) interface {}"
    assert call(funcs, "Now") == "<Now>"
    assert call(funcs, "Version") == "<Version>"
    assert call(funcs, "NodeIPWith", "node-0", JsonNumber("3"), 1, None, True) == \
        '<NodeIPWith("node-0", "3", 1, <nil>, true)>'
    assert call(funcs, "NodeIPWith", "") == '<NodeIPWith("")>'
    assert call(funcs, "PodIPsWith") == ["<0 of PodIPsWith>", "<1 of PodIPsWith>"]
    assert call(funcs, "NodeIPsWith", "a") == ['<0 of NodeIPsWith("a")>', '<1 of NodeIPsWith("a")>']
    assert call(funcs, "Quote", "x") == '"x"', "the defaults stay real"


def test_fake_pod_ips_are_per_render() -> None:
    funcs = kf.kwok_funcs("pod")
    seq = [call(funcs, "PodIP"), call(funcs, "PodIPWith", "n", False, "", "", ""),
           call(funcs, "PodIPsWith", "n", False, "", "", "")[0]]
    base = ipaddress.IPv4Address("10.0.0.0")
    assert seq == [str(base + 2), str(base + 3), str(base + 4)]
    assert call(funcs, "PodIPWith", "node-0", True, "", "", "") == str(ipaddress.IPv4Address("10.1.0.0") + 6)
    funcs.reset_state()
    assert call(funcs, "PodIP") == "10.0.0.2"
    for _ in range(298):
        call(funcs, "PodIP")
    assert call(funcs, "PodIP") == str(base + 2 + 299) == "10.0.1.45"  # carries into the third octet
    assert call(funcs, "NodeIPWith", "é") == "10.1.0.2", "len() counts UTF-8 bytes"


def test_fake_node_funcs() -> None:
    funcs = kf.kwok_funcs("node")
    assert (call(funcs, "NodeIP"), call(funcs, "NodeName"), call(funcs, "NodePort")) == \
        (kf.FAKE_NODE_IP, kf.FAKE_NODE_NAME, kf.FAKE_NODE_PORT)


def test_now_and_start_time_read_env() -> None:
    funcs = kf.kwok_funcs("generic")
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    env = Env(clock=lambda: datetime(2024, 5, 6, 7, 8, 9, 100000, tzinfo=timezone.utc), start_time=start)
    assert call(funcs, "Now", env=env) == "2024-05-06T07:08:09.1Z"
    assert call(funcs, "StartTime", env=env) == "2024-01-01T00:00:00Z"
    assert funcs["Now"].needs_env and "clock" in funcs["Now"].tags
    assert funcs["StartTime"].needs_env and "clock" in funcs["StartTime"].tags


def test_node_conditions_fresh_copies() -> None:
    a = kf.node_conditions()
    a[0]["status"] = "False"
    b = kf.node_conditions()
    assert b[0]["status"] == "True"
    assert [c["type"] for c in b] == ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"]
    assert all(c["lastHeartbeatTime"] is None and c["lastTransitionTime"] is None for c in b)


def test_yaml_indent(monkeypatch: pytest.MonkeyPatch) -> None:
    """YAML's own logic (funcs.go): only exactly one indent > 0 indents, by 2*N spaces after each newline."""
    import kwokbook.gotpl.yamljson as yj

    monkeypatch.setattr(yj, "marshal_yaml", lambda v: "a: 1\nb:\n- 2\n", raising=False)
    funcs = kf.kwok_funcs("generic")
    assert call(funcs, "YAML", {}) == "a: 1\nb:\n- 2\n"
    assert call(funcs, "YAML", {}, 1) == "\n  a: 1\n  b:\n  - 2\n  "
    assert call(funcs, "YAML", {}, 2) == "\n    a: 1\n    b:\n    - 2\n    "
    assert call(funcs, "YAML", {}, 0) == call(funcs, "YAML", {}, -1) == call(funcs, "YAML", {}, 1, 1) == "a: 1\nb:\n- 2\n"

    def fail(v: Any) -> str:
        raise GoError("error marshaling into JSON: json: unsupported value: NaN")

    monkeypatch.setattr(yj, "marshal_yaml", fail, raising=False)
    with pytest.raises(GoError, match="unsupported value: NaN"):
        call(funcs, "YAML", float("nan"), 1)


def test_version() -> None:
    assert call(kf.kwok_funcs("generic"), "Version") == kf.KWOK_VERSION == "0.8.0"


# -- simulator: KWOK's ipPool ------------------------------------------------------------------


def test_ip_pool_hands_out_in_order_and_reuses() -> None:
    pool = kf.IPPool("10.0.0.0/24")
    got = [pool.get() for _ in range(3)]
    assert got == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    pool.put("10.0.0.2")
    pool.put("10.0.0.1")
    pool.put("192.168.0.1")  # outside the CIDR: ignored
    pool.put("not an ip")
    assert pool.get() == "10.0.0.1", "freed addresses first (lowest, for reproducibility)"
    assert pool.get() == "10.0.0.2"
    assert pool.get() == "10.0.0.4"


def test_ip_pool_use_skips_taken_addresses() -> None:
    pool = kf.IPPool("10.0.0.0/24")
    pool.use("10.0.0.1")
    pool.use("10.0.0.2")
    pool.use("10.9.0.3")  # outside: ignored
    assert pool.get() == "10.0.0.3"


def test_ip_pool_starts_at_given_address_and_is_unbounded() -> None:
    pool = kf.IPPool("10.0.0.254/31")  # KWOK keeps the unmasked address and never stops
    assert [pool.get() for _ in range(3)] == ["10.0.0.255", "10.0.1.0", "10.0.1.1"]
    v6 = kf.IPPool("fd00::ffff/120")
    assert [v6.get(), v6.get()] == ["fd00::1:0", "fd00::1:1"]


@pytest.mark.parametrize("bad", ["10.0.0.0", "10.0.0.0/33", "010.0.0.0/8", "x/8", "fe80::1%eth0/64", "1.2.3.4/+8"])
def test_bad_cidr(bad: str) -> None:
    with pytest.raises(GoError, match=r"^invalid CIDR address: "):
        kf.IPPool(bad)


def _node(addresses: list[tuple[str, str]], **spec: Any) -> dict[str, Any]:
    return {"spec": spec, "status": {"addresses": [{"type": t, "address": a} for t, a in addresses]}}


def test_node_host_ips() -> None:
    dual = _node([("Hostname", "n0"), ("ExternalIP", "fd00::9"), ("InternalIP", "10.1.2.3"),
                  ("InternalIP", "10.1.2.4"), ("ExternalIP", "192.168.0.1")])
    assert kf.node_host_ips(dual) == ["10.1.2.3", "fd00::9"]
    assert kf.node_host_ips(_node([("ExternalIP", "010.001.000.009")])) == ["10.1.0.9"], "sloppy parse"
    assert kf.node_host_ips(_node([("InternalIP", "nope")])) == []
    assert kf.node_host_ips({}) == []


def test_simulator_pod_funcs() -> None:
    nodes = {
        "n0": _node([("InternalIP", "10.1.2.3")], podCIDR="10.244.0.0/24"),
        "n1": _node([], podCIDRs=["10.245.0.0/24", "fd00:1::/64"]),
        "bad": _node([], podCIDR="nonsense"),
    }
    pools = kf.IPPools()
    funcs = kf.kwok_funcs("simulator", pools=pools, nodes=nodes, node_ip="192.168.0.10")
    assert call(funcs, "NodeIP") == "192.168.0.10"
    assert call(funcs, "NodeIPWith", "n0") == "10.1.2.3"
    assert call(funcs, "NodeIPWith", "n1") == "192.168.0.10", "no host IPs: the configured node IP"
    assert call(funcs, "NodeIPWith", "unknown") == "192.168.0.10"
    assert list(call(funcs, "NodeIPsWith", "n0")) == ["10.1.2.3"]
    assert call(funcs, "PodIP") == "10.0.0.1", "the default CIDR"
    assert call(funcs, "PodIPWith", "n0", False, "u", "p", "ns") == "10.244.0.1"
    assert call(funcs, "PodIPWith", "n0", True, "u", "p", "ns") == "10.1.2.3"
    assert call(funcs, "PodIPWith", "unknown", False, "u", "p", "ns") == "192.168.0.10"
    assert call(funcs, "PodIPWith", "bad", False, "u", "p", "ns") == "192.168.0.10"
    assert list(call(funcs, "PodIPsWith", "n1", False, "u", "p", "ns")) == ["10.245.0.1", "fd00:1::1"]
    assert list(call(funcs, "PodIPsWith", "bad", False, "u", "p", "ns")) == ["192.168.0.10"]
    # State lives in the injected pools: a deleted pod's IP is recycled.
    pod = {"spec": {"nodeName": "n0"}, "status": {"podIPs": [{"ip": "10.244.0.1"}]}}
    pools.recycle_pod_ip(pod, nodes["n0"])
    assert call(funcs, "PodIPWith", "n0", False, "u", "p", "ns") == "10.244.0.1"
    pools.mark_pod_ip({"status": {"podIP": "10.244.0.2"}}, nodes["n0"])
    assert call(funcs, "PodIPWith", "n0", False, "u", "p", "ns") == "10.244.0.3"


def test_simulator_without_node_cache_and_node_funcs() -> None:
    funcs = kf.kwok_funcs("simulator", node_ip="", node_name="kwok-0", node_port=10247)
    assert list(call(funcs, "NodeIPsWith", "n0")) == [], "empty node IP: empty list"
    assert call(funcs, "PodIPWith", "n0", False, "", "", "") == ""
    assert (call(funcs, "NodeName"), call(funcs, "NodePort")) == ("kwok-0", 10247)
    lookup_calls: list[str] = []

    def lookup(name: str) -> dict[str, Any] | None:
        lookup_calls.append(name)
        return None

    funcs = kf.kwok_funcs("simulator", nodes=lookup, node_ip="1.2.3.4")
    assert call(funcs, "NodeIPWith", "x") == "1.2.3.4"
    assert lookup_calls == ["x"]


@pytest.mark.parametrize(("profile", "controllers"), [
    ("preview-generic", ("generic",)),
    ("preview-pod", ("generic", "pod")),
    ("preview-node", ("generic", "node")),
])
def test_preview_profiles_keep_one_controllers_functions_and_signatures(
        profile: str, controllers: tuple[str, ...]) -> None:
    funcs = kf.kwok_funcs(profile)
    # plus sprig's ``now``, which previews as a placeholder so the output does not depend on the wall clock
    assert set(funcs) == {n for c in controllers for n in kf.FUNC_NAMES_BY_CONTROLLER[c]} | {"now"}
    for name in funcs:
        if name in GO_SIGNATURES:
            assert str(funcs[name].sig) == GO_SIGNATURES[name], name
    assert call(funcs, "Now") == "<Now>"
    if "pod" in controllers:
        assert call(funcs, "PodIPWith", "node-0", False, "", "", "") == '<PodIPWith("node-0", false, "", "", "")>'


def test_preview_profile_rejects_what_kwoks_controller_rejects() -> None:
    from kwokbook.gotpl.render import Renderer
    from kwokbook.gotpl.tplerrors import TemplateError

    harness = Renderer(profile="harness")
    assert harness.to_text("{{ NodeIPWith 1 }}", {}) == "<NodeIPWith(1)>"
    pod = Renderer(profile="preview-pod")
    with pytest.raises(TemplateError, match="NodeIPWith"):
        pod.to_text("{{ NodeIPWith 1 }}", {})  # the Pod controller has no NodeIPWith
    with pytest.raises(TemplateError, match="wrong number of args for PodIPWith"):
        pod.to_text('{{ PodIPWith "n" }}', {})
