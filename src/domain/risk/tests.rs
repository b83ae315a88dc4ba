//! The rules as operators write them, built and refused, and the decisions they make: the
//! helpers the tests share; the tests, by topic, in `tests/`.

mod counters;
mod facts;
mod lists;
mod precedence;
mod specs;

use crate::domain::merchant::new_webhook_secret;
use crate::domain::{Currency, Day};

use super::*;

const SHOP: &str = "mch_01M80PTB5J6PAPTZJ1KC0PW8G5";
const OTHER_SHOP: &str = "mch_01M80PTB5J6PAPTZJ1KC0PW8G6";
const THIRD_SHOP: &str = "mch_01M80PTB5J6PAPTZJ1KC0PW8G7";

/// 2023-11-14 22:13:20 UTC.
const NOW: Timestamp = Timestamp::from_micros(1_700_000_000_000_000);

/// The day of NOW as daily rows name it when days are counted at UTC.
const TODAY: &str = "2023-11-14+00:00";

fn merchant(id: &str) -> Merchant {
    Merchant {
        id: id.parse().unwrap(),
        name: "shop".into(),
        webhook_url: None,
        webhook_secret: new_webhook_secret(),
        previous_webhook_secret: None,
        webhook_disabled: false,
        client_names: Vec::new(),
        created_at: Timestamp::from_micros(0),
    }
}

fn cny(amount_minor: i64) -> Money {
    Money::new(amount_minor, Currency::parse("CNY").unwrap())
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn mins_ago(minutes: i64) -> Timestamp {
    secs_ago(minutes * 60)
}

fn secs_ago(secs: i64) -> Timestamp {
    Timestamp::from_micros(NOW.as_micros() - secs * 1_000_000)
}

/// A moment of `day` at UTC.
fn utc(day: &str, h: i64, m: i64, s: i64) -> Timestamp {
    let start = Day::parse(day).unwrap().start(0).as_micros();
    Timestamp::from_micros(start + ((h * 60 + m) * 60 + s) * 1_000_000)
}

/// A payment as the rules see it, owned, so a test changes one fact at a time.
struct Payment {
    merchant: Merchant,
    amount: Money,
    method: Method,
    channel: Option<ChannelId>,
    routing_tag: Option<String>,
    buyer_id: Option<String>,
    client_ip: Option<IpAddr>,
    device_id: Option<String>,
    metadata: BTreeMap<String, String>,
    now: Timestamp,
}

impl Payment {
    fn facts(&self) -> Facts<'_> {
        Facts {
            merchant: &self.merchant,
            amount: self.amount,
            method: self.method,
            channel: self.channel.as_ref(),
            routing_tag: self.routing_tag.as_deref(),
            buyer_id: self.buyer_id.as_deref(),
            client_ip: self.client_ip,
            device_id: self.device_id.as_deref(),
            metadata: &self.metadata,
            now: self.now,
        }
    }
}

/// CNY 10.00 by QR code at SHOP, now, with no channel, tag, buyer, IP, device or metadata.
fn payment() -> Payment {
    Payment {
        merchant: merchant(SHOP),
        amount: cny(1000),
        method: Method::QrCode,
        channel: None,
        routing_tag: None,
        buyer_id: None,
        client_ip: None,
        device_id: None,
        metadata: BTreeMap::new(),
        now: NOW,
    }
}

fn buyer(id: &str) -> Payment {
    let mut p = payment();
    p.buyer_id = Some(id.into());
    p
}

/// A payment from the client IP `addr`.
fn from_ip(addr: &str) -> Payment {
    let mut p = payment();
    p.client_ip = Some(ip(addr));
    p
}

/// Rules and lists as `[[rules]]` and `[[lists]]` tables, the way config writes them.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Specs {
    #[serde(default)]
    rules: Vec<RuleSpec>,
    #[serde(default)]
    lists: Vec<ListSpec>,
}

fn specs(toml: &str) -> Specs {
    toml::from_str(toml).unwrap()
}

/// The set `toml` writes, its days counted at UTC.
fn build(toml: &str) -> Arc<RuleSet> {
    build_at(toml, 0)
}

fn build_at(toml: &str, offset_secs: i64) -> Arc<RuleSet> {
    let s = specs(toml);
    RuleSet::build(&s.rules, &s.lists, offset_secs).unwrap()
}

/// What building `toml` refuses, as `field: REASON`.
fn refusals(toml: &str) -> Vec<String> {
    let s = specs(toml);
    RuleSet::build(&s.rules, &s.lists, 0)
        .unwrap_err()
        .iter()
        .map(|e| format!("{}: {}", e.field, e.reason))
        .collect()
}

/// Asserts that building each case's TOML refuses its one `field: REASON` and nothing else.
fn assert_refused<T: AsRef<str>>(cases: &[(T, &str)]) {
    for (toml, refused) in cases {
        let toml = toml.as_ref();
        assert_eq!(refusals(toml), [*refused], "{toml}");
    }
}

/// One refusal's message.
fn message(toml: &str) -> String {
    let s = specs(toml);
    let errors = RuleSet::build(&s.rules, &s.lists, 0).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0].message.clone()
}

/// A `[[rules]]` table whose conditions are `when`, inline TOML tables.
fn rule_table(id: &str, action: &str, reason: &str, mode: &str, when: &str) -> String {
    format!(
        "[[rules]]\nid = \"{id}\"\naction = \"{action}\"\nreason = \"{reason}\"\n\
         mode = \"{mode}\"\nwhen = [{when}]\n"
    )
}

/// The reason a rule of these tests reports: its id in capitals, `ip-listed`: `IP_LISTED`.
fn reason_of(id: &str) -> String {
    id.to_uppercase().replace('-', "_")
}

/// A rule whose reason is [`reason_of`] its id.
fn rule(id: &str, action: &str, mode: &str, when: &str) -> String {
    rule_table(id, action, &reason_of(id), mode, when)
}

/// A blocking rule `hit` whose conditions are `when`.
fn one(when: &str) -> String {
    rule("hit", "block", "enforce", when)
}

/// A rule that matches every payment in scope.
fn always(id: &str, action: &str, mode: &str) -> String {
    rule(id, action, mode, "")
}

/// A `[[lists]]` table of `kind` holding `entries`.
fn list(id: &str, kind: &str, entries: &[&str]) -> String {
    let entries: Vec<String> = entries.iter().map(|e| format!("\"{e}\"")).collect();
    format!(
        "[[lists]]\nid = \"{id}\"\nkind = \"{kind}\"\nentries = [{}]\n",
        entries.join(", ")
    )
}

/// A daily counter row of a CNY payment on `day`: `rest` is who it counts for.
fn daily_key(day: &str, rest: &str) -> String {
    format!("{day}/CNY/{rest}")
}

/// SHOP's row for the day of NOW.
fn shop_row() -> String {
    daily_key(TODAY, &format!("merchant/{SHOP}"))
}

/// Asserts that a screening reads no counter and matches nothing, and that its payment
/// counts in `rows`.
fn assert_reads_nothing(s: &Screening, rows: &[String]) {
    assert!(s.tallies().is_empty(), "reads {:?}", s.tallies());
    assert_eq!(s.counts_in(), rows);
    assert!(s.decide(&[], 1000, NOW).matches.is_empty());
}

/// Screens and decides a payment for rules of facts only.
fn evaluate(set: &Arc<RuleSet>, p: &Payment) -> Evaluation {
    let s = set.screen(&p.facts());
    assert!(
        s.tallies().is_empty(),
        "these rules count: {:?}",
        s.tallies()
    );
    s.decide(&[], p.amount.amount_minor, p.now)
}

/// Screens a payment, answers each tally it asks for with `answer`, and decides.
fn evaluate_with(
    set: &Arc<RuleSet>,
    p: &Payment,
    answer: impl Fn(&Tally) -> Counted,
) -> Evaluation {
    let s = set.screen(&p.facts());
    let counted: Vec<Counted> = s.tallies().iter().map(answer).collect();
    s.decide(&counted, p.amount.amount_minor, p.now)
}

fn matched(e: &Evaluation) -> Vec<&str> {
    e.matches.iter().map(|m| m.rule_id.as_str()).collect()
}

fn hits(set: &Arc<RuleSet>, p: &Payment) -> bool {
    matched(&evaluate(set, p)) == ["hit"]
}
