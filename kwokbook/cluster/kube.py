"""The real-cluster backend: the only module of kwokbook that imports ``kubernetes``.

The client library is used for what it is good at — reading kubeconfig / in-cluster config (exec
plugins, token refresh, TLS files) and building a configured urllib3 pool — and for nothing on the
hot path: requests are plain HTTP on that pool, objects travel as plain dicts (no generated
models), watch lines are parsed by :class:`~kwokbook.cluster.watch.WatchState`. This keeps one
code path across client versions (their ``ApiClient.call_api`` signature changed in v31+) and
costs one ``json.loads`` per object.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import logging
import os
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import urllib3
from kubernetes import client as _k8s_client
from kubernetes import config as _k8s_config

from ..backend import (
    LEASES,
    NODES,
    STAGES,
    ClusterInfo,
    ListResult,
    PatchResult,
    Resource,
    WatchEvent,
    resource_for,
)
from ..errors import ClusterError, Location
from .errors import ApiError, api_error
from .safety import is_kwok_node
from .watch import WatchError, WatchState

log = logging.getLogger("kwokbook.cluster")

# The client's typing differs between releases (some ship stubs, most do not): treat it as Any.
k8s_client: Any = _k8s_client
k8s_config: Any = _k8s_config

PATCH_TYPES = {
    "json": "application/json-patch+json",
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
    "apply": "application/apply-patch+yaml",
}

# Connection errors (nothing was sent) are retried for every method; a dropped answer only for
# idempotent ones (GET, PUT, DELETE): after an API server restart, pooled keep-alive connections
# are dead, and the first request on one must not fail for that.
_RETRY = urllib3.Retry(total=2, connect=2, read=1, status=0, redirect=0, other=0, backoff_factor=0.05,
                       raise_on_status=False)

_UNREACHABLE_HINT = "is the cluster running? `kwokbook cluster status` (start one with `kwokbook cluster up`)"


def _load_config(kubeconfig: str | None, context: str | None, in_cluster: bool) -> Any:
    """A client Configuration from in-cluster files or a kubeconfig, with errors a person can act on."""
    cfg = k8s_client.Configuration()
    if in_cluster:
        try:
            k8s_config.load_incluster_config(client_configuration=cfg)
        except k8s_config.ConfigException as e:
            raise ClusterError(f"cannot load the in-cluster config: {e}",
                               hint="in_cluster=True only works inside a Pod with a service account") from None
        return cfg
    where = kubeconfig or os.environ.get("KUBECONFIG", "").split(os.pathsep)[0] or "~/.kube/config"
    path = os.path.expanduser(where)
    if not os.path.exists(path):
        raise ClusterError(f"no kubeconfig at {path}", Location(where),
                           hint="pass kubeconfig=PATH (CLI: --kubeconfig), a kwokctl cluster name (cluster=NAME), "
                                "or start a local cluster with `kwokbook cluster up`")
    try:
        contexts, active = k8s_config.list_kube_config_contexts(config_file=path)
    except (k8s_config.ConfigException, OSError, TypeError, ValueError) as e:
        raise ClusterError(f"cannot read kubeconfig: {e}", Location(where),
                           hint="check the file; `kubectl --kubeconfig PATH config view` shows what it holds") from None
    names = [str(c.get("name")) for c in contexts or []]
    if context is not None and context not in names:
        raise ClusterError(f"context {context!r} is not in {path}", Location(where),
                           hint=f"its contexts: {', '.join(names) or '(none)'}; pass one with context= / --context")
    if context is None and not active:
        raise ClusterError(f"{path} has no current-context", Location(where),
                           hint=f"pass context= / --context (one of: {', '.join(names) or '(none)'})")
    try:
        k8s_config.load_kube_config(config_file=path, context=context, client_configuration=cfg,
                                    persist_config=False)
    except (k8s_config.ConfigException, OSError, TypeError, ValueError) as e:
        raise ClusterError(f"cannot load kubeconfig: {e}", Location(where),
                           hint="check the context's cluster and user entries") from None
    return cfg


class KubeCluster:
    """A Kubernetes API server reached through a kubeconfig (or in-cluster config).

    Implements :class:`kwokbook.backend.Cluster`. ``detect_kwok()`` fills ``info`` (is it KWOK,
    and the evidence); :func:`kwokbook.cluster.connect` calls it for you.
    """

    def __init__(self, kubeconfig: str | os.PathLike[str] | None = None, context: str | None = None, *,
                 in_cluster: bool = False, name: str | None = None, request_timeout: float = 30.0,
                 pool_size: int = 16, clock: Callable[[], int] = time.time_ns) -> None:
        kc = os.fspath(kubeconfig) if kubeconfig is not None else None
        cfg = _load_config(kc, context, in_cluster)
        cfg.connection_pool_maxsize = pool_size
        self._cfg = cfg
        self.kubeconfig = kc
        self.context = context
        self.server: str = str(cfg.host).rstrip("/")
        self.request_timeout = request_timeout
        self.pool: urllib3.PoolManager = k8s_client.rest.RESTClientObject(cfg).pool_manager
        self._clock = clock
        self.info = ClusterInfo(name or context or _context_name(kc, context) or "cluster", "kubernetes", False, [],
                                self.server)
        self._stop = threading.Event()
        self._watches: weakref.WeakSet[Watch] = weakref.WeakSet()

    def __repr__(self) -> str:
        kind = "KWOK" if self.info.is_kwok else self.info.backend
        return f"KubeCluster({self.info.name!r}, {self.server}, {kind})"

    # -- plumbing ---------------------------------------------------------------------------

    def now_ns(self) -> int:
        return self._clock()

    @staticmethod
    def path(r: Resource, namespace: str | None = None, name: str | None = None,
             subresource: str | None = None) -> str:
        base = f"/api/{r.version}" if not r.group else f"/apis/{r.group}/{r.version}"
        if r.namespaced and namespace:
            base += f"/namespaces/{namespace}"
        base += f"/{r.plural}"
        if name:
            base += f"/{name}"
        if subresource:
            base += f"/{subresource}"
        return base

    def _headers(self, content_type: str | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": "kwokbook"}
        settings: dict[str, Any] = self._cfg.auth_settings() or {}
        for auth in settings.values():  # refreshes expiring tokens (exec plugins)
            if auth.get("in") == "header" and auth.get("value"):
                headers[str(auth["key"])] = str(auth["value"]).strip()  # token files may end in a newline
        if content_type:
            headers["Content-Type"] = content_type
        return headers

    def url(self, path: str, query: Mapping[str, Any] | None = None) -> str:
        q = {k: v for k, v in (query or {}).items() if v is not None}
        return self.server + path + ("?" + urlencode(q) if q else "")

    def request(self, method: str, path: str, *, body: Any = None, query: Mapping[str, Any] | None = None,
                content_type: str = "application/json", what: str = "", timeout: float | None = None,
                raw: bool = False) -> Any:
        """One API call: the parsed JSON body (``raw``: the bytes), or raises ClusterError."""
        what = what or f"{method} {path}"
        data: bytes | None = None
        if body is not None:
            data = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else \
                json.dumps(body, separators=(",", ":")).encode()
        try:
            resp = self.pool.request(
                method, self.url(path, query), body=data, headers=self._headers(content_type if data else None),
                timeout=urllib3.Timeout(connect=min(5.0, timeout or self.request_timeout),
                                        read=timeout or self.request_timeout),
                retries=_RETRY, redirect=False, preload_content=True)
        except (urllib3.exceptions.HTTPError, OSError) as e:
            raise ClusterError(f"{what}: cannot reach the API server at {self.server}: {_reason(e)}",
                               hint=_UNREACHABLE_HINT) from None
        if resp.status >= 400:
            raise api_error(resp.status, resp.data, what, server=self.server)
        if raw:
            return resp.data
        return json.loads(resp.data) if resp.data else None

    # -- Cluster protocol -------------------------------------------------------------------

    def list(self, resource: str | Resource, *, namespace: str | None = None, label_selector: str | None = None,
             field_selector: str | None = None, limit: int = 500) -> ListResult:
        """All objects (paged by ``limit``), each with apiVersion/kind set (lists omit them)."""
        r = resource_for(resource)
        items: list[dict[str, Any]] = []
        q: dict[str, Any] = {"labelSelector": label_selector, "fieldSelector": field_selector,
                             "limit": limit or None}
        rv = ""
        while True:
            body = self.request("GET", self.path(r, namespace), query=q, what=f"list {r}")
            meta = body.get("metadata") or {}
            rv = rv or str(meta.get("resourceVersion") or "")
            for it in body.get("items") or []:
                it.setdefault("apiVersion", r.api_version)
                it.setdefault("kind", r.kind)
                items.append(it)
            cont = meta.get("continue")
            if not cont:
                break
            q["continue"] = cont
        return ListResult(items, rv)

    def get(self, resource: str | Resource, name: str, *, namespace: str | None = None) -> dict[str, Any] | None:
        r = resource_for(resource)
        try:
            return self.request("GET", self.path(r, self._ns(r, namespace), name),
                                what=f"get {r} {name}")
        except ApiError as e:
            if e.status == 404:
                return None
            raise

    @staticmethod
    def _ns(r: Resource, namespace: str | None) -> str | None:
        return (namespace or "default") if r.namespaced else None

    def create(self, obj: Mapping[str, Any], *, dry_run: bool = False) -> dict[str, Any]:
        r = resource_for(obj)
        ns = self._ns(r, (obj.get("metadata") or {}).get("namespace"))
        return self.request("POST", self.path(r, ns), body=dict(obj),
                            query={"dryRun": "All" if dry_run else None}, what=f"create {r}")

    def replace(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        """PUT the whole object (``metadata.resourceVersion`` makes it conditional)."""
        r = resource_for(obj)
        meta = obj.get("metadata") or {}
        return self.request("PUT", self.path(r, self._ns(r, meta.get("namespace")), str(meta.get("name"))),
                            body=dict(obj), what=f"replace {r} {meta.get('name')}")

    def apply(self, obj: Mapping[str, Any], *, field_manager: str = "kwokbook", force: bool = True,
              dry_run: bool = False) -> dict[str, Any]:
        """Server-side apply (creates or updates; ``force`` takes over fields other managers own)."""
        r = resource_for(obj)
        meta = obj.get("metadata") or {}
        q = {"fieldManager": field_manager, "force": "true" if force else "false",
             "dryRun": "All" if dry_run else None}
        return self.request("PATCH", self.path(r, self._ns(r, meta.get("namespace")), str(meta.get("name"))),
                            body=json.dumps(dict(obj)), query=q, content_type=PATCH_TYPES["apply"],
                            what=f"apply {r} {meta.get('name')}")

    def patch(self, resource: str | Resource, name: str, patch: Any, *, namespace: str | None = None,
              patch_type: str = "merge", subresource: str | None = None,
              field_manager: str | None = None) -> PatchResult:
        r = resource_for(resource)
        ctype = PATCH_TYPES.get(patch_type, patch_type)
        body = patch if isinstance(patch, (bytes, str)) else json.dumps(patch, separators=(",", ":"))
        obj = self.request("PATCH", self.path(r, self._ns(r, namespace), name, subresource), body=body,
                           content_type=ctype, query={"fieldManager": field_manager}, what=f"patch {r} {name}")
        return PatchResult(obj, self._clock())

    def delete(self, resource: str | Resource, name: str, *, namespace: str | None = None,
               grace_period_seconds: int | None = None, propagation_policy: str | None = None,
               missing_ok: bool = False) -> None:
        r = resource_for(resource)
        body: dict[str, Any] = {"apiVersion": "v1", "kind": "DeleteOptions"}
        if grace_period_seconds is not None:
            body["gracePeriodSeconds"] = grace_period_seconds
        if propagation_policy:
            body["propagationPolicy"] = propagation_policy
        try:
            self.request("DELETE", self.path(r, self._ns(r, namespace), name), body=body, what=f"delete {r} {name}")
        except ApiError as e:
            if not (missing_ok and e.status == 404):
                raise

    def wait(self, seconds: float) -> None:
        time.sleep(seconds)

    def wait_until(self, predicate: Callable[[], bool], timeout: float, *, poll: float = 0.05) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if predicate():
                return True
            time.sleep(poll)
        return predicate()

    def stop(self) -> None:
        """End every running watch of this cluster now (also from another thread)."""
        self._stop.set()
        for w in list(self._watches):
            w.stop()

    def close(self) -> None:
        self.stop()
        self.pool.clear()

    def watch(self, resource: str | Resource, *, namespace: str | None = None,
              resource_version: str | None = None, label_selector: str | None = None,
              stop: threading.Event | None = None, reconnect: bool = True, retry_delay: float = 0.25,
              max_retry_delay: float = 4.0, on_error: Callable[[Exception], None] | None = None,
              timeout_seconds: int = 290) -> Watch:
        """List-then-watch as an iterator of :class:`WatchEvent` (``.stop()`` ends it from any thread).

        Without ``resource_version`` the current objects come first as ADDED. Bookmarks are on.
        A dropped connection (an API server restart) is retried with backoff and resumes from the
        last version seen, so nothing is lost; if the server no longer has that version (410
        Gone) the watch re-lists and yields ``RESYNC`` followed by the differences.
        """
        w = Watch(self, resource_for(resource), namespace=namespace, resource_version=resource_version,
                  label_selector=label_selector, stop=stop, reconnect=reconnect, retry_delay=retry_delay,
                  max_retry_delay=max_retry_delay, on_error=on_error, timeout_seconds=timeout_seconds)
        self._watches.add(w)
        return w

    # -- KWOK detection ---------------------------------------------------------------------

    def readyz(self, timeout: float = 5.0) -> bool:
        try:
            return self.request("GET", "/readyz", raw=True, timeout=timeout, what="readyz").strip() == b"ok"
        except ClusterError:
            return False

    def detect_kwok(self) -> ClusterInfo:
        """Look for the evidence that this is a KWOK cluster and record it in ``info``.

        Evidence: the Stage CRD (``kwok.x-k8s.io``) is served, nodes carry KWOK's marks
        (``kubeletVersion: kwok-…`` written by KWOK's node-initialize stage, or the
        ``kwok.x-k8s.io/node: fake`` annotation), and a KWOK node's lease is being renewed
        (the controller is running). Raises ClusterError if the server cannot be reached.
        """
        self.request("GET", "/version", what="connect", timeout=min(10.0, self.request_timeout))
        evidence: list[str] = []
        stage_crd = False
        try:
            group = self.request("GET", "/apis/kwok.x-k8s.io/v1alpha1", what="discover kwok.x-k8s.io")
            if any(res.get("name") == "stages" for res in group.get("resources") or []):
                stage_crd = True
                evidence.append("the Stage CRD (stages.kwok.x-k8s.io) is installed")
                n = len(self.list(STAGES).items)
                evidence.append(f"{n} Stage object(s) live")
        except ClusterError:
            pass
        nodes = self.list(NODES).items
        kwok_nodes = sorted(n["metadata"]["name"] for n in nodes if is_kwok_node(n))
        if kwok_nodes:
            evidence.append(f"{len(kwok_nodes)} of {len(nodes)} node(s) carry KWOK's marks "
                            f"({', '.join(kwok_nodes[:3])}{'…' if len(kwok_nodes) > 3 else ''})")
            renewed = self._lease_age(kwok_nodes[0])
            if renewed is not None:
                evidence.append(f"node lease of {kwok_nodes[0]} renewed {renewed:.0f}s ago (controller running)")
        self.info.evidence = evidence
        self.info.is_kwok = stage_crd or bool(kwok_nodes)
        self.info.backend = "kwok" if self.info.is_kwok else "kubernetes"
        if not self.info.is_kwok:
            self.info.evidence.append(f"no Stage CRD and none of {len(nodes)} node(s) looks like a KWOK node")
        return self.info

    def _lease_age(self, node: str) -> float | None:
        try:
            lease = self.get(LEASES, node, namespace="kube-node-lease")
        except ClusterError:
            return None
        renew = ((lease or {}).get("spec") or {}).get("renewTime")
        if not renew:
            return None
        from datetime import datetime

        try:
            t = datetime.fromisoformat(str(renew).replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
        return max(0.0, self._clock() / 1e9 - t)

    def kwok_nodes(self) -> set[str]:
        """Names of the nodes that look KWOK-managed (see :func:`kwokbook.cluster.safety.is_kwok_node`)."""
        return {n["metadata"]["name"] for n in self.list(NODES).items if is_kwok_node(n)}

    # -- Stages (see kwokbook.cluster.stages for diff/apply of many) --------------------------

    def list_stages(self) -> builtins.list[dict[str, Any]]:
        return self.list(STAGES).items

    def apply_stage(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        return self.apply(doc)

    def delete_stage(self, name: str) -> None:
        self.delete(STAGES, name, missing_ok=True)


class Watch(Iterator[WatchEvent]):
    """One list-then-watch loop; iterate it, ``stop()`` it from anywhere (it unblocks the read)."""

    def __init__(self, cluster: KubeCluster, r: Resource, *, namespace: str | None, resource_version: str | None,
                 label_selector: str | None, stop: threading.Event | None, reconnect: bool, retry_delay: float,
                 max_retry_delay: float, on_error: Callable[[Exception], None] | None, timeout_seconds: int) -> None:
        self.cluster = cluster
        self.resource = r
        self.namespace = namespace
        self.label_selector = label_selector
        self.state = WatchState(r, resource_version, needs_list=resource_version is None)
        self._stop_event = stop or threading.Event()
        self._reconnect = reconnect
        self._retry_delay = retry_delay
        self._max_retry_delay = max_retry_delay
        self._on_error = on_error
        self._timeout_seconds = timeout_seconds
        self._resp: Any = None
        self._lock = threading.Lock()
        self._gen = self._run()
        self.reconnects = 0
        self.errors: list[str] = []
        self.listed = threading.Event()  # set once the first list has been yielded (or none was needed)
        if resource_version is not None:
            self.listed.set()
        if stop is not None:  # a caller's event: setting it must also unblock a read in progress
            threading.Thread(target=self._stop_on_event, daemon=True, name="kwokbook-watch-stop").start()

    def _stop_on_event(self) -> None:
        self._stop_event.wait()
        self.stop()

    @property
    def resource_version(self) -> str | None:
        return self.state.resource_version

    @property
    def resyncs(self) -> int:
        return self.state.resyncs

    @property
    def stopped(self) -> bool:
        return self._stop_event.is_set() or self.cluster._stop.is_set()

    def __iter__(self) -> Watch:
        return self

    def __next__(self) -> WatchEvent:
        return next(self._gen)

    def stop(self) -> None:
        """End the watch: the iterator finishes after the event it is on (thread-safe)."""
        self._stop_event.set()
        with self._lock:
            resp = self._resp
        if resp is not None:
            _interrupt(resp)

    def _run(self) -> Iterator[WatchEvent]:
        c = self.cluster
        r = self.resource
        state = self.state
        delay = self._retry_delay
        while not self.stopped:
            req = state.next_request()
            try:
                if req.kind == "list":
                    lst = c.list(r, namespace=self.namespace, label_selector=self.label_selector)
                    yield from state.on_list(lst.items, lst.resource_version, c.now_ns())
                    self.listed.set()
                    delay = self._retry_delay
                    continue
                got_any = False
                for line in self._stream(req.resource_version or "", req.timeout_seconds or self._timeout_seconds):
                    got_any = True
                    ev = state.on_line(line, c.now_ns())
                    if ev is not None:
                        yield ev
                    if state.needs_list or self.stopped:
                        break
                if got_any:
                    delay = self._retry_delay
            except ApiError as e:
                if e.status == 410:
                    state.on_gone()
                    continue
                if not self._retry(e, delay):
                    raise
                delay = min(delay * 2, self._max_retry_delay)
            except (ClusterError, WatchError, urllib3.exceptions.HTTPError, OSError, ValueError) as e:
                if self.stopped:
                    return
                if not self._retry(e, delay):
                    raise
                delay = min(delay * 2, self._max_retry_delay)

    def _retry(self, e: Exception, delay: float) -> bool:
        self.errors.append(f"{type(e).__name__}: {e}")
        if self._on_error is not None:
            self._on_error(e)
        if not self._reconnect:
            return False
        self.reconnects += 1
        log.debug("watch %s: %s; retrying in %.2fs", self.resource, e, delay)
        self._stop_event.wait(delay)
        return True

    def _stream(self, rv: str, timeout: int) -> Iterator[bytes]:
        c = self.cluster
        q = {"watch": "1", "resourceVersion": rv or None, "allowWatchBookmarks": "true",
             "timeoutSeconds": str(timeout), "labelSelector": self.label_selector}
        try:
            resp = c.pool.request("GET", c.url(c.path(self.resource, self.namespace), q), headers=c._headers(),
                                  timeout=urllib3.Timeout(connect=5.0, read=timeout + 30.0), retries=False,
                                  redirect=False, preload_content=False)
        except (urllib3.exceptions.HTTPError, OSError) as e:
            raise ClusterError(f"watch {self.resource}: cannot reach the API server at {c.server}: {_reason(e)}",
                               hint=_UNREACHABLE_HINT) from None
        if resp.status >= 400:
            data = resp.read()
            resp.release_conn()
            raise api_error(resp.status, data, f"watch {self.resource}", server=c.server)
        with self._lock:
            self._resp = resp
        if self.stopped:  # stop() ran before the response was registered
            _interrupt(resp)
        buf = b""
        try:
            for chunk in resp.stream(65536, decode_content=True):
                buf += chunk
                while True:
                    i = buf.find(b"\n")
                    if i < 0:
                        break
                    line, buf = buf[:i], buf[i + 1:]
                    yield line
            if buf.strip():
                yield buf
        finally:
            with self._lock:
                self._resp = None
            with contextlib.suppress(Exception):
                resp.release_conn()


def _interrupt(resp: Any) -> None:
    """Unblock a thread reading ``resp`` (urllib3 ≥ 2.3 has ``shutdown``; else shut the socket)."""
    try:
        resp.shutdown()
        return
    except AttributeError:
        pass
    except Exception:
        return
    sock = getattr(getattr(resp, "connection", None), "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _reason(e: BaseException) -> str:
    """The innermost useful reason of a urllib3 error (``Connection refused``, not a repr chain)."""
    seen = 0
    cur: BaseException | None = e
    while cur is not None and seen < 5:
        inner = getattr(cur, "reason", None)
        if isinstance(inner, BaseException):
            cur = inner
            seen += 1
            continue
        break
    text = str(cur) if cur is not None else str(e)
    if "Connection refused" in text:
        return "connection refused"
    if "timed out" in text.lower():
        return "timed out"
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "TLS certificate verification failed"
    return f"{type(cur).__name__}: {text}" if cur is not None else text


def _context_name(kubeconfig: str | None, context: str | None) -> str | None:
    if context:
        return context
    try:
        _, active = k8s_config.list_kube_config_contexts(config_file=kubeconfig)
    except Exception:
        return None
    return str((active or {}).get("name") or "") or None


def default_kubeconfig() -> Path | None:
    """The kubeconfig kubectl would use (``$KUBECONFIG``'s first file, else ~/.kube/config), if it exists."""
    env = os.environ.get("KUBECONFIG", "")
    first = env.split(os.pathsep)[0] if env else ""
    p = Path(os.path.expanduser(first or "~/.kube/config"))
    return p if p.exists() else None


def in_cluster_available() -> bool:
    return bool(os.environ.get("KUBERNETES_SERVICE_HOST")) and Path(
        "/var/run/secrets/kubernetes.io/serviceaccount/token").exists()
