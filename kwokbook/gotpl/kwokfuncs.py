"""KWOK v0.8.0's own template functions, with the exact Go signatures.

``pkg/utils/gotpl/funcs.go`` gives every renderer ``Quote``, ``Now``, ``StartTime``, ``YAML``,
``Version`` and ``NodeConditions``; the pod and node controllers add their IP/name/port functions
(``pkg/kwok/controllers/{pod,node}_controller.go``). The bodies of the controller functions come
in three flavours, chosen by ``profile``:

``pod``/``node``/``oracle-fake`` (aliases ``oracle-pod``/``oracle-node``)
    the deterministic fakes of the Go oracle (``tools/oracle/README.md``), so recorded cases replay.
``harness``
    the placeholders of KWOK's Stage conformance test (``kustomize/stage/stage_test.go``).
``simulator``
    KWOK's real behaviour over an injected :class:`IPPools` and node lookup.

``generic`` has the default functions only. Clock readings go through ``env``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .env import Env
from .gostrconv import quote, to_go_bytes
from .gotime import RFC3339_NANO, env_now, env_start
from .values import T_SLICE_STRING, GoError, GoFunc, GoSlice, sig

__all__ = [
    "DEFAULT_CIDR",
    "FUNC_NAMES_BY_CONTROLLER",
    "KWOK_VERSION",
    "PROFILES",
    "IPPool",
    "IPPools",
    "KwokFuncMap",
    "kwok_funcs",
    "node_conditions",
    "node_host_ips",
]

KWOK_VERSION = "0.8.0"
"""``consts.Version`` of sigs.k8s.io/kwok v0.8.0 (not overwritten when built as a module)."""

DEFAULT_CIDR = "10.0.0.0/24"
"""KwokConfiguration's default ``options.cidr``."""

FUNC_NAMES_BY_CONTROLLER: dict[str, tuple[str, ...]] = {
    "generic": ("Quote", "Now", "StartTime", "YAML", "Version", "NodeConditions"),
    "pod": ("NodeIP", "PodIP", "NodeIPWith", "NodeIPsWith", "PodIPWith", "PodIPsWith"),
    "node": ("NodeIP", "NodeName", "NodePort"),
}
"""Which functions each KWOK component adds (``generic``: every renderer's defaults)."""

PROFILES = ("generic", "pod", "node", "oracle-pod", "oracle-node", "oracle-fake", "harness", "simulator",
            "simulator-pod", "simulator-node", "preview-generic", "preview-pod", "preview-node")

# The oracle's fake bodies (tools/oracle/funcs.go, README "Profiles and the fake …").
FAKE_NODE_IP = "10.0.0.1"
FAKE_NODE_NAME = "kwok-node"
FAKE_NODE_PORT = 10250

_HARNESS_STRING = (
    "NodeIP", "NodeName", "NodePort", "PodIP", "NodeIPWith", "PodIPWith", "Now", "now", "Version",
)
_HARNESS_STRINGS = ("NodeIPsWith", "PodIPsWith")


class KwokFuncMap(dict[str, GoFunc]):
    """The functions of one profile; :meth:`reset_state` restarts per-render fake state.

    The oracle builds a fresh renderer per request, so its fake ``PodIP`` numbering restarts
    every render: call ``reset_state()`` before each render to match it.
    """

    def __init__(self, *args: Any, reset: Callable[[], None] | None = None) -> None:
        super().__init__(*args)
        self._reset = reset

    def reset_state(self) -> None:
        if self._reset is not None:
            self._reset()


# ---------------------------------------------------------------------------------------------
# Default functions (pkg/utils/gotpl/funcs.go)


_QUOTE_SAFE = frozenset(chr(c) for c in range(0x20, 0x7F)) - frozenset('"\\<>&')


def _quote(s: Any) -> str:
    """Quote V: JSON of V as one quoted string (strings stay as their JSON text)."""
    if type(s) is str and _QUOTE_SAFE.issuperset(s):
        return '"' + s + '"'  # json.Marshal of plain printable ASCII (no escapes needed)
    from .gojson import marshal

    try:
        data = marshal(s)
    except GoError:
        from .gofmt import sprint

        return quote(sprint(s))
    if data == "":
        return '""'
    if data[0] == '"':
        return data
    return quote(data)


def _now(env: Env) -> str:
    """Now: the current local time, RFC3339Nano."""
    return env_now(env).format(RFC3339_NANO)


def _start_time(env: Env) -> str:
    """StartTime: when KWOK started (``env.start_time``), RFC3339Nano."""
    return env_start(env).format(RFC3339_NANO)


def _yaml(s: Any, *indent: int) -> str:
    """YAML V [N]: V as YAML; with N > 0 every line (after a leading newline) is indented 2N spaces."""
    from .yamljson import marshal_yaml

    data = marshal_yaml(s)
    if len(indent) == 1 and indent[0] > 0:
        pad = " " * (indent[0] * 2)
        data = ("\n" + data).replace("\n", "\n" + pad)
    return data


def _version() -> str:
    """Version: KWOK's version."""
    return KWOK_VERSION


_NODE_CONDITIONS = (
    ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ("NetworkUnavailable", "False", "RouteCreated", "RouteController created a route"),
)


def node_conditions() -> list[dict[str, Any]]:
    """KWOK's ``nodeConditionsData``: ``[]corev1.NodeCondition`` through JSON (zero times → null).

    Go hands every call the same shared value (sprig's ``set`` on it would leak into later
    renders); this returns a fresh copy each time.
    """
    return [
        {"lastHeartbeatTime": None, "lastTransitionTime": None, "message": msg, "reason": reason,
         "status": status, "type": typ}
        for typ, status, reason, msg in _NODE_CONDITIONS
    ]


def _default_funcs() -> dict[str, GoFunc]:
    def f(name: str, spec: str, fn: Callable[..., Any], *, tags: Iterable[str] = (),
          needs_env: bool = False) -> GoFunc:
        return GoFunc(name, sig(spec), fn, doc=(fn.__doc__ or "").strip().splitlines()[0],
                      tags=frozenset(tags), needs_env=needs_env)

    return {
        "Quote": f("Quote", "interface {} -> string", _quote),
        "Now": f("Now", "-> string", _now, tags={"clock"}, needs_env=True),
        "StartTime": f("StartTime", "-> string", _start_time, tags={"clock"}, needs_env=True),
        "YAML": f("YAML", "interface {}, ...int -> (string, error)", _yaml),
        "Version": f("Version", "-> string", _version),
        "NodeConditions": f("NodeConditions", "-> interface {}", node_conditions),
    }


# ---------------------------------------------------------------------------------------------
# Oracle fakes


def _add_ipv4(base: str, n: int) -> str:
    v = (int(ipaddress.IPv4Address(base)) + n) & 0xFFFFFFFF
    return str(ipaddress.IPv4Address(v))


def _fake_node_ip_with(node_name: str) -> str:
    return _add_ipv4("10.1.0.0", len(to_go_bytes(node_name)))


def _fake_funcs(controllers: tuple[str, ...]) -> KwokFuncMap:
    state = {"pod_ips": 0}

    def next_pod_ip() -> str:
        ip = _add_ipv4("10.0.0.0", 2 + state["pod_ips"])
        state["pod_ips"] += 1
        return ip

    def reset() -> None:
        state["pod_ips"] = 0

    def node_ip() -> str:
        return FAKE_NODE_IP

    def pod_ip() -> str:
        return next_pod_ip()

    def node_ips_with(node_name: str) -> list[str]:
        return [_fake_node_ip_with(node_name)]

    def pod_ip_with(node_name: str, host_network: bool, uid: str, name: str, namespace: str) -> str:
        if host_network:
            return _fake_node_ip_with(node_name)
        return next_pod_ip()

    def pod_ips_with(node_name: str, host_network: bool, uid: str, name: str, namespace: str) -> list[str]:
        if host_network:
            return [_fake_node_ip_with(node_name)]
        return [next_pod_ip()]

    out = KwokFuncMap(reset=reset)
    if "pod" in controllers:
        out.update(_pod_funcs(node_ip, pod_ip, node_ip_with=_fake_node_ip_with, node_ips_with=node_ips_with,
                              pod_ip_with=pod_ip_with, pod_ips_with=pod_ips_with))
    if "node" in controllers:
        out.update(_node_funcs(node_ip, lambda: FAKE_NODE_NAME, lambda: FAKE_NODE_PORT))
    return out


def _pod_funcs(node_ip: Callable[[], str], pod_ip: Callable[[], str], *, node_ip_with: Callable[[str], str],
               node_ips_with: Callable[[str], list[str]], pod_ip_with: Callable[..., str],
               pod_ips_with: Callable[..., list[str]]) -> dict[str, GoFunc]:
    """The pod controller's FuncMap with KWOK's signatures."""
    with_args = "string, bool, string, string, string"
    return {
        "NodeIP": GoFunc("NodeIP", sig("-> string"), node_ip, doc="NodeIP: the configured node IP"),
        "PodIP": GoFunc("PodIP", sig("-> string"), pod_ip, doc="PodIP: the next IP of the default pod CIDR"),
        "NodeIPWith": GoFunc("NodeIPWith", sig("string -> string"), node_ip_with,
                             doc="NodeIPWith NODE: the node's first host IP"),
        "NodeIPsWith": GoFunc("NodeIPsWith", sig("string -> []string"), node_ips_with,
                              doc="NodeIPsWith NODE: the node's host IPs (one per family)"),
        "PodIPWith": GoFunc("PodIPWith", sig(f"{with_args} -> (string, error)"), pod_ip_with,
                            doc="PodIPWith NODE HOSTNETWORK UID NAME NAMESPACE: an IP for a pod on NODE"),
        "PodIPsWith": GoFunc("PodIPsWith", sig(f"{with_args} -> ([]string, error)"), pod_ips_with,
                             doc="PodIPsWith NODE HOSTNETWORK UID NAME NAMESPACE: one IP per pod CIDR"),
    }


def _node_funcs(node_ip: Callable[[], str], node_name: Callable[[], str],
                node_port: Callable[[], int]) -> dict[str, GoFunc]:
    """The node controller's FuncMap with KWOK's signatures."""
    return {
        "NodeIP": GoFunc("NodeIP", sig("-> string"), node_ip, doc="NodeIP: the configured node IP"),
        "NodeName": GoFunc("NodeName", sig("-> string"), node_name,
                           doc="NodeName: the node name KWOK is configured with"),
        "NodePort": GoFunc("NodePort", sig("-> int"), node_port, doc="NodePort: the configured node port"),
    }


# ---------------------------------------------------------------------------------------------
# Conformance-harness placeholders


def _placeholder_call(name: str, args: tuple[Any, ...]) -> str:
    from .gofmt import sprintf

    parts = []
    for arg in args:
        s = sprintf("%#v", arg)
        parts.append('""' if s == "" else s)
    return name + "(" + ", ".join(parts) + ")"


def _harness_funcs() -> dict[str, GoFunc]:
    out: dict[str, GoFunc] = {}
    spec = sig("...interface {} -> interface {}")

    def string_fn(name: str) -> Callable[..., Any]:
        def fn(*args: Any) -> Any:
            if not args:
                return f"<{name}>"
            return f"<{_placeholder_call(name, args)}>"

        return fn

    def strings_fn(name: str) -> Callable[..., Any]:
        def fn(*args: Any) -> Any:
            call = _placeholder_call(name, args) if args else name
            return [f"<0 of {call}>", f"<1 of {call}>"]

        return fn

    for name in _HARNESS_STRING:
        out[name] = GoFunc(name, spec, string_fn(name), doc=f"{name}: conformance-harness placeholder")
    for name in _HARNESS_STRINGS:
        out[name] = GoFunc(name, spec, strings_fn(name), doc=f"{name}: conformance-harness placeholder")
    return out


# ---------------------------------------------------------------------------------------------
# Real behaviour: KWOK's ipPool and host-IP lookup


_V4_MAPPED = 0xFFFF << 32
_MASK128 = (1 << 128) - 1


def _ip_to_int16(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> int:
    """The 16-byte form Go's net.IP uses (IPv4 as ::ffff:a.b.c.d)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return _V4_MAPPED | int(ip)
    return int(ip)


def _is_v4(n: int) -> bool:
    return n >> 32 == 0xFFFF


def _ip_string(n: int) -> str:
    """``net.IP.String`` of a 16-byte address."""
    if _is_v4(n):
        return str(ipaddress.IPv4Address(n & 0xFFFFFFFF))
    return str(ipaddress.IPv6Address(n))


def _parse_ip(s: str) -> int | None:
    """``net.ParseIP`` (strict: no zones, no leading zeros in IPv4); ``None`` when invalid."""
    if "%" in s:
        return None
    try:
        return _ip_to_int16(ipaddress.ip_address(s))
    except ValueError:
        return None


def _parse_ip_sloppy(s: str) -> int | None:
    """k8s.io/utils/net ``ParseIPSloppy``: like ParseIP but IPv4 parts may have leading zeros."""
    parts = s.split(".")
    if len(parts) == 4 and all(1 <= len(p) <= 3 and p.isascii() and p.isdigit() for p in parts):
        vals = [int(p) for p in parts]
        if all(v <= 255 for v in vals):
            return _V4_MAPPED | (vals[0] << 24 | vals[1] << 16 | vals[2] << 8 | vals[3])
        return None
    if ":" in s and "." in s:
        head, _, tail = s.rpartition(":")
        v4 = _parse_ip_sloppy(tail)
        if v4 is not None:
            return _parse_ip(f"{head}:{ipaddress.IPv4Address(v4 & 0xFFFFFFFF)}")
    return _parse_ip(s)


class _CIDR:
    """``*net.IPNet`` as KWOK's ``utilsnet.ParseCIDR`` makes it: IP is the given address, not masked."""

    def __init__(self, text: str) -> None:
        addr, sep, bits = text.partition("/")
        err = GoError(f"invalid CIDR address: {text}")
        if not sep or "%" in addr:
            raise err
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            raise err from None
        width = 32 if isinstance(ip, ipaddress.IPv4Address) else 128
        # Go's dtoi: decimal digits only (leading zeros allowed), at most 8*len(ip).
        if not (bits.isascii() and bits.isdigit()) or int(bits) > width:
            raise err
        ones = int(bits)
        self.ip = _ip_to_int16(ip)
        mask = ((1 << width) - 1) ^ ((1 << (width - ones)) - 1)
        # networkNumberAndMask: a v4(-mapped) network compares 4 bytes with the mask's last 4.
        self.v4 = _is_v4(self.ip)
        self.mask = mask & 0xFFFFFFFF if self.v4 else mask

    def contains(self, n: int | None) -> bool:
        """``IPNet.Contains``: same family (v4-mapped counts as v4) and same masked bits."""
        if n is None or _is_v4(n) != self.v4:
            return False
        if self.v4:
            return (n & 0xFFFFFFFF) & self.mask == (self.ip & 0xFFFFFFFF) & self.mask
        return n & self.mask == self.ip & self.mask


class IPPool:
    """KWOK's ``ipPool`` (pkg/kwok/controllers/utils.go) for one CIDR.

    ``get`` hands out a freed address when there is one, else the next ``base + i`` (i = 1, 2, …)
    not in use, with no upper bound (as in KWOK). Go picks *some* freed address (map order); this
    picks the lowest, so runs are reproducible.
    """

    def __init__(self, cidr: str) -> None:
        self.cidr_text = cidr
        self._cidr = _CIDR(cidr)
        self.used: set[str] = set()
        self.usable: set[str] = set()
        self.index = 0

    def _new(self) -> str:
        while True:
            self.index += 1
            ip = _ip_string((self._cidr.ip + self.index) & _MASK128)
            if ip in self.used:
                continue
            self.used.add(ip)
            self.usable.add(ip)
            return ip

    def get(self) -> str:
        ip = ""
        if self.usable:
            ip = min(self.usable, key=lambda s: (_parse_ip(s) or 0, s))
        if ip == "":
            ip = self._new()
        self.usable.discard(ip)
        self.used.add(ip)
        return ip

    def put(self, ip: str) -> None:
        """Give ``ip`` back (ignored when outside the CIDR)."""
        if not self._cidr.contains(_parse_ip(ip)):
            return
        self.used.discard(ip)
        self.usable.add(ip)

    def use(self, ip: str) -> None:
        """Mark ``ip`` as taken (an address a pod had before KWOK started)."""
        if not self._cidr.contains(_parse_ip(ip)):
            return
        self.used.add(ip)


class IPPools:
    """The pod controller's pools, keyed by CIDR text, plus its default CIDR (``--cidr``)."""

    def __init__(self, default_cidr: str = DEFAULT_CIDR) -> None:
        self.default_cidr = default_cidr
        self.pools: dict[str, IPPool] = {}

    def pool(self, cidr: str) -> IPPool:
        """The pool for ``cidr``, created on first use; raises :class:`GoError` for a bad CIDR."""
        p = self.pools.get(cidr)
        if p is None:
            p = self.pools[cidr] = IPPool(cidr)
        return p

    def pod_cidrs(self, node: Mapping[str, Any]) -> list[str]:
        """``spec.podCIDRs``, else ``spec.podCIDR``, else the default CIDR."""
        spec = _get(node, "spec")
        cidrs = _get(spec, "podCIDRs")
        if isinstance(cidrs, list) and cidrs:
            return [str(c) for c in cidrs]
        one = _get(spec, "podCIDR")
        if isinstance(one, str) and one:
            return [one]
        return [self.default_cidr]

    def recycle_pod_ip(self, pod: Mapping[str, Any], node: Mapping[str, Any] | None) -> None:
        """``recyclingPodIP``: a deleted pod's IPs go back to its node's pools."""
        self._each_pod_ip(pod, node, IPPool.put)

    def mark_pod_ip(self, pod: Mapping[str, Any], node: Mapping[str, Any] | None) -> None:
        """``markPodIP``: IPs of pods that existed before KWOK started are taken."""
        self._each_pod_ip(pod, node, IPPool.use)

    def _each_pod_ip(self, pod: Mapping[str, Any], node: Mapping[str, Any] | None,
                     op: Callable[[IPPool, str], None]) -> None:
        if _get(_get(pod, "spec"), "hostNetwork") is True or node is None:
            return
        cidrs = self.pod_cidrs(node)
        status = _get(pod, "status")
        pod_ips = _get(status, "podIPs")
        ips: list[str] = []
        if isinstance(pod_ips, list) and pod_ips:
            ips = [str(_get(p, "ip") or "") for p in pod_ips]
        elif isinstance(_get(status, "podIP"), str) and _get(status, "podIP"):
            ips = [_get(status, "podIP")]
        for cidr, ip in zip(cidrs, ips):
            try:
                pool = self.pool(cidr)
            except GoError:
                continue
            op(pool, ip)


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else None


def node_host_ips(node: Mapping[str, Any]) -> list[str]:
    """KWOK's ``getNodeHostIPs``: first InternalIP (else ExternalIP), plus the first of the other family."""
    addrs = _get(_get(node, "status"), "addresses")
    all_ips: list[int] = []
    if isinstance(addrs, list):
        for want in ("InternalIP", "ExternalIP"):
            for a in addrs:
                if _get(a, "type") == want:
                    ip = _parse_ip_sloppy(str(_get(a, "address") or ""))
                    if ip is not None:
                        all_ips.append(ip)
    out: list[int] = []
    if all_ips:
        out.append(all_ips[0])
        for ip in all_ips[1:]:
            if _is_v4(ip) != _is_v4(all_ips[0]):
                out.append(ip)
                break
    return [_ip_string(ip) for ip in out]


NodeLookup = Mapping[str, Mapping[str, Any]] | Callable[[str], "Mapping[str, Any] | None"]


def _simulator_pod_funcs(pools: IPPools, nodes: NodeLookup | None, node_ip: str) -> dict[str, GoFunc]:
    def lookup(name: str) -> Mapping[str, Any] | None:
        if nodes is None:
            return None
        if callable(nodes):
            return nodes(name)
        return nodes.get(name)

    def node_ips() -> list[str]:
        return [] if node_ip == "" else [node_ip]

    def f_node_ip() -> str:
        return node_ip

    def f_node_ip_with(node_name: str) -> str:
        node = lookup(node_name)
        if node is None:
            return node_ip
        host = node_host_ips(node)
        return host[0] if host else node_ip

    def f_node_ips_with(node_name: str) -> GoSlice:
        node = lookup(node_name)
        if node is None:
            return GoSlice(node_ips(), T_SLICE_STRING)
        host = node_host_ips(node)
        return GoSlice(host if host else node_ips(), T_SLICE_STRING)

    def f_pod_ip() -> str:
        try:
            return pools.pool(pools.default_cidr).get()
        except GoError:
            return node_ip

    def f_pod_ip_with(node_name: str, host_network: bool, uid: str, name: str, namespace: str) -> str:
        if host_network:
            return f_node_ip_with(node_name)
        node = lookup(node_name)
        if node is None:
            return node_ip
        try:
            return pools.pool(pools.pod_cidrs(node)[0]).get()
        except GoError:
            return node_ip

    def f_pod_ips_with(node_name: str, host_network: bool, uid: str, name: str, namespace: str) -> GoSlice:
        if host_network:
            return f_node_ips_with(node_name)
        node = lookup(node_name)
        if node is None:
            return GoSlice(node_ips(), T_SLICE_STRING)
        ips = []
        for cidr in pools.pod_cidrs(node):
            try:
                ips.append(pools.pool(cidr).get())
            except GoError:
                continue
        return GoSlice(ips if ips else node_ips(), T_SLICE_STRING)

    return _pod_funcs(f_node_ip, f_pod_ip, node_ip_with=f_node_ip_with, node_ips_with=f_node_ips_with,
                      pod_ip_with=f_pod_ip_with, pod_ips_with=f_pod_ips_with)


# ---------------------------------------------------------------------------------------------


def kwok_funcs(profile: str, *, pools: IPPools | None = None, nodes: NodeLookup | None = None,
               node_ip: str = "", node_name: str = "", node_port: int = 0) -> KwokFuncMap:
    """KWOK's functions for a renderer of ``profile`` (see the module docstring).

    Every profile has the default functions; ``pod``/``node`` add the oracle's fake pod/node
    functions, ``oracle-fake`` both; ``harness`` the conformance placeholders (which also replace
    ``Now``, ``Version`` and sprig's ``now``); ``simulator`` (``simulator-pod``/``simulator-node``
    for one controller) the real functions over ``pools`` (default: a fresh pool of
    :data:`DEFAULT_CIDR`), ``nodes`` (name → Node object as JSON-like dict, for managed nodes;
    ``None``: no node cache, as when KWOK runs without one) and the configured ``node_ip``,
    ``node_name``, ``node_port``.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    out: KwokFuncMap
    if profile in ("pod", "oracle-pod"):
        out = _fake_funcs(("pod",))
    elif profile in ("node", "oracle-node"):
        out = _fake_funcs(("node",))
    elif profile == "oracle-fake":
        out = _fake_funcs(("pod", "node"))
    elif profile.startswith("simulator"):
        p = pools if pools is not None else IPPools()
        out = KwokFuncMap()
        if profile in ("simulator", "simulator-pod"):
            out.update(_simulator_pod_funcs(p, nodes, node_ip))
        if profile in ("simulator", "simulator-node"):
            out.update(_node_funcs(lambda: node_ip, lambda: node_name, lambda: node_port))
    else:
        out = KwokFuncMap()
    funcs = KwokFuncMap(_default_funcs(), reset=out.reset_state)
    funcs.update(out)
    if profile == "harness":
        funcs.update(_harness_funcs())
    elif profile.startswith("preview-"):
        funcs.update(_preview_funcs(profile.removeprefix("preview-")))
    return funcs


def _preview_funcs(controller: str) -> dict[str, GoFunc]:
    """What one KWOK controller offers, rendered as the harness's placeholders.

    Unlike the harness (every function for every kind, all taking ``...interface {}``), only the
    controller's own functions exist and they keep KWOK's Go signatures, so a template that KWOK's
    Pod controller could not parse or call fails the same way here.
    """
    harness = _harness_funcs()
    out = {"now": harness["now"]}  # sprig's wall-clock ``now``, kept out of previews
    real_funcs: dict[str, GoFunc] = dict(_default_funcs())
    if controller in ("pod", "node"):
        real_funcs.update(_fake_funcs((controller,)))
    for name, real in real_funcs.items():
        h = harness.get(name)
        if h is not None:
            out[name] = GoFunc(name, real.sig, h.fn, doc=f"{name}: placeholder ({controller} controller)")
    return out
