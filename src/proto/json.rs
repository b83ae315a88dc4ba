//! The proto3 canonical JSON mapping of the objects webhooks carry: lowerCamelCase names,
//! int64 as strings, enums by name, RFC 3339 timestamps, "1.5s" durations, default values
//! left out.

use serde_json::{Map, Value, json};

use super::v1;
use crate::domain::Timestamp;

/// A time in RFC 3339, UTC, with microseconds when it has any.
pub fn rfc3339(t: Timestamp) -> String {
    let c = t.to_civil(0);
    let micros = t.as_micros().rem_euclid(1_000_000);
    let frac = if micros == 0 {
        String::new()
    } else {
        format!(".{micros:06}")
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{frac}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

fn timestamp(t: &Option<prost_types::Timestamp>) -> Option<Value> {
    let t = t.as_ref()?;
    let micros = t.seconds * 1_000_000 + i64::from(t.nanos / 1000);
    Some(json!(rfc3339(Timestamp::from_micros(micros))))
}

fn duration(d: &Option<prost_types::Duration>) -> Option<Value> {
    let d = d.as_ref()?;
    Some(json!(format!("{}.{:09}s", d.seconds, d.nanos)))
}

fn money(m: &Option<v1::Money>) -> Option<Value> {
    let m = m.as_ref()?;
    Some(json!({"amountMinor": m.amount_minor.to_string(), "currency": m.currency}))
}

fn failure(f: &Option<v1::Failure>) -> Option<Value> {
    f.as_ref()
        .map(|f| json!({"code": f.code, "message": f.message}))
}

fn risk(r: &Option<v1::RiskEvaluation>) -> Option<Value> {
    let r = r.as_ref()?;
    let matched = |m: &v1::RiskRuleMatch| {
        object(vec![
            ("ruleId", Some(json!(m.rule_id))),
            (
                "action",
                name(m.action, |a: v1::RiskAction| a.as_str_name()),
            ),
            ("mode", name(m.mode, |a: v1::RiskRuleMode| a.as_str_name())),
            ("reason", Some(json!(m.reason))),
        ])
    };
    let review = r.review.as_ref().map(|v| {
        object(vec![
            ("approved", v.approved.then_some(json!(true))),
            ("reviewer", Some(json!(v.reviewer))),
            ("reviewedAt", timestamp(&v.reviewed_at)),
            ("note", Some(json!(v.note))),
        ])
    });
    Some(object(vec![
        (
            "decision",
            name(r.decision, |a: v1::RiskAction| a.as_str_name()),
        ),
        ("decidedBy", r.decided_by.as_ref().map(matched)),
        (
            "matches",
            Some(Value::Array(r.matches.iter().map(matched).collect())),
        ),
        ("review", review),
    ]))
}

/// Builds an object, leaving out absent and default (empty) values.
fn object(fields: Vec<(&str, Option<Value>)>) -> Value {
    let mut map = Map::new();
    for (name, value) in fields {
        match value {
            None => {}
            Some(Value::String(s)) if s.is_empty() => {}
            Some(Value::Array(a)) if a.is_empty() => {}
            Some(Value::Object(o)) if o.is_empty() => {}
            Some(v) => {
                map.insert(name.to_owned(), v);
            }
        }
    }
    Value::Object(map)
}

fn name<E: TryFrom<i32>>(value: i32, as_str: impl Fn(E) -> &'static str) -> Option<Value> {
    E::try_from(value)
        .ok()
        .map(|e| json!(as_str(e)))
        .filter(|_| value != 0)
}

pub fn payment(p: &v1::Payment) -> Value {
    use v1::next_action::Action;
    let next_action = p
        .next_action
        .as_ref()
        .and_then(|a| a.action.as_ref())
        .map(|a| match a {
            Action::QrCodeContent(c) => json!({"qrCodeContent": c}),
            Action::RedirectUrl(u) => json!({"redirectUrl": u}),
            Action::AppInvocation(i) => json!({"appInvocation": {"parameters": i.parameters}}),
            Action::JsapiInvocation(i) => json!({"jsapiInvocation": {"parameters": i.parameters}}),
        });
    let attempts = p
        .attempts
        .iter()
        .map(|a| {
            object(vec![
                ("id", Some(json!(a.id))),
                ("channelId", Some(json!(a.channel_id))),
                (
                    "outcome",
                    name(a.outcome, |o: v1::AttemptOutcome| o.as_str_name()),
                ),
                ("errorCode", Some(json!(a.error_code))),
                ("errorMessage", Some(json!(a.error_message))),
                ("latency", duration(&a.latency)),
                ("startedAt", timestamp(&a.started_at)),
            ])
        })
        .collect::<Vec<_>>();
    object(vec![
        ("id", Some(json!(p.id))),
        ("merchantOrderId", Some(json!(p.merchant_order_id))),
        ("amount", money(&p.amount)),
        ("description", Some(json!(p.description))),
        (
            "method",
            name(p.method, |m: v1::PaymentMethod| m.as_str_name()),
        ),
        (
            "status",
            name(p.status, |s: v1::PaymentStatus| s.as_str_name()),
        ),
        ("channelId", Some(json!(p.channel_id))),
        (
            "providerTransactionId",
            Some(json!(p.provider_transaction_id)),
        ),
        ("nextAction", next_action),
        ("refundedAmount", money(&p.refunded_amount)),
        ("failure", failure(&p.failure)),
        ("metadata", Some(json!(p.metadata))),
        ("attempts", Some(Value::Array(attempts))),
        ("createdAt", timestamp(&p.created_at)),
        ("updatedAt", timestamp(&p.updated_at)),
        ("paidAt", timestamp(&p.paid_at)),
        ("expiresAt", timestamp(&p.expires_at)),
        ("risk", risk(&p.risk)),
    ])
}

pub fn refund(r: &v1::Refund) -> Value {
    object(vec![
        ("id", Some(json!(r.id))),
        ("paymentId", Some(json!(r.payment_id))),
        ("merchantRefundId", Some(json!(r.merchant_refund_id))),
        ("amount", money(&r.amount)),
        ("reason", Some(json!(r.reason))),
        (
            "status",
            name(r.status, |s: v1::RefundStatus| s.as_str_name()),
        ),
        ("channelId", Some(json!(r.channel_id))),
        ("providerRefundId", Some(json!(r.provider_refund_id))),
        ("failure", failure(&r.failure)),
        ("createdAt", timestamp(&r.created_at)),
        ("updatedAt", timestamp(&r.updated_at)),
        ("succeededAt", timestamp(&r.succeeded_at)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_canonical_mapping() {
        let p = v1::Payment {
            id: "pay_1".into(),
            amount: Some(v1::Money {
                amount_minor: 1999,
                currency: "CNY".into(),
            }),
            status: v1::PaymentStatus::Succeeded.into(),
            created_at: Some(prost_types::Timestamp {
                seconds: 1_795_320_000,
                nanos: 5_000,
            }),
            attempts: vec![v1::Attempt {
                latency: Some(prost_types::Duration {
                    seconds: 0,
                    nanos: 32_000,
                }),
                ..Default::default()
            }],
            risk: Some(v1::RiskEvaluation {
                decision: v1::RiskAction::Review.into(),
                matches: vec![v1::RiskRuleMatch {
                    rule_id: "large".into(),
                    action: v1::RiskAction::Review.into(),
                    mode: v1::RiskRuleMode::Enforce.into(),
                    reason: "LARGE_AMOUNT".into(),
                }],
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            payment(&p),
            json!({
                "id": "pay_1",
                "amount": {"amountMinor": "1999", "currency": "CNY"},
                "status": "PAYMENT_STATUS_SUCCEEDED",
                "attempts": [{"latency": "0.000032000s"}],
                "createdAt": "2026-11-22T04:00:00.000005Z",
                "risk": {
                    "decision": "RISK_ACTION_REVIEW",
                    "matches": [{
                        "ruleId": "large",
                        "action": "RISK_ACTION_REVIEW",
                        "mode": "RISK_RULE_MODE_ENFORCE",
                        "reason": "LARGE_AMOUNT",
                    }],
                },
            })
        );
    }
}
