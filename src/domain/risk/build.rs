//! Rules and lists as operators write them (config, RPCs), and the checks that turn them
//! into a [`RuleSet`]: every bad field is named, and nothing is half-built.

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use super::{Action, Cmp, Condition, Counter, Fact, List, Mode, Per, Rule, RuleSet};
use crate::domain::{Currency, MerchantId, Method};

/// A rule as written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    /// Merchant ids it applies to; empty: every merchant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merchants: Vec<String>,
    /// Conditions that must all hold; none: every payment in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<ConditionSpec>,
    /// `allow`, `review` or `block`.
    pub action: String,
    /// The code a match reports, e.g. `AMOUNT_OVER_CAP`.
    pub reason: String,
    /// `enforce` (the default) or `shadow`.
    #[serde(default = "enforce")]
    pub mode: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn enforce() -> String {
    Mode::Enforce.as_str().to_owned()
}

fn yes() -> bool {
    true
}

/// One condition as written: a `fact` or a `counter`, compared by `op`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_secs: Option<u64>,
    pub op: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<SpecValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
}

/// A condition's value: a number (amounts, counts) or a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum SpecValue {
    Number(i64),
    Text(String),
}

/// A list as written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSpec {
    pub id: String,
    /// `buyer_id`, `client_ip` or `device_id`.
    pub kind: String,
    #[serde(default)]
    pub entries: Vec<String>,
}

/// A refused field of a rule or list: `field` is its path, e.g. `rules[2].when[0].op`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub field: String,
    pub reason: &'static str,
    pub message: String,
}

/// The longest window or hold a counter takes: a year.
const MAX_SPAN_SECS: u64 = 366 * 86_400;

const FACTS: &str = "amount_minor, currency, method, merchant, channel, routing_tag, buyer_id, \
                     client_ip, device_id or metadata.<key>";

fn fact(name: &str) -> Option<Fact> {
    Some(match name {
        "currency" => Fact::Currency,
        "method" => Fact::Method,
        "merchant" => Fact::Merchant,
        "channel" => Fact::Channel,
        "routing_tag" => Fact::RoutingTag,
        "buyer_id" => Fact::BuyerId,
        "client_ip" => Fact::ClientIp,
        "device_id" => Fact::DeviceId,
        _ => {
            let key = name.strip_prefix("metadata.")?;
            if key.is_empty() || key.len() > 40 {
                return None;
            }
            Fact::Metadata(key.to_owned())
        }
    })
}

/// The kind of list a fact is looked up in.
pub fn list_kind(name: &str) -> Option<Fact> {
    match name {
        "buyer_id" => Some(Fact::BuyerId),
        "client_ip" => Some(Fact::ClientIp),
        "device_id" => Some(Fact::DeviceId),
        _ => None,
    }
}

fn kind_name(kind: &Fact) -> &'static str {
    match kind {
        Fact::BuyerId => "buyer_id",
        Fact::ClientIp => "client_ip",
        _ => "device_id",
    }
}

fn cmp(op: &str) -> Option<Cmp> {
    Some(match op {
        "gt" => Cmp::Gt,
        "ge" => Cmp::Ge,
        "lt" => Cmp::Lt,
        "le" => Cmp::Le,
        "eq" => Cmp::Eq,
        "ne" => Cmp::Ne,
        _ => return None,
    })
}

/// Whether `id` may name a rule or list: 1-64 of a-z, 0-9, `_`, `-`.
pub fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn valid_reason(reason: &str) -> bool {
    (1..=64).contains(&reason.len())
        && reason
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Collects refusals; a builder that refused anything builds nothing.
#[derive(Default)]
struct Refusals(Vec<RuleError>);

impl Refusals {
    fn add(&mut self, field: impl Into<String>, reason: &'static str, message: impl Into<String>) {
        self.0.push(RuleError {
            field: field.into(),
            reason,
            message: message.into(),
        });
    }
}

impl RuleSet {
    /// Builds the rules and lists in force, or names every field that is wrong. Days of
    /// daily counters start at midnight `offset_secs` east of UTC.
    pub fn build(
        rules: &[RuleSpec],
        lists: &[ListSpec],
        offset_secs: i64,
    ) -> Result<Arc<RuleSet>, Vec<RuleError>> {
        let mut bad = Refusals::default();
        let mut built_lists = BTreeMap::new();
        for (i, spec) in lists.iter().enumerate() {
            let field = format!("lists[{i}]");
            if !valid_id(&spec.id) {
                bad.add(
                    format!("{field}.id"),
                    "INVALID_ID",
                    "must be 1-64 of a-z, 0-9, _ and -",
                );
                continue;
            }
            let Some(kind) = list_kind(&spec.kind) else {
                bad.add(
                    format!("{field}.kind"),
                    "INVALID_LIST_KIND",
                    "must be buyer_id, client_ip or device_id",
                );
                continue;
            };
            match List::new(spec.id.clone(), kind, &spec.entries) {
                Ok(list) => {
                    if built_lists
                        .insert(spec.id.clone(), Arc::new(list))
                        .is_some()
                    {
                        bad.add(
                            format!("{field}.id"),
                            "DUPLICATE_ID",
                            format!("another list is also {:?}", spec.id),
                        );
                    }
                }
                Err(e) => bad.add(
                    format!("{field}.entries[{}]", e.index),
                    "INVALID_ENTRY",
                    e.message,
                ),
            }
        }
        let mut ids = HashSet::new();
        let mut built = Vec::new();
        for (i, spec) in rules.iter().enumerate() {
            let field = format!("rules[{i}]");
            if !valid_id(&spec.id) {
                bad.add(
                    format!("{field}.id"),
                    "INVALID_ID",
                    "must be 1-64 of a-z, 0-9, _ and -",
                );
            } else if !ids.insert(spec.id.as_str()) {
                bad.add(
                    format!("{field}.id"),
                    "DUPLICATE_ID",
                    format!("another rule is also {:?}", spec.id),
                );
            }
            if let Some(rule) = build_rule(spec, &field, &built_lists, &mut bad) {
                built.push(rule);
            }
        }
        if !bad.0.is_empty() {
            return Err(bad.0);
        }
        built.sort_by(|a: &Rule, b| a.id.cmp(&b.id));
        Ok(Arc::new(RuleSet {
            rules: built,
            lists: built_lists,
            offset_secs,
        }))
    }
}

fn build_rule(
    spec: &RuleSpec,
    field: &str,
    lists: &BTreeMap<String, Arc<List>>,
    bad: &mut Refusals,
) -> Option<Rule> {
    let before = bad.0.len();
    let mut merchants = Vec::new();
    for (j, m) in spec.merchants.iter().enumerate() {
        match m.parse::<MerchantId>() {
            Ok(id) => merchants.push(id),
            Err(_) => bad.add(
                format!("{field}.merchants[{j}]"),
                "INVALID_MERCHANT_ID",
                format!("{m:?} is not a merchant id (mch_…)"),
            ),
        }
    }
    let action = Action::parse(&spec.action);
    if action.is_none() {
        bad.add(
            format!("{field}.action"),
            "INVALID_ACTION",
            "must be allow, review or block",
        );
    }
    let mode = Mode::parse(&spec.mode);
    if mode.is_none() {
        bad.add(
            format!("{field}.mode"),
            "INVALID_MODE",
            "must be enforce or shadow",
        );
    }
    if !valid_reason(&spec.reason) {
        bad.add(
            format!("{field}.reason"),
            "INVALID_REASON",
            "must be 1-64 of A-Z, 0-9 and _, e.g. AMOUNT_OVER_CAP",
        );
    }
    let conditions: Vec<Condition> = spec
        .when
        .iter()
        .enumerate()
        .filter_map(|(j, c)| condition(c, &format!("{field}.when[{j}]"), lists, bad))
        .collect();
    if bad.0.len() != before {
        return None;
    }
    Some(Rule {
        id: spec.id.clone(),
        merchants,
        conditions,
        action: action?,
        reason: spec.reason.clone(),
        mode: mode?,
        enabled: spec.enabled,
        spec: spec.clone(),
    })
}

fn condition(
    c: &ConditionSpec,
    field: &str,
    lists: &BTreeMap<String, Arc<List>>,
    bad: &mut Refusals,
) -> Option<Condition> {
    match (&c.fact, &c.counter) {
        (Some(name), None) => fact_condition(c, name, field, lists, bad),
        (None, Some(name)) => counter_condition(c, name, field, bad),
        _ => {
            bad.add(
                field,
                "FACT_OR_COUNTER",
                "a condition has exactly one of fact and counter",
            );
            None
        }
    }
}

fn number(c: &ConditionSpec, field: &str, bad: &mut Refusals) -> Option<i64> {
    match c.value {
        Some(SpecValue::Number(n)) if n >= 0 => Some(n),
        _ => {
            bad.add(
                format!("{field}.value"),
                "INVALID_VALUE",
                "must be a whole number, 0 or more",
            );
            None
        }
    }
}

/// Refuses the fields a condition of this kind does not take.
fn refuse_extra(c: &ConditionSpec, field: &str, bad: &mut Refusals, allowed: &[&str]) {
    let present = [
        ("per", c.per.is_some()),
        ("window_secs", c.window_secs.is_some()),
        ("hold_secs", c.hold_secs.is_some()),
        ("value", c.value.is_some()),
        ("values", !c.values.is_empty()),
        ("list", c.list.is_some()),
    ];
    for (name, _) in present
        .iter()
        .filter(|(name, set)| *set && !allowed.contains(name))
    {
        bad.add(
            format!("{field}.{name}"),
            "UNEXPECTED_FIELD",
            format!("this condition does not take {name}"),
        );
    }
}

fn fact_condition(
    c: &ConditionSpec,
    name: &str,
    field: &str,
    lists: &BTreeMap<String, Arc<List>>,
    bad: &mut Refusals,
) -> Option<Condition> {
    if name == "amount_minor" {
        refuse_extra(c, field, bad, &["value"]);
        let Some(cmp) = cmp(&c.op) else {
            bad.add(
                format!("{field}.op"),
                "INVALID_OP",
                "amount_minor compares with gt, ge, lt, le, eq or ne",
            );
            return None;
        };
        return Some(Condition::Amount {
            cmp,
            minor: number(c, field, bad)?,
        });
    }
    let Some(fact) = fact(name) else {
        bad.add(
            format!("{field}.fact"),
            "UNKNOWN_FACT",
            format!("{name:?} is not a fact; facts are {FACTS}"),
        );
        return None;
    };
    match c.op.as_str() {
        "eq" | "ne" | "in" | "not_in" => {
            let single = matches!(c.op.as_str(), "eq" | "ne");
            let values = if single {
                refuse_extra(c, field, bad, &["value"]);
                match &c.value {
                    Some(SpecValue::Text(t)) => vec![t.clone()],
                    _ => {
                        bad.add(
                            format!("{field}.value"),
                            "INVALID_VALUE",
                            format!("{name} compares with a text value"),
                        );
                        return None;
                    }
                }
            } else {
                refuse_extra(c, field, bad, &["values"]);
                if c.values.is_empty() {
                    bad.add(
                        format!("{field}.values"),
                        "EMPTY_VALUES",
                        "in and not_in need at least one value",
                    );
                    return None;
                }
                c.values.clone()
            };
            let values = values
                .into_iter()
                .enumerate()
                .map(|(k, v)| {
                    let at = if single {
                        format!("{field}.value")
                    } else {
                        format!("{field}.values[{k}]")
                    };
                    canonical(&fact, v, &at, bad)
                })
                .collect::<Option<Vec<String>>>()?;
            Some(Condition::OneOf {
                fact,
                values,
                negate: matches!(c.op.as_str(), "ne" | "not_in"),
            })
        }
        "in_list" | "not_in_list" => {
            refuse_extra(c, field, bad, &["list"]);
            let Some(id) = &c.list else {
                bad.add(format!("{field}.list"), "REQUIRED", "names the list");
                return None;
            };
            let Some(list) = lists.get(id) else {
                bad.add(
                    format!("{field}.list"),
                    "UNKNOWN_LIST",
                    format!("no list is {id:?}"),
                );
                return None;
            };
            if list.kind != fact {
                bad.add(
                    format!("{field}.list"),
                    "LIST_KIND_MISMATCH",
                    format!(
                        "{id:?} is a list of {}, not of {name}",
                        kind_name(&list.kind)
                    ),
                );
                return None;
            }
            Some(Condition::Listed {
                fact,
                list: id.clone(),
                negate: c.op == "not_in_list",
            })
        }
        _ => {
            bad.add(
                format!("{field}.op"),
                "INVALID_OP",
                format!("{name} compares with eq, ne, in, not_in, in_list or not_in_list"),
            );
            None
        }
    }
}

/// A value as the fact is compared: currency and method names checked, addresses in
/// their canonical text.
fn canonical(fact: &Fact, value: String, field: &str, bad: &mut Refusals) -> Option<String> {
    let ok = match fact {
        Fact::Currency => Currency::parse(&value).is_some(),
        Fact::Method => Method::parse(&value).is_some(),
        Fact::ClientIp => match value.parse::<IpAddr>() {
            Ok(ip) => return Some(super::canonical_ip(ip).to_string()),
            Err(_) => false,
        },
        _ => !value.is_empty(),
    };
    if ok {
        Some(value)
    } else {
        bad.add(
            field,
            "INVALID_VALUE",
            format!("{value:?} is not a valid value of this fact"),
        );
        None
    }
}

fn counter_condition(
    c: &ConditionSpec,
    name: &str,
    field: &str,
    bad: &mut Refusals,
) -> Option<Condition> {
    let per = match c.per.as_deref().map(Per::parse) {
        Some(Some(per)) => Some(per),
        _ => {
            bad.add(
                format!("{field}.per"),
                "INVALID_PER",
                "must be merchant, buyer, ip or device",
            );
            None
        }
    };
    let window = |bad: &mut Refusals| match c.window_secs {
        Some(secs) if (1..=MAX_SPAN_SECS).contains(&secs) => Some(Duration::from_secs(secs)),
        _ => {
            bad.add(
                format!("{field}.window_secs"),
                "INVALID_WINDOW",
                format!("a window is 1 second to {MAX_SPAN_SECS} seconds (a year)"),
            );
            None
        }
    };
    let counter = match name {
        "daily_amount" | "daily_count" => {
            refuse_extra(c, field, bad, &["per", "value"]);
            let per = per?;
            if name == "daily_amount" {
                Counter::DailyAmount(per)
            } else {
                Counter::DailyCount(per)
            }
        }
        "payments" => {
            refuse_extra(c, field, bad, &["per", "value", "window_secs"]);
            let window = window(bad);
            if per == Some(Per::Merchant) {
                bad.add(
                    format!("{field}.per"),
                    "INVALID_PER",
                    "payments count per buyer, ip or device (a merchant's volume is \
                     daily_amount and daily_count)",
                );
                return None;
            }
            Counter::Payments {
                per: per?,
                window: window?,
            }
        }
        "declines" => {
            refuse_extra(c, field, bad, &["per", "value", "window_secs", "hold_secs"]);
            let window = window(bad);
            let hold = c.hold_secs.unwrap_or(0);
            if hold > MAX_SPAN_SECS {
                bad.add(
                    format!("{field}.hold_secs"),
                    "INVALID_HOLD",
                    format!("a hold is at most {MAX_SPAN_SECS} seconds (a year)"),
                );
                return None;
            }
            if per == Some(Per::Merchant) {
                bad.add(
                    format!("{field}.per"),
                    "INVALID_PER",
                    "declines count per buyer, ip or device",
                );
                return None;
            }
            Counter::Declines {
                per: per?,
                window: window?,
                hold: Duration::from_secs(hold),
            }
        }
        _ => {
            bad.add(
                format!("{field}.counter"),
                "UNKNOWN_COUNTER",
                format!(
                    "{name:?} is not a counter; counters are daily_amount, daily_count, \
                     payments and declines"
                ),
            );
            return None;
        }
    };
    let Some(cmp) = cmp(&c.op) else {
        bad.add(
            format!("{field}.op"),
            "INVALID_OP",
            "a counter compares with gt, ge, lt, le, eq or ne",
        );
        return None;
    };
    Some(Condition::Count {
        counter,
        cmp,
        value: number(c, field, bad)?,
    })
}
