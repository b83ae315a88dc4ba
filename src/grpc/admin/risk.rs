//! Risk rules, lists and their audit trail as AdminService shows and takes them.

use crate::domain::risk::{Action, ConditionSpec, Mode, RuleSpec, SpecValue};
use crate::proto::{self, v1};
use crate::service::Error;
use crate::service::risk::{ListView, RuleView, Source};
use crate::storage::risk_rules::AuditRecord;

pub const DEFAULT_ENTRIES_PAGE: u32 = 100;
pub const MAX_ENTRIES_PAGE: u32 = 1000;

fn source(s: Source) -> v1::RiskSource {
    match s {
        Source::Config => v1::RiskSource::Config,
        Source::Runtime => v1::RiskSource::Runtime,
    }
}

pub fn rule(view: &RuleView) -> v1::RiskRule {
    let s = &view.spec;
    v1::RiskRule {
        id: s.id.clone(),
        merchant_ids: s.merchants.clone(),
        conditions: s.when.iter().map(condition).collect(),
        action: Action::parse(&s.action)
            .map_or(v1::RiskAction::Unspecified, proto::risk_action)
            .into(),
        reason: s.reason.clone(),
        mode: proto::risk_mode(Mode::parse(&s.mode).unwrap_or(Mode::Enforce)).into(),
        disabled: !s.enabled,
        source: source(view.source).into(),
        updated_at: view.updated_at.map(proto::timestamp),
    }
}

fn condition(c: &ConditionSpec) -> v1::RiskCondition {
    v1::RiskCondition {
        fact: c.fact.clone().unwrap_or_default(),
        counter: c.counter.clone().unwrap_or_default(),
        per: c.per.clone().unwrap_or_default(),
        window_secs: c.window_secs.unwrap_or(0),
        hold_secs: c.hold_secs.unwrap_or(0),
        op: c.op.clone(),
        value: c.value.as_ref().map(|v| match v {
            SpecValue::Number(n) => v1::risk_condition::Value::Number(*n),
            SpecValue::Text(t) => v1::risk_condition::Value::Text(t.clone()),
        }),
        values: c.values.clone(),
        list_id: c.list.clone().unwrap_or_default(),
    }
}

/// A rule from a request, as the config file would write it; checking it is the
/// service's (fields named `rule.…`).
pub fn spec(rule: Option<v1::RiskRule>) -> Result<RuleSpec, Error> {
    let r = rule.ok_or_else(|| Error::invalid("rule", "REQUIRED", "is required"))?;
    let nonempty = |s: String| (!s.is_empty()).then_some(s);
    Ok(RuleSpec {
        id: r.id,
        merchants: r.merchant_ids,
        when: r
            .conditions
            .into_iter()
            .map(|c| ConditionSpec {
                fact: nonempty(c.fact),
                counter: nonempty(c.counter),
                per: nonempty(c.per),
                window_secs: (c.window_secs > 0).then_some(c.window_secs),
                hold_secs: (c.hold_secs > 0).then_some(c.hold_secs),
                op: c.op,
                value: c.value.map(|v| match v {
                    v1::risk_condition::Value::Number(n) => SpecValue::Number(n),
                    v1::risk_condition::Value::Text(t) => SpecValue::Text(t),
                }),
                values: c.values,
                list: nonempty(c.list_id),
            })
            .collect(),
        action: match v1::RiskAction::try_from(r.action) {
            Ok(v1::RiskAction::Allow) => Action::Allow.as_str(),
            Ok(v1::RiskAction::Review) => Action::Review.as_str(),
            Ok(v1::RiskAction::Block) => Action::Block.as_str(),
            _ => "",
        }
        .to_owned(),
        reason: r.reason,
        mode: match v1::RiskRuleMode::try_from(r.mode) {
            Ok(v1::RiskRuleMode::Shadow) => Mode::Shadow.as_str(),
            Ok(v1::RiskRuleMode::Enforce | v1::RiskRuleMode::Unspecified) => Mode::Enforce.as_str(),
            Err(_) => "",
        }
        .to_owned(),
        enabled: !r.disabled,
    })
}

pub fn list(view: &ListView) -> v1::RiskList {
    v1::RiskList {
        id: view.id.clone(),
        kind: view.kind.clone(),
        source: source(view.source).into(),
        entry_count: i64::try_from(view.entries).unwrap_or(i64::MAX),
    }
}

pub fn audit(r: &AuditRecord) -> v1::RiskAuditRecord {
    v1::RiskAuditRecord {
        seq: r.seq,
        at: Some(proto::timestamp(r.at)),
        actor: r.actor.clone(),
        action: r.action.clone(),
        target: r.target.clone(),
        before: r.before.clone().unwrap_or_default(),
        after: r.after.clone().unwrap_or_default(),
    }
}

/// Counts for a response's int32 field.
pub fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
