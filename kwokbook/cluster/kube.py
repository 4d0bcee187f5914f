"""The real-cluster backend: the only module of kwokbook that imports ``kubernetes``.

Objects travel as plain dicts (the client's generated models are never built on the hot path);
requests go through ``ApiClient.call_api`` with ``_preload_content=False``. Client exceptions are
mapped to :class:`~kwokbook.errors.ClusterError` in one place (:func:`_api_error`).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import kubernetes  # noqa: F401  (the one import of the client, by design)
from kubernetes import client as k8s_client
from kubernetes import config as k8s_config
from kubernetes.client.rest import ApiException
from urllib3.exceptions import HTTPError, ProtocolError, ReadTimeoutError

from ..backend import (
    NODES,
    STAGES,
    ClusterInfo,
    ListResult,
    PatchResult,
    Resource,
    WatchEvent,
    resource_for,
)
from ..errors import ClusterError, Location, WatchGoneError
from .watch import WatchError, WatchState

PATCH_TYPES = {
    "json": "application/json-patch+json",
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
    "apply": "application/apply-patch+yaml",
}


def _api_error(e: ApiException, what: str) -> ClusterError:
    """One message from an API error: the server's Status message when there is one."""
    message = e.reason or "error"
    try:
        body = json.loads(e.body or "{}")
        message = body.get("message") or message
    except (ValueError, TypeError):
        pass
    err = ClusterError(f"{what}: {message} (HTTP {e.status})")
    err.status = e.status  # type: ignore[attr-defined]
    if e.status == 410:
        gone = WatchGoneError(err.message)
        gone.status = 410  # type: ignore[attr-defined]
        return gone
    return err


class KubeCluster:
    """A Kubernetes API server reached through a kubeconfig (or in-cluster config)."""

    def __init__(self, kubeconfig: str | None = None, context: str | None = None, *, in_cluster: bool = False,
                 name: str | None = None, request_timeout: float = 30.0) -> None:
        cfg = k8s_client.Configuration()
        try:
            if in_cluster:
                k8s_config.load_incluster_config(client_configuration=cfg)
            else:
                k8s_config.load_kube_config(config_file=kubeconfig, context=context, client_configuration=cfg)
        except (k8s_config.ConfigException, OSError, TypeError) as e:
            raise ClusterError(f"cannot load kubeconfig: {e}", Location(kubeconfig or "~/.kube/config"),
                               hint="pass --kubeconfig PATH, or start a cluster with `kwokbook cluster up`") from None
        self.kubeconfig = kubeconfig
        self.context = context
        self.api = k8s_client.ApiClient(cfg)
        self.server = cfg.host
        self.request_timeout = request_timeout
        self.info = ClusterInfo(name or context or "cluster", "kubernetes", False, [], cfg.host)
        self._stop = threading.Event()

    # -- plumbing ---------------------------------------------------------------------------

    def now_ns(self) -> int:
        return time.time_ns()

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

    def request(self, method: str, path: str, *, body: Any = None, query: Mapping[str, Any] | None = None,
                content_type: str = "application/json", what: str = "", timeout: float | None = None) -> Any:
        """One API call; the parsed JSON body, or raises ClusterError."""
        headers = {"Accept": "application/json", "Content-Type": content_type}
        try:
            resp = self.api.call_api(
                path, method, query_params=list((query or {}).items()), header_params=headers,
                body=body, auth_settings=["BearerToken"], _preload_content=False,
                _request_timeout=timeout or self.request_timeout)
        except ApiException as e:
            raise _api_error(e, what or f"{method} {path}") from None
        except (HTTPError, OSError) as e:
            raise ClusterError(f"{what or method + ' ' + path}: cannot reach the API server at {self.server}: "
                               f"{type(e).__name__}", hint="is the cluster running? `kwokbook cluster status`") from None
        data = resp[0].data if isinstance(resp, tuple) else resp.data
        return json.loads(data) if data else None

    # -- Cluster protocol -------------------------------------------------------------------

    def list(self, resource: str | Resource, *, namespace: str | None = None,
             label_selector: str | None = None) -> ListResult:
        r = resource_for(resource)
        q = {"labelSelector": label_selector} if label_selector else {}
        body = self.request("GET", self.path(r, namespace), query=q, what=f"list {r}")
        items = body.get("items") or []
        for it in items:  # lists omit apiVersion/kind on items
            it.setdefault("apiVersion", r.api_version)
            it.setdefault("kind", r.kind)
        return ListResult(items, str((body.get("metadata") or {}).get("resourceVersion") or ""))

    def get(self, resource: str | Resource, name: str, *, namespace: str | None = None) -> dict[str, Any] | None:
        r = resource_for(resource)
        try:
            return self.request("GET", self.path(r, namespace, name), what=f"get {r}/{name}")  # type: ignore[no-any-return]
        except ClusterError as e:
            if getattr(e, "status", None) == 404:
                return None
            raise

    def create(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        r = resource_for(obj)
        ns = (obj.get("metadata") or {}).get("namespace") or ("default" if r.namespaced else None)
        return self.request("POST", self.path(r, ns), body=dict(obj), what=f"create {r}")  # type: ignore[no-any-return]

    def apply(self, obj: Mapping[str, Any], *, field_manager: str = "kwokbook", force: bool = True) -> dict[str, Any]:
        """Server-side apply."""
        r = resource_for(obj)
        meta = obj.get("metadata") or {}
        ns = meta.get("namespace") or ("default" if r.namespaced else None)
        q = {"fieldManager": field_manager, "force": "true" if force else "false"}
        return self.request("PATCH", self.path(r, ns, str(meta.get("name"))), body=json.dumps(dict(obj)),  # type: ignore[no-any-return]
                            query=q, content_type=PATCH_TYPES["apply"], what=f"apply {r}/{meta.get('name')}")

    def patch(self, resource: str | Resource, name: str, patch: Any, *, namespace: str | None = None,
              patch_type: str = "merge", subresource: str | None = None) -> PatchResult:
        r = resource_for(resource)
        ctype = PATCH_TYPES.get(patch_type, patch_type)
        ns = namespace or ("default" if r.namespaced else None)
        obj = self.request("PATCH", self.path(r, ns, name, subresource), body=patch, content_type=ctype,
                           what=f"patch {r}/{name}")
        return PatchResult(obj, time.time_ns())

    def delete(self, resource: str | Resource, name: str, *, namespace: str | None = None,
               grace_period_seconds: int | None = None) -> None:
        r = resource_for(resource)
        ns = namespace or ("default" if r.namespaced else None)
        body = {"gracePeriodSeconds": grace_period_seconds} if grace_period_seconds is not None else None
        self.request("DELETE", self.path(r, ns, name), body=body, what=f"delete {r}/{name}")

    def wait(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def wait_until(self, predicate: Callable[[], bool], timeout: float, *, poll: float = 0.05) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if predicate():
                return True
            time.sleep(poll)
        return predicate()

    def stop(self) -> None:
        """Ask running watches to end (they return after their current read)."""
        self._stop.set()

    def watch(self, resource: str | Resource, *, namespace: str | None = None,
              resource_version: str | None = None, stop: threading.Event | None = None,
              reconnect: bool = True, retry_delay: float = 0.5, max_retry_delay: float = 8.0,
              on_error: Callable[[Exception], None] | None = None) -> Iterator[WatchEvent]:
        """List-then-watch, resuming from the last version; RESYNC after a re-list (410 Gone).

        With ``resource_version`` the initial list is skipped. Connection failures (an API server
        restart) are retried with backoff; the watch resumes from the last version seen, so
        nothing is lost while the server keeps that version (else a RESYNC re-list).
        """
        r = resource_for(resource)
        state = WatchState(r, resource_version, needs_list=resource_version is None)
        stop = stop or self._stop
        delay = retry_delay
        while not stop.is_set():
            req = state.next_request()
            try:
                if req.kind == "list":
                    body = self.request("GET", self.path(r, namespace), what=f"list {r}")
                    items = body.get("items") or []
                    for it in items:
                        it.setdefault("apiVersion", r.api_version)
                        it.setdefault("kind", r.kind)
                    yield from state.on_list(items, str(body["metadata"]["resourceVersion"]), time.time_ns())
                    delay = retry_delay
                    continue
                for line in self._stream(r, namespace, req.resource_version or "", req.timeout_seconds, stop):
                    ev = state.on_line(line, time.time_ns())
                    if ev is not None:
                        yield ev
                    if state.needs_list:
                        break
                delay = retry_delay
            except WatchGoneError:
                state.on_gone()
            except (ClusterError, WatchError, HTTPError, ProtocolError, ReadTimeoutError, OSError) as e:
                if on_error is not None:
                    on_error(e)
                if not reconnect:
                    raise
                stop.wait(delay)
                delay = min(delay * 2, max_retry_delay)

    def _stream(self, r: Resource, namespace: str | None, rv: str, timeout: int,
                stop: threading.Event) -> Iterator[bytes]:
        q = {"watch": "1", "resourceVersion": rv, "allowWatchBookmarks": "true", "timeoutSeconds": str(timeout)}
        try:
            resp = self.api.call_api(self.path(r, namespace), "GET", query_params=list(q.items()),
                                     header_params={"Accept": "application/json"}, auth_settings=["BearerToken"],
                                     _preload_content=False, _request_timeout=(5, timeout + 30))
        except ApiException as e:
            raise _api_error(e, f"watch {r}") from None
        raw = resp[0] if isinstance(resp, tuple) else resp
        buf = b""
        try:
            for chunk in raw.stream(4096, decode_content=True):
                if stop.is_set():
                    return
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    yield line
            if buf.strip():
                yield buf
        finally:
            raw.release_conn()

    # -- KWOK detection ---------------------------------------------------------------------

    def detect_kwok(self) -> ClusterInfo:
        """Look for the evidence that this is a KWOK cluster and record it in ``info``."""
        evidence: list[str] = []
        try:
            groups = self.request("GET", "/apis/kwok.x-k8s.io/v1alpha1", what="discover kwok.x-k8s.io")
            names = {res.get("name") for res in groups.get("resources") or []}
            if "stages" in names:
                evidence.append("the Stage CRD (stages.kwok.x-k8s.io) is installed")
        except ClusterError:
            pass
        try:
            nodes = self.list(NODES).items
        except ClusterError:
            nodes = []
        kwok_nodes = [n["metadata"]["name"] for n in nodes
                      if str(((n.get("status") or {}).get("nodeInfo") or {}).get("kubeletVersion", "")).startswith(
                          "kwok-") or ((n.get("metadata") or {}).get("annotations") or {}).get(
                          "kwok.x-k8s.io/node") == "fake"]
        if kwok_nodes:
            evidence.append(f"{len(kwok_nodes)} node(s) managed by KWOK ({', '.join(sorted(kwok_nodes)[:3])}"
                            f"{'…' if len(kwok_nodes) > 3 else ''})")
        self.info.evidence = evidence
        self.info.is_kwok = any("Stage CRD" in e for e in evidence) or bool(kwok_nodes)
        self.info.backend = "kwok" if self.info.is_kwok else "kubernetes"
        return self.info

    def kwok_nodes(self) -> set[str]:
        """Names of the nodes KWOK manages (its heartbeat reports ``kwok-…`` as kubelet version)."""
        out = set()
        for n in self.list(NODES).items:
            info = (n.get("status") or {}).get("nodeInfo") or {}
            ann = (n.get("metadata") or {}).get("annotations") or {}
            if str(info.get("kubeletVersion", "")).startswith("kwok-") or ann.get("kwok.x-k8s.io/node") == "fake":
                out.add(n["metadata"]["name"])
        return out

    # -- Stages -----------------------------------------------------------------------------

    def list_stages(self) -> list[dict[str, Any]]:
        return self.list(STAGES).items

    def apply_stage(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        return self.apply(doc)

    def delete_stage(self, name: str) -> None:
        self.delete(STAGES, name)
