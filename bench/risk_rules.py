"""Prints the `[risk]` config bench/run gives its risk server: 20 rules of every kind and
lists holding 10 000 entries, none of which a bench payment matches (each is screened in
full, every counter read and the daily ones written), so its creates are placed exactly
as the plain server's are. `--facts` prints only the rules without counters (13), for
bench/risk."""

import random
import sys

rng = random.Random(7)


def entries(n, make):
    return ", ".join(f'"{make(i)}"' for i in range(n))


def ip(i):
    kind = i % 3
    a, b, c = rng.randrange(1, 255), rng.randrange(256), rng.randrange(256)
    # 198.18.0.0/15 is for benchmarks; the bench payments come from 10.0.0.0/8.
    if kind == 0:
        return f"198.{18 + a % 2}.{b}.{c}"
    if kind == 1:
        return f"198.{18 + a % 2}.{b}.0/24"
    return f"2001:db8:{a:x}:{b:x}::/64"


print(f"""[risk]
[[risk.lists]]
id = "blocked-buyers"
kind = "buyer_id"
entries = [{entries(4000, lambda i: f"stolen-{i}")}]

[[risk.lists]]
id = "blocked-ips"
kind = "client_ip"
entries = [{entries(3000, ip)}]

[[risk.lists]]
id = "blocked-devices"
kind = "device_id"
entries = [{entries(2500, lambda i: f"device-{i:06}")}]

[[risk.lists]]
id = "vip-buyers"
kind = "buyer_id"
entries = [{entries(500, lambda i: f"vip-{i}")}]
""")

rules = [
    ("allow-vips", "allow", '{ fact = "buyer_id", op = "in_list", list = "vip-buyers" }'),
    ("blocked-buyers", "block", '{ fact = "buyer_id", op = "in_list", list = "blocked-buyers" }'),
    ("blocked-ips", "block", '{ fact = "client_ip", op = "in_list", list = "blocked-ips" }'),
    ("blocked-devices", "block", '{ fact = "device_id", op = "in_list", list = "blocked-devices" }'),
    ("cap-cny", "block", '{ fact = "currency", op = "eq", value = "CNY" }, '
     '{ fact = "amount_minor", op = "gt", value = 10000000000 }'),
    ("cap-usd", "block", '{ fact = "currency", op = "eq", value = "USD" }, '
     '{ fact = "amount_minor", op = "gt", value = 100000000 }'),
    ("review-large", "review", '{ fact = "amount_minor", op = "ge", value = 5000000000 }'),
    ("card-review", "review", '{ fact = "method", op = "eq", value = "card" }, '
     '{ fact = "amount_minor", op = "gt", value = 1000000 }'),
    ("flagged", "review", '{ fact = "metadata.risk_flag", op = "in", values = ["high", "manual"] }'),
    ("suspicious-tag", "block", '{ fact = "routing_tag", op = "eq", value = "suspicious" }'),
    ("unknown-channel", "review", '{ fact = "channel", op = "not_in", values = ["sandbox"] }'),
    ("merchant-daily-amount", "block",
     '{ counter = "daily_amount", per = "merchant", op = "gt", value = 1000000000000000 }'),
    ("merchant-daily-count", "block",
     '{ counter = "daily_count", per = "merchant", op = "gt", value = 1000000000 }'),
    ("buyer-daily-amount", "review",
     '{ counter = "daily_amount", per = "buyer", op = "gt", value = 1000000000000 }'),
    ("ip-velocity", "block",
     '{ counter = "payments", per = "ip", window_secs = 60, op = "gt", value = 1000 }'),
    ("buyer-velocity", "review",
     '{ counter = "payments", per = "buyer", window_secs = 600, op = "gt", value = 1000 }'),
    ("card-testing", "block",
     '{ counter = "declines", per = "buyer", window_secs = 600, hold_secs = 3600, op = "ge", value = 5 }'),
    ("ip-declines", "block",
     '{ counter = "declines", per = "ip", window_secs = 600, hold_secs = 3600, op = "ge", value = 20 }'),
    ("shadow-large", "block", '{ fact = "amount_minor", op = "gt", value = 100000000 }'),
    ("shadow-ips", "review", '{ fact = "client_ip", op = "in_list", list = "blocked-ips" }'),
]
assert len(rules) == 20
if "--facts" in sys.argv[1:]:
    rules = [r for r in rules if "counter" not in r[2]]
for id, action, when in rules:
    mode = "shadow" if id.startswith("shadow-") else "enforce"
    print(f"""[[risk.rules]]
id = "{id}"
action = "{action}"
reason = "{id.upper().replace('-', '_')}"
mode = "{mode}"
when = [{when}]
""")
