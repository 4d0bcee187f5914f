"""Local cluster lifecycle helpers without starting a cluster: status from kwokctl's files, progress, CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kwokbook.cli import main
from kwokbook.cluster import local
from kwokbook.errors import ClusterError, UsageError

KWOK_YAML = """\
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
components:
- name: etcd
- name: kube-apiserver
- name: kwok-controller
options:
  runtime: binary
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KWOK_WORKDIR", str(tmp_path / "kwok"))
    return tmp_path / "kwok"


def test_paths_and_names(workdir: Path) -> None:
    assert local.kubeconfig_path("x") == workdir / "clusters" / "x" / "kubeconfig.yaml"
    assert local.list_clusters() == []
    for bad in ("", "Upper", "a_b", "-a"):
        with pytest.raises(UsageError):
            local.check_name(bad)
    assert (local.stages_dir() / "pod" / "fast" / "pod-ready.yaml").is_file()
    assert all((local.stages_dir() / f).is_file() for f in local.FAST_STAGES)


def test_status_absent_and_degraded(workdir: Path) -> None:
    st = local.status("ghost")
    assert st.state == "absent" and st.lines() == ["absent"] and st.exit_code() == 2
    d = workdir / "clusters" / "half"
    (d / "pids").mkdir(parents=True)
    (d / "kwok.yaml").write_text(KWOK_YAML)
    (d / "pids" / "etcd.pid").write_text(str(os.getpid()))  # a live process, but not etcd
    (d / "pids" / "kube-apiserver.pid").write_text("999999999")  # gone
    st = local.status("half")
    assert local.list_clusters() == ["half"]
    assert st.state == "degraded" and st.exit_code() == 1 and st.runtime == "binary"
    assert st.components == {"etcd": None, "kube-apiserver": None, "kwok-controller": None}
    assert st.lines()[:3] == ["etcd stopped", "kube-apiserver stopped", "kwok-controller stopped"]
    assert st.lines()[-1] == f"degraded {d / 'kubeconfig.yaml'}"


def test_pid_check_wants_the_component_itself(tmp_path: Path) -> None:
    f = tmp_path / "python.pid"
    f.write_text(str(os.getpid()))
    me = os.path.basename(Path(f"/proc/{os.getpid()}/cmdline").read_bytes().split(b"\0")[0].decode())
    assert local._pid_alive(f, me) == os.getpid()
    assert local._pid_alive(f, "etcd") is None


def test_progress_streams_stderr_lines_and_tidies_kwokctl_json() -> None:
    seen: list[str] = []
    script = ('echo \'{"time":"t","level":"INFO","msg":"Cluster is created","cluster":"k",'
              '"elapsed":{"nanosecond":1,"human":"740ms"}}\' >&2; echo "[up] plain" >&2; echo /path/kubeconfig.yaml')
    rc, out, err = local._run(["bash", "-c", script], progress=seen.append)
    assert rc == 0 and out == ["/path/kubeconfig.yaml"]
    assert seen == ["kwokctl: Cluster is created (cluster=k, elapsed=740ms)", "[up] plain"]
    rc, _, err = local._run(["bash", "-c", "echo '[cluster] ERROR: boom' >&2; exit 3"])
    e = local._fail("up.sh", rc, err)
    assert "up.sh failed (exit 3): [cluster] ERROR: boom" in str(e)
    with pytest.raises(ClusterError, match="timed out"):
        local._run(["sleep", "5"], timeout=0.2)


def test_toolchain_choice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no kwokctl
    tc = local.find_toolchain()
    assert tc.kind == "checkout" and tc.scripts is not None and (tc.scripts / "up.sh").is_file()
    with pytest.raises(ClusterError, match="no kwokctl on PATH"):
        local.find_toolchain("kwokctl")
    fake = tmp_path / "kwokctl"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert local.find_toolchain("kwokctl").kwokctl == str(fake)
    with pytest.raises(UsageError):
        local.find_toolchain("docker")


def test_cli_status_absent_and_usage(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cluster", "status", "--name", "ghost"]) == 2
    assert capsys.readouterr().out.strip() == "absent"
    assert main(["cluster", "--name", "ghost", "status"]) == 2
    assert main(["cluster"]) == 2
    assert "say what to do" in capsys.readouterr().err
    assert main(["cluster", "down", "--name", "ghost"]) == 0  # nothing to delete is fine
    assert main(["cluster", "status", "--all"]) == 2


def test_cli_up_reports_an_unbuilt_checkout(workdir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KWOKBOOK_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    r = subprocess.run([sys.executable, "-m", "kwokbook", "cluster", "up", "--name", "nobuild"], check=False,
                       capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert r.returncode == 2 and r.stdout == ""
    assert "the pinned cluster binaries are not built" in r.stderr and "tools/cluster/build.sh" in r.stderr
