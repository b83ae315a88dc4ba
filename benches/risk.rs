//! One risk decision as the payments service makes it: screen a payment against 20 rules of
//! every kind (facts, lists, daily counters, windows, card-testing guards) and lists of
//! 10 000 entries, then decide with the counters answered from memory, so the store's reads
//! are not in the number. `baseline/sha256_64b` is measured in the same run so results read
//! as ratios.

// A benchmark whose setup fails stops.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;
use std::net::IpAddr;

use criterion::{Criterion, criterion_group, criterion_main};
use paycore::domain::merchant::new_webhook_secret;
use paycore::domain::risk::{Action, Counted, Facts, ListSpec, RuleSet, RuleSpec, Tally};
use paycore::domain::{ChannelId, Currency, Merchant, MerchantId, Method, Money, Timestamp};
use sha2::Digest;

const SHOP: &str = "mch_01M80PTB5J6PAPTZJ1KC0PW8G5";

/// 2023-11-14 22:13:20 UTC.
const NOW: Timestamp = Timestamp::from_micros(1_700_000_000_000_000);

/// Twenty rules of mixed kinds, as `[[rules]]` in config.
const RULES: &str = r#"
[[rules]]
id = "amount-cap"
action = "block"
reason = "AMOUNT_OVER_CAP"
when = [{ fact = "amount_minor", op = "gt", value = 5000000 }]

[[rules]]
id = "large-card"
action = "review"
reason = "LARGE_CARD"
when = [
  { fact = "amount_minor", op = "ge", value = 500000 },
  { fact = "method", op = "eq", value = "card" },
]

[[rules]]
id = "foreign-currency"
action = "review"
reason = "FOREIGN_CURRENCY"
when = [{ fact = "currency", op = "not_in", values = ["CNY", "HKD"] }]

[[rules]]
id = "h5-on-wechat"
action = "review"
reason = "H5_ON_WECHAT"
when = [
  { fact = "method", op = "eq", value = "h5" },
  { fact = "channel", op = "eq", value = "wechat" },
]

[[rules]]
id = "gift-cards"
action = "review"
reason = "GIFT_CARD"
when = [{ fact = "metadata.category", op = "in", values = ["gift_card", "prepaid"] }]

[[rules]]
id = "vip-route"
action = "allow"
reason = "VIP_ROUTE"
when = [{ fact = "routing_tag", op = "eq", value = "vip" }]

[[rules]]
id = "vip-buyers"
action = "allow"
reason = "VIP_BUYER"
when = [{ fact = "buyer_id", op = "in_list", list = "vip-buyers" }]

[[rules]]
id = "blocked-buyers"
action = "block"
reason = "BUYER_BLOCKED"
when = [{ fact = "buyer_id", op = "in_list", list = "blocked-buyers" }]

[[rules]]
id = "blocked-devices"
action = "block"
reason = "DEVICE_BLOCKED"
when = [{ fact = "device_id", op = "in_list", list = "blocked-devices" }]

[[rules]]
id = "blocked-ips"
action = "block"
reason = "IP_BLOCKED"
when = [{ fact = "client_ip", op = "in_list", list = "blocked-ips" }]

[[rules]]
id = "staff-off-site"
action = "review"
reason = "STAFF_OFF_SITE"
mode = "shadow"
when = [
  { fact = "metadata.category", op = "eq", value = "staff" },
  { fact = "client_ip", op = "not_in_list", list = "office-ips" },
]

[[rules]]
id = "merchant-daily-cap"
action = "block"
reason = "MERCHANT_DAILY_CAP"
when = [{ counter = "daily_amount", per = "merchant", op = "gt", value = 1000000000 }]

[[rules]]
id = "buyer-daily-count"
action = "review"
reason = "BUYER_DAILY_COUNT"
when = [{ counter = "daily_count", per = "buyer", op = "gt", value = 20 }]

[[rules]]
id = "ip-daily-amount"
action = "review"
reason = "IP_DAILY_AMOUNT"
when = [{ counter = "daily_amount", per = "ip", op = "gt", value = 5000000 }]

[[rules]]
id = "device-daily-count"
action = "block"
reason = "DEVICE_DAILY_COUNT"
mode = "shadow"
when = [{ counter = "daily_count", per = "device", op = "gt", value = 50 }]

[[rules]]
id = "ip-velocity"
action = "block"
reason = "IP_VELOCITY"
when = [{ counter = "payments", per = "ip", window_secs = 60, op = "gt", value = 10 }]

[[rules]]
id = "buyer-velocity"
action = "review"
reason = "BUYER_VELOCITY"
when = [
  { fact = "amount_minor", op = "ge", value = 10000 },
  { counter = "payments", per = "buyer", window_secs = 3600, op = "gt", value = 30 },
]

[[rules]]
id = "card-testing-buyer"
action = "block"
reason = "CARD_TESTING"
when = [{ counter = "declines", per = "buyer", window_secs = 600, hold_secs = 1800, op = "ge", value = 5 }]

[[rules]]
id = "card-testing-ip"
action = "block"
reason = "CARD_TESTING"
when = [{ counter = "declines", per = "ip", window_secs = 600, hold_secs = 3600, op = "ge", value = 10 }]

[[rules]]
id = "one-shop-large"
merchants = ["mch_01M80PTB5J6PAPTZJ1KC0PW8G5"]
action = "review"
reason = "LARGE_FOR_SHOP"
when = [
  { fact = "amount_minor", op = "gt", value = 100000 },
  { fact = "routing_tag", op = "ne", value = "trusted" },
]
"#;

#[derive(serde::Deserialize)]
struct Rules {
    rules: Vec<RuleSpec>,
}

fn list(id: &str, kind: &str, entries: Vec<String>) -> ListSpec {
    ListSpec {
        id: id.into(),
        kind: kind.into(),
        entries,
    }
}

/// 10 000 entries: buyer ids, device ids, and addresses and networks of both families at
/// several prefix lengths.
fn lists() -> Vec<ListSpec> {
    let ids = |prefix: &str, n: usize| (0..n).map(|i| format!("{prefix}-{i:05}")).collect();
    let mut ips = Vec::new();
    // Single addresses: 1480 IPv4 (in 198.18.0.0/15) and 400 IPv6.
    ips.extend((0..1480).map(|i| format!("198.18.{}.{}", i / 250, i % 250 + 1)));
    ips.extend((0..400).map(|i| format!("2001:db8:ffff::{:x}", i + 1)));
    // Networks: IPv4 /12, /16, /20, /24, /28 and IPv6 /32, /48, /64.
    ips.extend((0..10).map(|i| format!("{}.{}.0.0/12", 20 + i, 16 * (i % 16))));
    ips.extend((0..100).map(|i| format!("101.{i}.0.0/16")));
    ips.extend((0..200).map(|i| format!("100.{}.{}.0/20", 64 + i / 16, 16 * (i % 16))));
    ips.extend((0..300).map(|i| format!("172.{}.{}.0/24", 16 + i / 250, i % 250)));
    ips.extend((0..200).map(|i| format!("192.0.{}.{}/28", i / 16, 16 * (i % 16))));
    ips.extend((0..100).map(|i| format!("2001:{:x}::/32", 0x1000 + i)));
    ips.extend((0..100).map(|i| format!("2400:cb00:{:x}::/48", i)));
    ips.extend((0..100).map(|i| format!("2606:4700:0:{:x}::/64", i)));
    let office: Vec<String> = (0..10).map(|i| format!("10.{i}.0.0/16")).collect();
    let lists = vec![
        list("vip-buyers", "buyer_id", ids("vip", 1000)),
        list("blocked-buyers", "buyer_id", ids("buyer", 3000)),
        list("blocked-devices", "device_id", ids("device", 3000)),
        list("blocked-ips", "client_ip", ips),
        list("office-ips", "client_ip", office),
    ];
    let total: usize = lists.iter().map(|l| l.entries.len()).sum();
    assert_eq!(total, 10_000);
    lists
}

fn rule_set() -> std::sync::Arc<RuleSet> {
    let rules: Rules = toml::from_str(RULES).expect("bench rules");
    assert_eq!(rules.rules.len(), 20);
    RuleSet::build(&rules.rules, &lists(), 8 * 3600).expect("bench rule set")
}

/// The counters as the store would answer them, held in memory: every daily row well
/// under its limit, a few recent payments and one decline.
struct Memory {
    daily: HashMap<String, (i64, i64)>,
}

impl Memory {
    fn answer(&self, tally: &Tally) -> Counted {
        match tally {
            Tally::Daily { key } => {
                let (amount_minor, count) = self.daily.get(key).copied().unwrap_or((0, 0));
                Counted::Daily {
                    amount_minor,
                    count,
                }
            }
            Tally::Payments { .. } => Counted::Payments(2),
            Tally::Declines { .. } => {
                Counted::Declines(vec![Timestamp::from_micros(NOW.as_micros() - 90_000_000)])
            }
        }
    }
}

/// What tells the two payments apart.
struct Payer {
    buyer_id: &'static str,
    client_ip: IpAddr,
    device_id: &'static str,
}

fn decision(c: &mut Criterion) {
    let rules = rule_set();
    let merchant = Merchant {
        id: SHOP.parse::<MerchantId>().expect("id"),
        name: "bench".into(),
        webhook_url: None,
        webhook_secret: new_webhook_secret(),
        previous_webhook_secret: None,
        webhook_disabled: false,
        client_names: Vec::new(),
        created_at: Timestamp::from_micros(0),
    };
    let channel = ChannelId::parse("alipay-main").expect("channel");
    let metadata = BTreeMap::from([("category".to_owned(), "goods".to_owned())]);
    let payers = [
        (
            "no_match",
            Payer {
                buyer_id: "buyer-ok",
                client_ip: "203.0.113.7".parse().expect("ip"),
                device_id: "device-ok",
            },
            Action::Allow,
        ),
        (
            // In a listed /20 network.
            "list_match",
            Payer {
                buyer_id: "buyer-ok",
                client_ip: "100.64.16.9".parse().expect("ip"),
                device_id: "device-ok",
            },
            Action::Block,
        ),
    ];

    let mut group = c.benchmark_group("risk");
    for (name, payer, expected) in &payers {
        let facts = Facts {
            merchant: &merchant,
            amount: Money::new(1999, Currency::parse("CNY").expect("CNY")),
            method: Method::QrCode,
            channel: Some(&channel),
            routing_tag: None,
            buyer_id: Some(payer.buyer_id),
            client_ip: Some(payer.client_ip),
            device_id: Some(payer.device_id),
            metadata: &metadata,
            now: NOW,
        };
        let memory = Memory {
            daily: rules
                .screen(&facts)
                .counts_in()
                .iter()
                .map(|key| (key.clone(), (150_000, 3)))
                .collect(),
        };
        let decide = |facts: &Facts<'_>| {
            let screening = rules.screen(facts);
            let counted: Vec<Counted> = screening
                .tallies()
                .iter()
                .map(|t| memory.answer(t))
                .collect();
            screening.decide(&counted, facts.amount.amount_minor, facts.now)
        };
        let evaluation = decide(&facts);
        assert_eq!(evaluation.decision, *expected, "{name}: {evaluation:?}");
        if *expected == Action::Allow {
            assert!(evaluation.matches.is_empty(), "{name}: {evaluation:?}");
        }
        group.bench_function(*name, |b| b.iter(|| black_box(decide(black_box(&facts)))));
    }
    group.finish();
    c.bench_function("baseline/sha256_64b", |b| {
        let data = [7u8; 64];
        b.iter(|| black_box(sha2::Sha256::digest(black_box(data))))
    });
}

criterion_group!(benches, decision);
criterion_main!(benches);
