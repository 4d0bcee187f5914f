"""Render → JSON of KWOK's general ``pod-ready`` statusTemplate on a 3-container pod: Python / Go.

Both sides do KWOK's whole ``ToJSON`` step per call (data JSON round trip, execute, YAML→JSON)
with a warm template cache. Run: ``.venv/bin/python benchmarks/bench_render.py``.
Target (issue 2): ratio ≤ 1.5.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import ROOT, run_oracle, time_per_call
from kwokbook.gotpl import Env, Renderer
from kwokbook.io import load_object
from kwokbook.render_bench_data import pod_ready_template


def main() -> int:
    template = pod_ready_template()
    pod = load_object(ROOT / "kwokbook" / "data" / "objects" / "pod-pending.yaml")
    renderer = Renderer(profile="oracle-pod", env=Env.at("2024-05-06T07:08:09Z"))
    out_py = renderer.to_json(template, pod)
    with tempfile.TemporaryDirectory() as d:
        tpl = Path(d) / "t.tpl"
        tpl.write_text(template)
        data = Path(d) / "pod.json"
        data.write_text(json.dumps(pod))
        results = {}
        for mode in ("text", "json"):
            go = run_oracle("bench-render", "--template", str(tpl), "--data", str(data), "--profile", "pod",
                            "--mode", mode, "--n", "20000", "--warmup", "2000")
            fn = (lambda: renderer.to_json(template, pod)) if mode == "json" else (
                lambda: renderer.to_text(template, pod))
            py = time_per_call(fn, min_time=2.0)
            results[mode] = (py * 1e6, float(go["ns_per_op"]) / 1e3)  # type: ignore[arg-type]
    print(f"pod-ready (general) statusTemplate, 3 containers; rendered JSON {len(out_py)} bytes")
    print(f"{'step':<22}{'Python µs':>12}{'Go µs':>10}{'ratio':>8}")
    for mode, label in (("text", "render (ToText)"), ("json", "render+YAML→JSON")):
        py_us, go_us = results[mode]
        print(f"{label:<22}{py_us:>12.1f}{go_us:>10.1f}{py_us / go_us:>8.2f}")
    ratio = results["json"][0] / results["json"][1]
    print(f"RATIO python/go (whole pipeline) = {ratio:.2f}  (target ≤ 1.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
