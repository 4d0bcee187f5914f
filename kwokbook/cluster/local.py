"""Local KWOK clusters made with kwokctl: up, down, status — from Python and the CLI.

Two ways to get a cluster, chosen by :func:`find_toolchain`:

- ``checkout``: running from a kwokbook checkout whose pinned binaries are built
  (``tools/cluster/build.sh`` → ``~/.cache/kwokbook/bin``): ``tools/cluster/up.sh`` / ``down.sh``
  (kwokctl ``--runtime binary``, every component on 127.0.0.1, the Stage CRD enabled).
- ``kwokctl``: the ``kwokctl`` on PATH, with its own runtime and downloads
  (``kwokctl create cluster --enable-crds=Stage``), then KWOK's default fast stages are applied
  from :mod:`kwokbook.data` by server-side apply.

Either way the cluster lives where kwokctl keeps it (``$KWOK_WORKDIR`` or ``~/.kwok``,
``clusters/NAME/``) and has KWOK v0.8.0's fast stages as live Stage objects, so pods and nodes
move at once and stages can be changed live. ``kwokctl`` never edits ``~/.kube/config`` here
(``--kubeconfig ""``); the kubeconfig is ``clusters/NAME/kubeconfig.yaml``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ClusterError, UsageError

Progress = Callable[[str], None]

DEFAULT_NAME = "kwokbook"
COMPONENTS = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok-controller")
# KWOK's default fast set, as kwokctl would configure it (and as tools/cluster/up.sh applies it).
FAST_STAGES = (
    "node/fast/node-initialize.yaml",
    "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
    "pod/fast/pod-ready.yaml",
    "pod/fast/pod-complete.yaml",
    "pod/fast/pod-delete.yaml",
)


def default_name() -> str:
    return os.environ.get("KWOKBOOK_CLUSTER_NAME") or DEFAULT_NAME


def workdir() -> Path:
    """kwokctl's work dir: ``$KWOK_WORKDIR`` or ``~/.kwok``."""
    return Path(os.path.expanduser(os.environ.get("KWOK_WORKDIR") or "~/.kwok"))


def cluster_dir(name: str) -> Path:
    return workdir() / "clusters" / name


def kubeconfig_path(name: str) -> Path:
    """Where kwokctl writes cluster NAME's kubeconfig (``~/.kwok/clusters/NAME/kubeconfig.yaml``)."""
    return cluster_dir(name) / "kubeconfig.yaml"


def list_clusters() -> list[str]:
    """kwokctl clusters on this machine (directories with a saved ``kwok.yaml``)."""
    root = workdir() / "clusters"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "kwok.yaml").is_file())


def stages_dir() -> Path:
    """KWOK's stage tree shipped in kwokbook (``kwokbook/data/stages``)."""
    return Path(__file__).resolve().parent.parent / "data" / "stages"


def check_name(name: str) -> str:
    import re

    if not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name or ""):
        raise UsageError(f"bad cluster name {name!r}", hint="lowercase letters, digits and '-' (like kwokctl)")
    return name


# -- toolchain ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Toolchain:
    """How clusters are made here: ``checkout`` (tools/cluster scripts) or ``kwokctl`` (PATH)."""

    kind: str
    kwokctl: str | None = None
    scripts: Path | None = None
    built: bool = True

    def describe(self) -> str:
        if self.kind == "checkout":
            return f"tools/cluster in {self.scripts.parent.parent if self.scripts else '?'} (pinned binaries" + \
                ("" if self.built else ", not built yet") + ")"
        return f"kwokctl at {self.kwokctl}"


def checkout_scripts() -> Path | None:
    """``tools/cluster`` of the checkout kwokbook runs from, if it does."""
    d = Path(__file__).resolve().parent.parent.parent / "tools" / "cluster"
    return d if (d / "up.sh").is_file() and (d / "lib.sh").is_file() else None


def cache_root() -> Path:
    return Path(os.path.expanduser(os.environ.get("KWOKBOOK_CACHE") or "~/.cache/kwokbook"))


def checkout_built() -> bool:
    """Are the pinned binaries in the cache? (a cheap look; build.sh does the real check)."""
    b = cache_root() / "bin"
    return all(any(b.glob(f"{c}-*/{c}")) for c in ("kwok", "kwokctl", "etcd", "kube-apiserver",
                                                    "kube-controller-manager", "kube-scheduler", "kubectl"))


def find_toolchain(prefer: str = "auto") -> Toolchain:
    """``auto``: a built checkout, else ``kwokctl`` on PATH, else an unbuilt checkout (build needed)."""
    if prefer not in ("auto", "checkout", "kwokctl"):
        raise UsageError(f"unknown toolchain {prefer!r}", hint="auto, checkout or kwokctl")
    scripts = checkout_scripts()
    on_path = shutil.which("kwokctl")
    if prefer in ("auto", "checkout") and scripts is not None:
        built = checkout_built()
        if built or prefer == "checkout" or on_path is None:
            return Toolchain("checkout", scripts=scripts, built=built)
    if prefer in ("auto", "kwokctl") and on_path:
        return Toolchain("kwokctl", kwokctl=on_path)
    raise ClusterError(
        "cannot make a local KWOK cluster: no kwokctl on PATH" + ("" if scripts else " and not in a kwokbook checkout"),
        hint="install kwokctl (https://kwok.sigs.k8s.io/docs/user/installation/), or from a checkout run "
             "tools/cluster/build.sh once")


# -- running things with progress ------------------------------------------------------------


def _tidy(line: str) -> str:
    """kwokctl logs JSON lines; show them as ``kwokctl: msg (k=v …)``."""
    s = line.rstrip()
    if s.startswith("{") and s.endswith("}"):
        try:
            d = json.loads(s)
        except ValueError:
            return s
        extra = []
        for k in ("cluster", "component", "err"):
            if d.get(k):
                extra.append(f"{k}={d[k]}")
        el = d.get("elapsed")
        if isinstance(el, dict) and el.get("human"):
            extra.append(f"elapsed={el['human']}")
        return f"kwokctl: {d.get('msg', '')}" + (f" ({', '.join(extra)})" if extra else "")
    return s


def _run(cmd: Sequence[str], *, env: dict[str, str] | None = None, progress: Progress | None = None,
         timeout: float = 600.0, what: str = "") -> tuple[int, list[str], list[str]]:
    """Run a command; stderr lines go to ``progress`` as they come. (rc, stdout lines, stderr lines)."""
    try:
        proc = subprocess.Popen(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                text=True, env=env, bufsize=1)
    except OSError as e:
        raise ClusterError(f"{what or cmd[0]}: cannot run {cmd[0]}: {e}") from None
    out: list[str] = []
    err: list[str] = []

    def pump_err() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            t = _tidy(line)
            err.append(t)
            if progress is not None and t.strip():
                progress(t)

    def pump_out() -> None:
        assert proc.stdout is not None
        out.extend(line.rstrip("\n") for line in proc.stdout)

    threads = [threading.Thread(target=pump_err, daemon=True), threading.Thread(target=pump_out, daemon=True)]
    for t in threads:
        t.start()
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise ClusterError(f"{what or cmd[0]} timed out after {timeout:.0f}s",
                           hint="the machine may be busy; try again, or look at the cluster's logs/") from None
    for t in threads:
        t.join(5)
    return rc, out, err


def _fail(what: str, rc: int, err: list[str], hint: str | None = None) -> ClusterError:
    errors = [e for e in err if "ERROR" in e or "error" in e.lower()]
    last = (errors or err or ["(no output)"])[-1].strip()
    return ClusterError(f"{what} failed (exit {rc}): {last}", hint=hint)


def _note(progress: Progress | None, msg: str) -> None:
    if progress is not None:
        progress(msg)


# -- status -----------------------------------------------------------------------------------


@dataclass
class ClusterStatus:
    """What ``kwokbook cluster status`` reports for one cluster."""

    name: str
    state: str  # running | degraded | absent
    kubeconfig: Path | None = None
    runtime: str = ""
    components: dict[str, int | None] = field(default_factory=dict)  # name -> pid (None: stopped)
    ready: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.state == "running"

    def lines(self) -> list[str]:
        """status.sh's format: one line per component, then ``running|degraded <kubeconfig>`` or ``absent``."""
        out = [f"{c} running pid={pid}" if pid else f"{c} stopped" for c, pid in self.components.items()]
        out.extend(f"# {p}" for p in self.problems)
        out.append(self.state if self.state == "absent" else f"{self.state} {self.kubeconfig}")
        return out

    def exit_code(self) -> int:
        return {"running": 0, "degraded": 1}.get(self.state, 2)


def _pid_alive(pidfile: Path, component: str) -> int | None:
    """The pid in a kwokctl pid file if that process runs (not a zombie) and is the component."""
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        state = stat.rsplit(")", 1)[1].split()[0]
        if state in ("Z", "X"):
            return None
        argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0", 1)[0].decode(errors="replace")
    except (OSError, IndexError):
        return None
    return pid if os.path.basename(argv0) == component else None


def _read_config(d: Path) -> tuple[str, list[str]]:
    """(runtime, component names) from kwokctl's saved ``kwok.yaml``."""
    import yaml

    try:
        docs = list(yaml.safe_load_all((d / "kwok.yaml").read_text()))
    except (OSError, yaml.YAMLError):
        return "", []
    for doc in docs:
        if isinstance(doc, dict) and doc.get("kind") == "KwokctlConfiguration":
            runtime = str((doc.get("options") or {}).get("runtime") or "")
            comps = [str(c.get("name")) for c in doc.get("components") or [] if isinstance(c, dict)]
            return runtime, comps
    return "", []


def status(name: str | None = None, *, probe: bool = True, timeout: float = 3.0) -> ClusterStatus:
    """Does cluster NAME exist, do its components run, does the API server answer ``/readyz``?"""
    name = check_name(name or default_name())
    d = cluster_dir(name)
    if not (d / "kwok.yaml").is_file():
        return ClusterStatus(name, "absent")
    runtime, comps = _read_config(d)
    st = ClusterStatus(name, "degraded", kubeconfig_path(name), runtime)
    if runtime == "binary" or (d / "pids").is_dir():
        for c in comps or list(COMPONENTS):
            st.components[c] = _pid_alive(d / "pids" / f"{c}.pid", c)
    if probe and st.kubeconfig is not None and st.kubeconfig.exists():
        try:
            from .kube import KubeCluster

            kc = KubeCluster(st.kubeconfig, request_timeout=timeout)
            st.ready = kc.readyz(timeout)
            kc.close()
        except ClusterError as e:
            st.problems.append(e.message)
    elif not probe:
        st.ready = True
    if not st.ready:
        st.problems.append("kube-apiserver does not answer /readyz")
    if st.ready and all(pid for pid in st.components.values()):
        st.state = "running"
    return st


# -- up / down --------------------------------------------------------------------------------


def _checkout_env(timeout: float) -> dict[str, str]:
    env = dict(os.environ)
    env["KWOKBOOK_STAGES_DIR"] = str(stages_dir())
    env["KWOKBOOK_UP_TIMEOUT"] = str(int(timeout))
    return env


def build(*, progress: Progress | None = None, timeout: float = 3600.0) -> None:
    """Build (or check) the checkout's pinned binaries: seconds when cached, ~30 min cold."""
    scripts = checkout_scripts()
    if scripts is None:
        raise ClusterError("not running from a kwokbook checkout: nothing to build",
                           hint="use the kwokctl on PATH instead (toolchain 'kwokctl')")
    rc, _, err = _run(["bash", str(scripts / "build.sh")], progress=progress, timeout=timeout, what="build.sh")
    if rc != 0:
        raise _fail("tools/cluster/build.sh", rc, err, hint="needs Go >= 1.26 and the Go module proxy (cold build)")


def up(name: str | None = None, *, progress: Progress | None = None, toolchain: str = "auto",
       build_missing: bool = False, timeout: float = 180.0) -> ClusterStatus:
    """Create or reuse local KWOK cluster NAME with the Stage CRD and KWOK's fast stages; its status.

    ``progress`` receives one line per step (the scripts' and kwokctl's messages).
    """
    name = check_name(name or default_name())
    tc = find_toolchain(toolchain)
    _note(progress, f"using {tc.describe()}")
    t0 = time.monotonic()
    if tc.kind == "checkout":
        assert tc.scripts is not None
        if not tc.built:
            if not build_missing:
                raise ClusterError("the pinned cluster binaries are not built",
                                   hint="run tools/cluster/build.sh (or `kwokbook cluster up --build`); a cold build "
                                        "takes ~30 min, later runs seconds")
            build(progress=progress)
        rc, out, err = _run(["bash", str(tc.scripts / "up.sh"), name], env=_checkout_env(timeout), progress=progress,
                            timeout=timeout * 4 + 60, what="up.sh")
        if rc != 0:
            raise _fail(f"tools/cluster/up.sh {name}", rc, err, hint=f"logs: {cluster_dir(name) / 'logs'}")
        kubeconfig = Path(out[-1].strip()) if out else kubeconfig_path(name)
    else:
        kubeconfig = _up_kwokctl(name, tc, progress, timeout)
    st = status(name)
    st.kubeconfig = kubeconfig
    _note(progress, f"cluster {name} {st.state} in {time.monotonic() - t0:.1f}s")
    if st.state != "running":
        raise ClusterError(f"cluster {name} is {st.state} after up: {'; '.join(st.problems) or 'a component stopped'}",
                           hint=f"logs: {cluster_dir(name) / 'logs'}")
    return st


def _up_kwokctl(name: str, tc: Toolchain, progress: Progress | None, timeout: float) -> Path:
    assert tc.kwokctl is not None
    d = cluster_dir(name)
    if (d / "kwok.yaml").is_file():
        _note(progress, f"cluster {name} exists: starting any stopped component")
        cmd = [tc.kwokctl, "start", "cluster", "--name", name, "--timeout", f"{int(timeout)}s"]
    else:
        _note(progress, f"creating cluster {name} (kwokctl create cluster --enable-crds=Stage)")
        cmd = [tc.kwokctl, "create", "cluster", "--name", name, "--enable-crds=Stage", "--kubeconfig", "",
               "--timeout", f"{int(timeout)}s"]
    rc, _, err = _run(cmd, progress=progress, timeout=timeout + 60, what="kwokctl")
    if rc != 0:
        raise _fail(" ".join(cmd[:3]), rc, err, hint=f"logs: {d / 'logs'}")
    kubeconfig = kubeconfig_path(name)
    from .kube import KubeCluster

    kc = KubeCluster(kubeconfig, name=name)
    try:
        if not kc.wait_until(kc.readyz, timeout, poll=0.2):
            raise ClusterError(f"kube-apiserver of {name} not ready after {timeout:.0f}s", hint=f"logs: {d / 'logs'}")
        if not kc.wait_until(lambda: _stage_crd_served(kc), timeout, poll=0.2):
            raise ClusterError(f"cluster {name} serves no Stage CRD",
                               hint=f"it was made without --enable-crds=Stage: `kwokbook cluster down --name {name}` "
                                    "and up again")
        apply_fast_stages(kc, progress=progress)
    finally:
        kc.close()
    return kubeconfig


def _stage_crd_served(kc: object) -> bool:
    try:
        g = kc.request("GET", "/apis/kwok.x-k8s.io/v1alpha1", timeout=3.0)  # type: ignore[attr-defined]
    except ClusterError:
        return False
    return any(r.get("name") == "stages" for r in g.get("resources") or [])


def apply_fast_stages(cluster: object, *, progress: Progress | None = None) -> list[str]:
    """Server-side apply KWOK's default fast set (resets any of them a test changed)."""
    from .stages import apply_stages

    files = [stages_dir() / f for f in FAST_STAGES]
    res = apply_stages(cluster, files, force=True)  # type: ignore[arg-type]
    _note(progress, "default fast stages: " + ", ".join(f"{r.name} {r.action}" for r in res))
    return [r.name for r in res]


def down(name: str | None = None, *, progress: Progress | None = None, toolchain: str = "auto",
         timeout: float = 120.0) -> bool:
    """Delete cluster NAME (processes and data). False if there was nothing to delete."""
    name = check_name(name or default_name())
    d = cluster_dir(name)
    if not d.exists():
        _note(progress, f"cluster {name}: absent")
        return False
    tc = find_toolchain(toolchain)
    if tc.kind == "checkout" and tc.built:
        assert tc.scripts is not None
        rc, _, err = _run(["bash", str(tc.scripts / "down.sh"), name], progress=progress, timeout=timeout,
                          what="down.sh")
        if rc != 0:
            raise _fail(f"tools/cluster/down.sh {name}", rc, err)
        return True
    kwokctl = tc.kwokctl or shutil.which("kwokctl")
    if kwokctl is None:
        raise ClusterError(f"cannot delete cluster {name}: no kwokctl", hint="build the checkout's binaries first")
    cmd = [kwokctl, "delete", "cluster", "--name", name, "--kubeconfig", str(kubeconfig_path(name))]
    rc, _, err = _run(cmd, progress=progress, timeout=timeout, what="kwokctl delete cluster")
    if rc != 0:
        raise _fail("kwokctl delete cluster", rc, err)
    return True


__all__ = [
    "COMPONENTS", "DEFAULT_NAME", "FAST_STAGES", "ClusterStatus", "Toolchain", "apply_fast_stages", "build",
    "check_name", "cluster_dir", "default_name", "down", "find_toolchain", "kubeconfig_path", "list_clusters",
    "stages_dir", "status", "up", "workdir",
]
