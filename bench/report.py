"""Summarises the ghz runs of bench/run: throughput as a ratio to the bare server at the
same concurrency, p50/p99, errors, peak RSS, and a check that every acknowledged payment is
in the database."""

import json
import sqlite3
import sys
from pathlib import Path

out, concurrency, rss_kib, db = Path(sys.argv[1]), sys.argv[2].split(), int(sys.argv[3]), sys.argv[4]


def load(name, c):
    r = json.loads((out / f"{name}-c{c}.json").read_text())
    pct = {p["percentage"]: p["latency"] / 1e6 for p in r.get("latencyDistribution") or []}
    codes = r.get("statusCodeDistribution") or {}
    # ghz cuts the calls still running when the duration ends; those are not paycore's.
    cut = ("use of closed network connection", "context canceled", "client connection is closing")
    errors = sum(n for msg, n in (r.get("errorDistribution") or {}).items() if not any(c in msg for c in cut))
    return {
        "rps": r["rps"],
        "p50_ms": pct.get(50),
        "p99_ms": pct.get(99),
        "ok": codes.get("OK", 0),
        "errors": errors,
    }


rows, acknowledged = [], 0
for c in concurrency:
    echo = load("echo", c)
    for name in ["echo", "create", "get"]:
        r = load(name, c)
        if name == "create":
            acknowledged += r["ok"]
        rows.append({"scenario": name, "concurrency": int(c), **r, "vs_echo": r["rps"] / echo["rps"]})

stored = sqlite3.connect(db).execute(
    "SELECT COUNT(*) FROM payments WHERE merchant_order_id != 'bench-get'"
).fetchone()[0]
summary = {
    "rows": rows,
    "peak_rss_mib": round(rss_kib / 1024, 1),
    "acknowledged_creates": acknowledged,
    "stored_payments": stored,
    "nothing_lost": stored >= acknowledged,
}
(out / "summary.json").write_text(json.dumps(summary, indent=2))

lines = [
    "| scenario | concurrency | req/s | vs bare tonic | p50 ms | p99 ms | errors |",
    "|---|---|---|---|---|---|---|",
]
for r in rows:
    lines.append(
        f"| {r['scenario']} | {r['concurrency']} | {r['rps']:.0f} | {r['vs_echo']:.2f} | "
        f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} |"
    )
lines.append("")
lines.append(
    f"Peak RSS {summary['peak_rss_mib']} MiB; {acknowledged} acknowledged creates, "
    f"{stored} stored: {'nothing lost' if summary['nothing_lost'] else 'LOST PAYMENTS'}."
)
(out / "summary.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
if not summary["nothing_lost"] or any(r["errors"] for r in rows):
    sys.exit(1)
