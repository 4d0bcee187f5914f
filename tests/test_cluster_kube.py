"""KubeCluster without a cluster: a scripted fake API server over HTTP (chunked watch streams).

Covers what a real cluster rarely shows on demand: paged lists, bookmarks, a watch that gets 410
Gone (re-list → RESYNC), a dropped stream (resume from the last version), stop() interrupting a
blocked read, error messages and hints; plus connect()'s errors and its simulator fallback.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from kwokbook.backend import ADDED, DELETED, MODIFIED, NODES, PODS, RESYNC
from kwokbook.cluster import connect
from kwokbook.cluster.errors import ApiError
from kwokbook.cluster.kube import KubeCluster
from kwokbook.errors import ClusterError, NotKwokClusterError


def pod(name: str, rv: str) -> dict[str, Any]:
    return {"metadata": {"name": name, "namespace": "ns", "resourceVersion": rv}, "status": {"phase": "Running"}}


class FakeAPI:
    """Serves /version, discovery, nodes, paged pod lists, and scripted pod watches."""

    def __init__(self) -> None:
        self.pods: list[dict[str, Any]] = [pod("a", "5"), pod("b", "6"), pod("c", "7")]
        self.list_rv = "10"
        self.kwok = True
        self.nodes: list[dict[str, Any]] = []
        self.next_lists: list[tuple[list[dict[str, Any]], str]] = []  # states served by later lists
        self.watches: list[list[Any]] = []  # one script per watch request: dicts (events), "hold", "close"
        self.requests: list[tuple[str, str, dict[str, list[str]], dict[str, str]]] = []
        self.release = threading.Event()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: Any) -> None:
                pass

            def _json(self, code: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                u = urlsplit(self.path)
                q = parse_qs(u.query)
                api.requests.append(("GET", u.path, q, dict(self.headers)))
                if u.path == "/version":
                    return self._json(200, {"major": "1", "minor": "36"})
                if u.path == "/readyz":
                    data = b"ok"
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(data)
                    return None
                if u.path == "/apis/kwok.x-k8s.io/v1alpha1":
                    if not api.kwok:
                        return self._json(404, {"kind": "Status", "message": "the server could not find the "
                                                                            "requested resource", "code": 404})
                    return self._json(200, {"resources": [{"name": "stages"}]})
                if u.path == "/apis/kwok.x-k8s.io/v1alpha1/stages":
                    return self._json(200, {"metadata": {"resourceVersion": "1"}, "items": []})
                if u.path == "/api/v1/nodes":
                    return self._json(200, {"metadata": {"resourceVersion": "1"}, "items": api.nodes})
                if u.path.startswith("/api/v1/namespaces/kube-node-lease/leases/"):
                    return self._json(404, {"kind": "Status", "message": "not found", "code": 404})
                if u.path == "/api/v1/pods" and "watch" in q:
                    return self._watch()
                if u.path == "/api/v1/pods":
                    limit = int(q.get("limit", ["500"])[0])
                    start = int(q.get("continue", ["0"])[0])
                    if start == 0 and api.next_lists:  # a scripted state for this (re-)list
                        api.pods, api.list_rv = api.next_lists.pop(0)
                    page = api.pods[start:start + limit]
                    meta: dict[str, Any] = {"resourceVersion": api.list_rv}
                    if start + limit < len(api.pods):
                        meta["continue"] = str(start + limit)
                    return self._json(200, {"kind": "PodList", "metadata": meta, "items": page})
                if u.path == "/api/v1/namespaces/ns/pods/missing":
                    return self._json(404, {"kind": "Status", "message": 'pods "missing" not found', "code": 404,
                                            "reason": "NotFound"})
                if u.path == "/api/v1/namespaces/ns/pods/forbidden":
                    return self._json(403, {"kind": "Status", "message": 'pods "forbidden" is forbidden: User '
                                                                         '"x" cannot get resource "pods"',
                                            "code": 403, "reason": "Forbidden"})
                return self._json(404, {"kind": "Status", "message": "no route", "code": 404})

            def _chunk(self, data: bytes) -> None:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def _watch(self) -> None:
                script = api.watches.pop(0) if api.watches else ["hold"]
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for step in script:
                    if step == "hold":
                        api.release.wait(10)
                        break
                    if step == "close":  # drop the connection mid-stream, no terminating chunk
                        self.close_connection = True
                        return
                    self._chunk(json.dumps(step).encode() + b"\n")
                self._chunk(b"")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def kubeconfig(self, path: Path, token: str = "sekret", contexts: tuple[str, ...] = ("fake",)) -> Path:
        ctx = [{"name": c, "context": {"cluster": "fake", "user": "u"}} for c in contexts]
        doc = {"apiVersion": "v1", "kind": "Config", "current-context": contexts[0] if contexts else "",
               "clusters": [{"name": "fake", "cluster": {"server": f"http://127.0.0.1:{self.port}"}}],
               "users": [{"name": "u", "user": {"token": token}}], "contexts": ctx}
        path.write_text(json.dumps(doc))
        return path

    def watch_requests(self) -> list[dict[str, list[str]]]:
        return [q for m, p, q, _ in self.requests if p == "/api/v1/pods" and "watch" in q]

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def api() -> Iterator[FakeAPI]:
    a = FakeAPI()
    yield a
    a.stop()


@pytest.fixture
def kc(api: FakeAPI, tmp_path: Path) -> Iterator[KubeCluster]:
    c = KubeCluster(api.kubeconfig(tmp_path / "kc.yaml"))
    yield c
    c.close()


def ev(typ: str, o: dict[str, Any]) -> dict[str, Any]:
    return {"type": typ, "object": o}


def test_list_pages_and_fills_kind_and_sends_the_token(api: FakeAPI, kc: KubeCluster) -> None:
    res = kc.list(PODS, limit=2)
    assert [p["metadata"]["name"] for p in res.items] == ["a", "b", "c"]
    assert res.resource_version == "10"
    assert all(p["kind"] == "Pod" and p["apiVersion"] == "v1" for p in res.items)
    lists = [q for _, path, q, _ in api.requests if path == "/api/v1/pods"]
    assert [q.get("continue") for q in lists] == [None, ["2"]]
    assert all(h.get("authorization") == "Bearer sekret" or h.get("Authorization") == "Bearer sekret"
               for _, _, _, h in api.requests)


def test_errors_carry_the_servers_message_and_a_hint(kc: KubeCluster) -> None:
    assert kc.get(PODS, "missing", namespace="ns") is None
    with pytest.raises(ApiError) as e:
        kc.get(PODS, "forbidden", namespace="ns")
    assert e.value.status == 403 and 'cannot get resource "pods"' in str(e.value)
    assert "RBAC" in (e.value.hint or "")


def test_watch_bookmarks_gone_resync_and_resume(api: FakeAPI, kc: KubeCluster) -> None:
    api.watches = [
        [ev("MODIFIED", pod("a", "11")), ev("BOOKMARK", {"kind": "Pod", "metadata": {"resourceVersion": "12"}}),
         ev("ERROR", {"kind": "Status", "code": 410, "reason": "Expired", "message": "too old resource version"})],
        [ev("ADDED", pod("d", "21")), "close"],  # after the re-list; then the connection drops
        [ev("DELETED", pod("d", "22")), "hold"],
    ]
    api.next_lists = [(list(api.pods), api.list_rv), ([pod("a", "11"), pod("b", "16"), pod("e", "17")], "20")]
    seen: list[tuple[str, str, str]] = []
    w = kc.watch(PODS, retry_delay=0.01)

    def run() -> None:
        for e in w:
            seen.append((e.type, e.name, e.resource_version))

    th = threading.Thread(target=run, daemon=True)
    th.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and ("DELETED", "d", "22") not in seen:
        time.sleep(0.01)
    t0 = time.monotonic()
    w.stop()  # unblocks the held stream
    th.join(5)
    assert not th.is_alive() and time.monotonic() - t0 < 2
    assert seen[:4] == [(ADDED, "a", "5"), (ADDED, "b", "6"), (ADDED, "c", "7"), (MODIFIED, "a", "11")]
    i = seen.index((RESYNC, "", "20"))
    assert sorted(seen[i + 1:i + 4]) == [(ADDED, "e", "17"), (DELETED, "c", "7"), (MODIFIED, "b", "16")]
    assert seen[i + 4:] == [(ADDED, "d", "21"), (DELETED, "d", "22")]
    rvs = [q["resourceVersion"][0] for q in api.watch_requests()]
    assert rvs[:3] == ["10", "20", "21"]  # from the list; from the re-list; resumed after the drop
    assert all(q["allowWatchBookmarks"] == ["true"] for q in api.watch_requests())
    assert w.resyncs == 1 and w.reconnects >= 1


def test_cluster_stop_ends_every_watch(api: FakeAPI, kc: KubeCluster) -> None:
    api.watches = [["hold"], ["hold"]]
    watches = [kc.watch(PODS), kc.watch(PODS)]
    threads = [threading.Thread(target=lambda w=w: list(w), daemon=True) for w in watches]
    for t in threads:
        t.start()
    for w in watches:
        assert w.listed.wait(5)
    time.sleep(0.2)
    t0 = time.monotonic()
    kc.stop()
    for t in threads:
        t.join(5)
        assert not t.is_alive()
    assert time.monotonic() - t0 < 2


def test_detect_kwok_and_its_evidence(api: FakeAPI, kc: KubeCluster) -> None:
    api.nodes = [{"metadata": {"name": "n1", "annotations": {"kwok.x-k8s.io/node": "fake"}}},
                 {"metadata": {"name": "real"}, "status": {"nodeInfo": {"kubeletVersion": "v1.36.3"}}}]
    info = kc.detect_kwok()
    assert info.is_kwok and info.backend == "kwok"
    assert "the Stage CRD (stages.kwok.x-k8s.io) is installed" in info.evidence
    assert any("1 of 2 node(s) carry KWOK's marks (n1)" in e for e in info.evidence)
    assert kc.kwok_nodes() == {"n1"}
    api.kwok = False
    api.nodes = api.nodes[1:]
    info = kc.detect_kwok()
    assert not info.is_kwok and info.backend == "kubernetes"
    assert info.evidence == ["no Stage CRD and none of 1 node(s) looks like a KWOK node"]


def test_connect_warns_or_refuses_a_non_kwok_cluster(api: FakeAPI, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    api.kwok = False
    cfg = api.kubeconfig(tmp_path / "kc.yaml")
    with caplog.at_level(logging.WARNING, logger="kwokbook.cluster"):
        c = connect(cfg)
    assert isinstance(c, KubeCluster) and not c.info.is_kwok
    assert "does not look like a KWOK cluster" in caplog.text and "force=True" in caplog.text
    c.close()
    with pytest.raises(NotKwokClusterError, match="does not look like a KWOK cluster"):
        connect(cfg, require_kwok=True)


def test_connect_errors_say_what_to_do(api: FakeAPI, tmp_path: Path) -> None:
    with pytest.raises(ClusterError) as e:
        connect(tmp_path / "nope.yaml")
    assert "no kubeconfig at" in str(e.value) and "kwokbook cluster up" in (e.value.hint or "")
    cfg = api.kubeconfig(tmp_path / "kc.yaml", contexts=("one", "two"))
    with pytest.raises(ClusterError) as e:
        connect(cfg, "three")
    assert "context 'three' is not in" in str(e.value) and "one, two" in (e.value.hint or "")
    assert connect(cfg, "two").info.name == "two"
    port = api.port
    api.stop()
    with pytest.raises(ClusterError) as e:
        connect(cfg, request_timeout=2)
    assert f"cannot reach the API server at http://127.0.0.1:{port}: connection refused" in str(e.value)
    assert "kwokbook cluster status" in (e.value.hint or "")
    with pytest.raises(ClusterError) as e:
        connect(cluster="no-such-cluster")
    assert "no kwokctl cluster named 'no-such-cluster'" in str(e.value)


def test_connect_without_anything_falls_back_to_the_simulator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("KWOK_WORKDIR", str(tmp_path / "kwok"))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    with caplog.at_level(logging.WARNING, logger="kwokbook.cluster"):
        c = connect()
    from kwokbook.sim import Simulator

    assert isinstance(c, Simulator) and c.info.is_kwok
    assert "using the embedded simulator" in caplog.text
    assert len([r for r in caplog.records if r.name == "kwokbook.cluster"]) == 1
    with pytest.raises(ClusterError, match="no cluster to connect to"):
        connect(fallback_simulator=False)
    assert c.list(NODES).items == []


def test_in_cluster_config_from_the_service_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kubernetes.config.incluster_config as incluster

    from kwokbook.cluster.kube import in_cluster_available

    token, ca = tmp_path / "token", tmp_path / "ca.crt"
    monkeypatch.setattr(incluster, "SERVICE_TOKEN_FILENAME", str(token))
    monkeypatch.setattr(incluster, "SERVICE_CERT_FILENAME", str(ca))
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
    with pytest.raises(ClusterError) as e:
        KubeCluster(in_cluster=True)
    assert "in-cluster config" in str(e.value) and "service account" in (e.value.hint or "")
    token.write_text("sa-token\n")
    ca.write_text("not checked until a request is made\n")
    kc = KubeCluster(in_cluster=True)
    assert kc.server == "https://10.96.0.1:443"
    assert kc._headers()["authorization"].lower() == "bearer sa-token"
    assert in_cluster_available() == Path("/var/run/secrets/kubernetes.io/serviceaccount/token").exists()
