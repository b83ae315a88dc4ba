//! `paycore risk`'s JSON: rules as the config file writes them, lists, audit records and
//! evaluations, with the field names the config file and the domain use.

use serde_json::{Value, json};

use crate::cli::BoxError;
use crate::domain::risk::Evaluation;
use crate::proto::json::rfc3339;
use crate::service::risk::{ListView, RuleView, Source};
use crate::storage::risk_rules::AuditRecord;

fn source(s: Source) -> &'static str {
    match s {
        Source::Config => "config",
        Source::Runtime => "runtime",
    }
}

/// A rule as the config file writes it, with its `source` and, when it is a runtime
/// rule, `updated_at`.
pub(super) fn rule(view: &RuleView) -> Result<Value, BoxError> {
    let mut out = serde_json::to_value(&view.spec)?;
    if let Value::Object(fields) = &mut out {
        fields.insert("source".into(), source(view.source).into());
        if let Some(at) = view.updated_at {
            fields.insert("updated_at".into(), rfc3339(at).into());
        }
    }
    Ok(out)
}

pub(super) fn list(view: &ListView) -> Value {
    json!({
        "id": view.id,
        "kind": view.kind,
        "source": source(view.source),
        "entry_count": view.entries,
    })
}

/// A list after entries were added or removed, and how many (`what`: added, removed).
pub(super) fn changed(view: &ListView, what: &str, count: usize) -> Value {
    let mut out = json!({ "list": list(view) });
    out[what] = count.into();
    out
}

/// An audit record; its before and after (JSON text) as JSON.
pub(super) fn audit(r: &AuditRecord) -> Value {
    let parsed = |text: &Option<String>| {
        text.as_deref()
            .map(|t| serde_json::from_str::<Value>(t).unwrap_or_else(|_| Value::from(t)))
    };
    json!({
        "seq": r.seq,
        "at": rfc3339(r.at),
        "actor": r.actor,
        "action": r.action,
        "target": r.target,
        "before": parsed(&r.before),
        "after": parsed(&r.after),
    })
}

pub(super) fn evaluation(e: &Evaluation) -> Value {
    json!({
        "decision": e.decision,
        "decided_by": e.decided_by,
        "matches": e.matches,
    })
}
