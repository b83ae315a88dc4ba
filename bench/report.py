"""Summarises the ghz runs of bench/run: throughput as a ratio to the bare server at the
same concurrency (and, for the traced and the TLS servers, to the same scenario on the
cleartext server that does not trace), p50/p99,
errors, the CPU time per call of the server, the database and ghz (and the ratio to the
bare server those allow if the cores were flat out), the cores' idle share, CreatePayment's
latency at half its peak rate, the disk's durable commit rate, peak RSS, the spans the
collector received, and a check that every acknowledged payment and refund is in the
database (by id for bench/acked.rs's creates; by count for ghz's, which does not say which
calls succeeded). Exits 1 on any error or anything lost."""

import json
import os
import sys
from pathlib import Path

out = Path(sys.argv[1])
concurrency = sys.argv[2].split()
rss_kib, stored_payments, stored_refunds = (int(a) for a in sys.argv[3:6])
backend = sys.argv[6]
spans_received, traced_rss_kib, commits = (int(a) for a in sys.argv[7:10])

# ghz cuts the calls still running when the duration ends; those are not paycore's.
CUT = (
    "use of closed network connection",
    "context canceled",
    "client connection is closing",
    "transport is closing",
)


def load(name):
    r = json.loads((out / f"{name}.json").read_text())
    pct = {p["percentage"]: p["latency"] / 1e6 for p in r.get("latencyDistribution") or []}
    codes = r.get("statusCodeDistribution") or {}
    errors = sum(
        n for msg, n in (r.get("errorDistribution") or {}).items() if not any(c in msg for c in CUT)
    )
    return {
        "rps": r["rps"],
        "p50_ms": pct.get(50),
        "p99_ms": pct.get(99),
        "ok": codes.get("OK", 0),
        "errors": errors,
        "calls": r["count"],
        **cpu(name, r["count"]),
    }


TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def cpu(name, calls, ghz_also=()):
    """CPU time per call of the server, the database (PostgreSQL's processes; 0 on SQLite,
    which runs inside paycore) and ghz (also the ghz runs of `ghz_also`, which ran at the
    same time), and the share of all cores left idle, from what bench/run read before and
    after the run."""
    fields = (out / f"{name}.cpu").read_text().split()
    # The database's ticks are "-" for a PostgreSQL whose processes bench/run could not find.
    server0, db0, total0, idle0, server1, db1, total1, idle1 = (
        None if t == "-" else int(t) for t in fields[:8]
    )
    ghz_seconds = float(fields[8]) + sum(
        float((out / f"{n}.cpu").read_text().split()[8]) for n in ghz_also
    )
    per_call = 1e6 / max(calls, 1)
    return {
        "server_cpu_us": (server1 - server0) / TICKS_PER_S * per_call,
        "database_cpu_us": None if db0 is None else (db1 - db0) / TICKS_PER_S * per_call,
        "ghz_cpu_us": ghz_seconds * per_call,
        "idle_share": (idle1 - idle0) / max(total1 - total0, 1),
    }


def cpu_us(r):
    """All the CPU time a call took: the server's, the database's and ghz's (None when the
    database's is not known)."""
    if r["database_cpu_us"] is None:
        return None
    return r["server_cpu_us"] + r["database_cpu_us"] + r["ghz_cpu_us"]


def number(x, spec):
    """x formatted, or "?" when it was not measured."""
    return "?" if x is None else format(x, spec)


def mean(a, b):
    """Two runs of the same scenario as one: calls add up, rates and times average (None,
    not measured, stays None)."""
    added = ("ok", "errors", "calls")

    def both(k):
        if a[k] is None or b[k] is None:
            return None
        return a[k] + b[k] if k in added else (a[k] + b[k]) / 2

    return {k: both(k) for k in a}


rows = []
acknowledged = {"payments": 0, "refunds": 0}
traced_calls = 0
baselines = []
for c in concurrency:
    # The bare server ran before and after the scenarios at this concurrency; the machine
    # is shared, so each scenario is compared with the mean of the two.
    before, after = load(f"echo-c{c}"), load(f"echo-after-c{c}")
    echo = mean(before, after)
    baselines.append(f"{before['rps']:.0f} and {after['rps']:.0f} at {c}")
    results = {
        name: load(f"{name}-c{c}")
        for name in [
            "create", "get", "refund", "create_traced", "get_traced", "create_tls", "get_tls",
            "create_payer", "create_payer_risk",
        ]
    }
    results["echo"] = echo
    read, write = load(f"mix-read-c{c}"), load(f"mix-write-c{c}")
    # The mix runs both at once: throughput adds up; latency is the worse of the two.
    results["mix"] = {
        # Both ran over the same seconds: the server's ticks cover the calls of both.
        **cpu(f"mix-write-c{c}", read["calls"] + write["calls"], ghz_also=[f"mix-read-c{c}"]),
        "rps": read["rps"] + write["rps"],
        "p50_ms": max(read["p50_ms"], write["p50_ms"]),
        "p99_ms": max(read["p99_ms"], write["p99_ms"]),
        "ok": read["ok"] + write["ok"],
        "errors": read["errors"] + write["errors"],
        "calls": read["calls"] + write["calls"],
    }
    acknowledged["payments"] += (
        results["create"]["ok"] + write["ok"] + results["create_traced"]["ok"] + results["create_tls"]["ok"]
        + results["create_payer"]["ok"] + results["create_payer_risk"]["ok"]
    )
    acknowledged["refunds"] += results["refund"]["ok"]
    traced_calls += results["create_traced"]["ok"] + results["get_traced"]["ok"]
    for name in [
        "echo", "create", "get", "mix", "refund", "create_traced", "get_traced", "create_tls", "get_tls",
        "create_payer", "create_payer_risk",
    ]:
        r = results[name]
        row = {
            "scenario": name,
            "concurrency": int(c),
            **r,
            "vs_echo": r["rps"] / echo["rps"],
            # The ratio the cores would allow if they ran nothing but these calls, flat out.
            "cpu_bound_vs_echo": None if cpu_us(r) is None else cpu_us(echo) / max(cpu_us(r), 1e-9),
        }
        for kind in ("traced", "tls", "risk"):
            if name.endswith(f"_{kind}"):
                base = results[name.removesuffix(f"_{kind}")]
                row[f"vs_{kind}_base"] = r["rps"] / base["rps"]
                # The server's CPU time per call against the cleartext, untraced server's.
                row[f"cpu_vs_{kind}_base"] = r["server_cpu_us"] / max(base["server_cpu_us"], 1e-9)
        rows.append(row)

# CreatePayment offered at half its peak rate.
half = load("create-half")
half_offered = int(sys.argv[10])
acknowledged["payments"] += half["ok"]
# bench/acked.rs's creates: how many were acknowledged, and how many of those ids are not
# stored. The ghz scenarios can only be checked by count, since ghz does not say which
# calls succeeded.
acked_ids, lost_ids = int(sys.argv[11]), int(sys.argv[12])

nothing_lost = (
    acked_ids > 0
    and lost_ids == 0
    and stored_payments >= acknowledged["payments"]
    and stored_refunds >= acknowledged["refunds"]
)
summary = {
    "backend": backend,
    "rows": rows,
    "create_at_half_peak": {"offered_rps": half_offered, **half},
    "durable_commits_per_s": commits,
    "peak_rss_mib": round(rss_kib / 1024, 1),
    "traced_peak_rss_mib": round(traced_rss_kib / 1024, 1),
    "traced_calls": traced_calls,
    "spans_received": spans_received,
    "acknowledged": acknowledged,
    "stored": {"payments": stored_payments, "refunds": stored_refunds},
    "acknowledged_ids": {"checked": acked_ids, "not_stored": lost_ids},
    "nothing_lost": nothing_lost,
}
(out / "summary.json").write_text(json.dumps(summary, indent=2))

lines = [
    f"Backend: {backend}. The disk: one writer commits {commits} single-row transactions a "
    f"second; a create makes two commits one after the other, so one caller at a time gets at "
    f"most {commits // 2} creates a second from the disk alone. The bare server, before and "
    f"after the scenarios at each concurrency (req/s): {'; '.join(baselines)}; each row is "
    f"compared with the mean.",
    "",
    "CPU µs/call: the CPU time each process spent per call (the server, the database's "
    "processes, ghz). CPU-bound: the bare server's CPU time per call, all three summed, "
    "divided by this row's: its ratio to the bare server if the cores ran nothing but these "
    "calls, flat out.",
    "",
    "| scenario | concurrency | req/s | vs bare tonic | p50 ms | p99 ms | errors "
    "| CPU µs/call: server / database / ghz | CPU-bound | cores idle |",
    "|---|---|---|---|---|---|---|---|---|---|",
]
for r in rows:
    vs = f"{r['vs_echo']:.2f}"
    if "vs_traced_base" in r:
        vs += f" ({r['vs_traced_base']:.2f} of untraced)"
    if "vs_tls_base" in r:
        vs += f" ({r['vs_tls_base']:.2f} of cleartext; server CPU {r['cpu_vs_tls_base']:.2f}×)"
    if "vs_risk_base" in r:
        vs += f" ({r['vs_risk_base']:.2f} of no rules; server CPU {r['cpu_vs_risk_base']:.2f}×)"
    lines.append(
        f"| {r['scenario']} | {r['concurrency']} | {r['rps']:.0f} | {vs} | "
        f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} | "
        f"{r['server_cpu_us']:.0f} / {number(r['database_cpu_us'], '.0f')} / "
        f"{r['ghz_cpu_us']:.0f} | {number(r['cpu_bound_vs_echo'], '.2f')} | {r['idle_share']:.0%} |"
    )
lines.append("")
lines.append(
    f"CreatePayment offered at half its peak ({half_offered} req/s, by up to "
    f"{max(int(c) for c in concurrency)} callers): {half['rps']:.0f} req/s served, "
    f"p50 {half['p50_ms']:.2f} ms, p99 {half['p99_ms']:.2f} ms, {half['errors']} errors."
)
lines.append(
    f"Tracing: {traced_calls} traced calls, {spans_received} spans received by the collector; "
    f"peak RSS of the tracing server {summary['traced_peak_rss_mib']} MiB."
)
lines.append(
    f"Peak RSS {summary['peak_rss_mib']} MiB; acknowledged {acknowledged['payments']} creates "
    f"and {acknowledged['refunds']} refunds, stored {stored_payments} and {stored_refunds}; "
    f"of {acked_ids} creates acknowledged by id, {lost_ids} not stored: "
    f"{'nothing lost' if nothing_lost else 'SOMETHING LOST'}."
)
(out / "summary.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
if not nothing_lost or half["errors"] or any(r["errors"] for r in rows):
    sys.exit(1)
