"""Draws bench/results/chart.png from summary.json: throughput (left) and p99 latency (right)
of each scenario against concurrency, the bare tonic server included as the baseline."""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

out = Path(sys.argv[1])
summary = json.loads((out / "summary.json").read_text())
scenarios = sorted({r["scenario"] for r in summary["rows"]}, key=lambda s: s != "echo")
fig, (rps, p99) = plt.subplots(1, 2, figsize=(11, 4.2))
for name in scenarios:
    rows = sorted((r for r in summary["rows"] if r["scenario"] == name), key=lambda r: r["concurrency"])
    label = "bare tonic" if name == "echo" else name
    style = "--" if name == "echo" else ":" if name.endswith("_traced") else "-"
    xs = [r["concurrency"] for r in rows]
    rps.plot(xs, [r["rps"] for r in rows], style, marker="o", label=label)
    p99.plot(xs, [r["p99_ms"] for r in rows], style, marker="o", label=label)
for ax, title, unit in [(rps, "throughput", "requests/s"), (p99, "p99 latency", "ms")]:
    ax.set_xscale("log", base=2)
    ax.set_xlabel("concurrency")
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
rps.legend()
fig.suptitle(f"paycore on {summary['backend']}, peak RSS {summary['peak_rss_mib']} MiB")
fig.tight_layout()
fig.savefig(out / "chart.png", dpi=110)
