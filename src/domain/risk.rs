//! Risk rules (风控): typed rules over a payment's facts and counters, and the decision they
//! make before any channel is called. No I/O: the counters a decision needs are asked for as
//! [`Tally`]s and answered by the store inside the payment's own write.

mod build;
mod lists;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

pub use build::{ConditionSpec, ListSpec, RuleError, RuleSpec, SpecValue, list_kind, valid_id};
pub use lists::{List, canonical_entry};

use super::{ChannelId, Day, Merchant, MerchantId, Method, Money, Timestamp};

/// What a rule asks for when it matches.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Allow,
    Review,
    Block,
}

impl Action {
    pub const ALL: [Action; 3] = [Self::Allow, Self::Review, Self::Block];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Review => "review",
            Self::Block => "block",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Whether a rule's match decides (`Enforce`) or is only recorded and counted (`Shadow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Enforce,
    Shadow,
}

impl Mode {
    pub const ALL: [Mode; 2] = [Self::Enforce, Self::Shadow];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enforce => "enforce",
            Self::Shadow => "shadow",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// An address as rules compare it: an IPv4-mapped IPv6 address is its IPv4 address.
pub fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// A fact of the payment a condition compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    Currency,
    Method,
    Merchant,
    /// The first channel of the routing plan: where the payment would be placed.
    Channel,
    RoutingTag,
    BuyerId,
    ClientIp,
    DeviceId,
    Metadata(String),
}

/// Who a counter counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Per {
    Merchant,
    /// A buyer id, within its merchant (merchants name their own buyers).
    Buyer,
    /// A client IP address, across merchants.
    Ip,
    /// A device id, across merchants.
    Device,
}

impl Per {
    pub const ALL: [Per; 4] = [Self::Merchant, Self::Buyer, Self::Ip, Self::Device];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Merchant => "merchant",
            Self::Buyer => "buyer",
            Self::Ip => "ip",
            Self::Device => "device",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// What a counter counts. Each includes the payment being decided, except `Declines`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// The day's amount of admitted payments in the payment's currency, this one included.
    DailyAmount(Per),
    /// The day's number of admitted payments in the payment's currency, this one included.
    DailyCount(Per),
    /// Payments created within the window (blocked ones too), this one included.
    Payments { per: Per, window: Duration },
    /// The most declined or failed payments within one `window` ending at a decline at most
    /// `hold` before now, or ending now: once a decline makes N within a window, a
    /// card-testing guard (`declines ≥ N`) keeps its buyer or IP blocked for `hold` after
    /// that decline.
    Declines {
        per: Per,
        window: Duration,
        hold: Duration,
    },
}

/// How a number compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

impl Cmp {
    fn holds(self, left: i64, right: i64) -> bool {
        match self {
            Self::Gt => left > right,
            Self::Ge => left >= right,
            Self::Lt => left < right,
            Self::Le => left <= right,
            Self::Eq => left == right,
            Self::Ne => left != right,
        }
    }
}

/// One condition of a rule; a rule matches when all of its conditions hold.
#[derive(Debug, Clone)]
pub enum Condition {
    /// The amount in minor units.
    Amount { cmp: Cmp, minor: i64 },
    /// The fact is (or with `negate`, is not) one of `values`. An absent fact is none of
    /// them.
    OneOf {
        fact: Fact,
        values: Vec<String>,
        negate: bool,
    },
    /// The fact is (or is not) in the named list.
    Listed {
        fact: Fact,
        list: String,
        negate: bool,
    },
    /// A counter compared with a value.
    Count {
        counter: Counter,
        cmp: Cmp,
        value: i64,
    },
}

/// A rule as checked and ready to evaluate.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    /// The merchants it applies to; empty: all.
    pub merchants: Vec<MerchantId>,
    pub conditions: Vec<Condition>,
    pub action: Action,
    /// The stable code a match reports, e.g. `AMOUNT_OVER_CAP`.
    pub reason: String,
    pub mode: Mode,
    pub enabled: bool,
    /// The spec it was built from, as an operator wrote it.
    pub spec: RuleSpec,
}

impl Rule {
    fn applies_to(&self, merchant: &MerchantId) -> bool {
        self.enabled && (self.merchants.is_empty() || self.merchants.contains(merchant))
    }
}

/// The rules and lists in force: built whole or not at all.
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    lists: BTreeMap<String, Arc<List>>,
    /// East of UTC, for the day daily counters count in.
    offset_secs: i64,
}

/// What a payment looks like to the rules.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub merchant: &'a Merchant,
    pub amount: Money,
    pub method: Method,
    pub channel: Option<&'a ChannelId>,
    pub routing_tag: Option<&'a str>,
    pub buyer_id: Option<&'a str>,
    pub client_ip: Option<IpAddr>,
    pub device_id: Option<&'a str>,
    pub metadata: &'a BTreeMap<String, String>,
    pub now: Timestamp,
}

impl<'a> Facts<'a> {
    fn text(&self, fact: &Fact) -> Option<std::borrow::Cow<'a, str>> {
        use std::borrow::Cow;
        match fact {
            Fact::Currency => Some(Cow::Borrowed(self.amount.currency.code())),
            Fact::Method => Some(Cow::Borrowed(self.method.as_str())),
            Fact::Merchant => Some(Cow::Borrowed(self.merchant.id.as_str())),
            Fact::Channel => self.channel.map(|c| Cow::Borrowed(c.as_str())),
            Fact::RoutingTag => self.routing_tag.map(Cow::Borrowed),
            Fact::BuyerId => self.buyer_id.map(Cow::Borrowed),
            Fact::ClientIp => self
                .client_ip
                .map(|ip| Cow::Owned(canonical_ip(ip).to_string())),
            Fact::DeviceId => self.device_id.map(Cow::Borrowed),
            Fact::Metadata(key) => self.metadata.get(key).map(|v| Cow::Borrowed(v.as_str())),
        }
    }

    /// The identity a counter counts this payment under; None when the payment lacks it.
    fn identity(&self, per: Per) -> Option<String> {
        match per {
            Per::Merchant => Some(self.merchant.id.to_string()),
            Per::Buyer => self.buyer_id.map(str::to_owned),
            Per::Ip => self.client_ip.map(|ip| canonical_ip(ip).to_string()),
            Per::Device => self.device_id.map(str::to_owned),
        }
    }
}

/// A counter value the store is asked for, inside the payment's write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tally {
    /// The `(amount, count)` held on a daily counter row (zeros when it has none).
    Daily { key: String },
    /// How many payments of `who` were created at or after `since` (at most `limit`).
    Payments {
        per: Per,
        who: Identity,
        since: Timestamp,
        limit: u32,
    },
    /// When `who`'s declined or failed payments since `since` were created, newest first
    /// (at most `limit`).
    Declines {
        per: Per,
        who: Identity,
        since: Timestamp,
        limit: u32,
    },
}

/// Who a windowed counter counts: a buyer counts within its merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub merchant: MerchantId,
    pub value: String,
}

/// The store's answer to one [`Tally`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    Daily { amount_minor: i64, count: i64 },
    Payments(i64),
    Declines(Vec<Timestamp>),
}

/// The most decline times a tally reads: more within a guard's span trips it anyway.
const DECLINES_READ: u32 = 1_000;

/// A rule that matched, as a payment records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Match {
    pub rule_id: String,
    pub action: Action,
    pub mode: Mode,
    pub reason: String,
}

/// What the rules decided for a payment, as it records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Evaluation {
    pub decision: Action,
    /// The rule whose action decided (none when nothing enforced matched).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<Match>,
    pub matches: Vec<Match>,
}

/// The first half of a decision: the rules whose fact conditions hold, and the counters
/// the rest of their conditions need. Answered by [`Screening::decide`].
#[derive(Debug, Clone, Default)]
pub struct Screening {
    /// Rules that matched on facts alone, by index.
    matched: Vec<usize>,
    /// Rules whose facts hold, waiting on counters: (rule, its counter conditions, each
    /// with the index of its tally).
    waiting: Vec<(usize, Vec<(usize, Condition)>)>,
    tallies: Vec<Tally>,
    /// The daily counter rows an admitted payment adds itself to.
    counts_in: Vec<String>,
    rules: Arc<RuleSet>,
}

impl RuleSet {
    /// Whether no rule is enabled: payments are then not screened and record no evaluation.
    pub fn is_empty(&self) -> bool {
        !self.rules.iter().any(|r| r.enabled)
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn lists(&self) -> impl Iterator<Item = &List> {
        self.lists.values().map(|l| &**l)
    }

    /// The UTC offset daily counters count their day at.
    pub fn offset_secs(&self) -> i64 {
        self.offset_secs
    }

    /// Screens a payment: evaluates every fact condition now and lists the counters the
    /// remaining conditions need.
    pub fn screen(self: &Arc<Self>, facts: &Facts<'_>) -> Screening {
        let mut s = Screening {
            rules: self.clone(),
            ..Screening::default()
        };
        // A day is named with its offset (`2026-12-06+08:00`): nodes counting different
        // days never share a daily row.
        let day = format!(
            "{}{}",
            Day::of(facts.now, self.offset_secs),
            offset_text(self.offset_secs)
        );
        let day = day.as_str();
        for (index, rule) in self.rules.iter().enumerate() {
            if !rule.applies_to(&facts.merchant.id) {
                continue;
            }
            // Facts first: a rule they rule out reads no counter.
            let mut holds = rule
                .conditions
                .iter()
                .filter(|c| !matches!(c, Condition::Count { .. }))
                .all(|c| self.holds(c, facts));
            let mut counters = Vec::new();
            for c in rule.conditions.iter().filter(|_| holds) {
                let Condition::Count { counter, value, .. } = c else {
                    continue;
                };
                let Some(tally) = tally_for(*counter, facts, day, *value) else {
                    // The payment lacks what the counter counts by: it cannot match.
                    holds = false;
                    break;
                };
                counters.push((s.tally_index(tally), c.clone()));
            }
            // A payment of a merchant under a daily limit counts toward it whether or not
            // the rule's other conditions hold for this payment.
            for c in &rule.conditions {
                if let Condition::Count {
                    counter: Counter::DailyAmount(per) | Counter::DailyCount(per),
                    ..
                } = c
                    && let Some(key) = daily_key(*per, facts, day)
                    && !s.counts_in.contains(&key)
                {
                    s.counts_in.push(key);
                }
            }
            if !holds {
                continue;
            }
            if counters.is_empty() {
                s.matched.push(index);
            } else {
                s.waiting.push((index, counters));
            }
        }
        s
    }

    fn holds(&self, c: &Condition, facts: &Facts<'_>) -> bool {
        match c {
            Condition::Amount { cmp, minor } => cmp.holds(facts.amount.amount_minor, *minor),
            Condition::OneOf {
                fact,
                values,
                negate,
            } => {
                let found = facts
                    .text(fact)
                    .is_some_and(|v| values.iter().any(|x| *x == v));
                found != *negate
            }
            Condition::Listed { fact, list, negate } => {
                let found = self.lists.get(list).is_some_and(|l| match fact {
                    Fact::ClientIp => facts.client_ip.is_some_and(|ip| l.contains_ip(ip)),
                    _ => facts.text(fact).is_some_and(|v| l.contains(&v)),
                });
                found != *negate
            }
            Condition::Count { .. } => false,
        }
    }
}

/// `±HH:MM` of an offset in seconds east of UTC.
fn offset_text(secs: i64) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let m = secs.abs() / 60;
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// The daily counter row of `per` for this payment: its merchant's (or buyer's, IP's,
/// device's) day in its currency.
fn daily_key(per: Per, facts: &Facts<'_>, day: &str) -> Option<String> {
    let who = facts.identity(per)?;
    let currency = facts.amount.currency.code();
    Some(match per {
        Per::Buyer => format!("{day}/{currency}/buyer/{}/{who}", facts.merchant.id),
        _ => format!("{day}/{currency}/{}/{who}", per.as_str()),
    })
}

/// The tally a counter condition comparing with `value` needs: a windowed count reads no
/// further than one past `value`, which already decides every comparison.
fn tally_for(counter: Counter, facts: &Facts<'_>, day: &str, value: i64) -> Option<Tally> {
    let identity = |per: Per| -> Option<Identity> {
        Some(Identity {
            merchant: facts.merchant.id.clone(),
            value: facts.identity(per)?,
        })
    };
    let before = |d: Duration| {
        let micros = i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
        Timestamp::from_micros(facts.now.as_micros().saturating_sub(micros))
    };
    Some(match counter {
        Counter::DailyAmount(per) | Counter::DailyCount(per) => Tally::Daily {
            key: daily_key(per, facts, day)?,
        },
        Counter::Payments { per, window } => Tally::Payments {
            per,
            who: identity(per)?,
            since: before(window),
            limit: u32::try_from(value.max(0))
                .unwrap_or(u32::MAX)
                .saturating_add(1),
        },
        Counter::Declines { per, window, hold } => Tally::Declines {
            per,
            who: identity(per)?,
            since: before(window + hold),
            limit: DECLINES_READ,
        },
    })
}

impl Screening {
    /// The counters to read, in the order [`Screening::decide`] takes their answers.
    pub fn tallies(&self) -> &[Tally] {
        &self.tallies
    }

    /// The daily counter rows an admitted payment adds its amount and itself to.
    pub fn counts_in(&self) -> &[String] {
        &self.counts_in
    }

    fn tally_index(&mut self, tally: Tally) -> usize {
        if let Some(i) = self.tallies.iter().position(|t| *t == tally) {
            return i;
        }
        self.tallies.push(tally);
        self.tallies.len() - 1
    }

    /// Finishes the decision with the counters' values (`counted[i]` answers
    /// `tallies()[i]`), for a payment of `amount_minor` created at `now`.
    pub fn decide(&self, counted: &[Counted], amount_minor: i64, now: Timestamp) -> Evaluation {
        let mut matched: Vec<&Rule> = self.matched.iter().map(|&i| &self.rules.rules[i]).collect();
        for (index, conditions) in &self.waiting {
            let all = conditions.iter().all(|(tally, c)| {
                let Condition::Count {
                    counter,
                    cmp,
                    value,
                } = c
                else {
                    return false;
                };
                let Some(answer) = counted.get(*tally) else {
                    return false;
                };
                let left = match (counter, answer) {
                    (
                        Counter::DailyAmount(_),
                        Counted::Daily {
                            amount_minor: a, ..
                        },
                    ) => a.saturating_add(amount_minor),
                    (Counter::DailyCount(_), Counted::Daily { count, .. }) => {
                        count.saturating_add(1)
                    }
                    (Counter::Payments { .. }, Counted::Payments(n)) => n.saturating_add(1),
                    (Counter::Declines { window, hold, .. }, Counted::Declines(times)) => {
                        densest(times, *window, *hold, now)
                    }
                    _ => return false,
                };
                cmp.holds(left, *value)
            });
            if all {
                matched.push(&self.rules.rules[*index]);
            }
        }
        matched.sort_by(|a, b| a.id.cmp(&b.id));
        let record = |r: &Rule| Match {
            rule_id: r.id.clone(),
            action: r.action,
            mode: r.mode,
            reason: r.reason.clone(),
        };
        let enforced = |action: Action| {
            matched
                .iter()
                .find(|r| r.mode == Mode::Enforce && r.action == action)
        };
        // An ALLOW match is an exemption and comes first; then BLOCK beats REVIEW.
        let decided = enforced(Action::Allow)
            .or_else(|| enforced(Action::Block))
            .or_else(|| enforced(Action::Review));
        Evaluation {
            decision: decided.map_or(Action::Allow, |r| r.action),
            decided_by: decided.map(|r| record(r)),
            matches: matched.iter().map(|r| record(r)).collect(),
        }
    }
}

/// The most decline times within one `window` that ends at a decline at most `hold` before
/// `now`, or ends at `now`: how many declines the guard saw when it last tripped within
/// the hold.
fn densest(times: &[Timestamp], window: Duration, hold: Duration, now: Timestamp) -> i64 {
    let micros = |d: Duration| i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
    let (window, hold) = (micros(window), micros(hold));
    let earliest_end = now.as_micros().saturating_sub(hold);
    let mut sorted: Vec<i64> = times.iter().map(|t| t.as_micros()).collect();
    sorted.sort_unstable();
    let mut best = 0;
    let mut first = 0;
    for (last, &end) in sorted.iter().enumerate() {
        while sorted[first] <= end.saturating_sub(window) {
            first += 1;
        }
        if end >= earliest_end {
            best = best.max(last + 1 - first);
        }
    }
    let now = now.as_micros();
    let recent = sorted
        .iter()
        .filter(|t| **t > now.saturating_sub(window) && **t <= now)
        .count();
    best = best.max(recent);
    if times.len() >= DECLINES_READ as usize {
        // Read no further: as many as that within the span is a tripped guard.
        best = best.max(times.len());
    }
    i64::try_from(best).unwrap_or(i64::MAX)
}
