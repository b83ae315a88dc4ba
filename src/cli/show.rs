//! `paycore payment show`'s output: a payment's story as text for a person, or as one JSON
//! object. Buyer identifiers are never printed.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::domain::{Attempt, Failure, Money, Payment, Refund, Timestamp};
use crate::proto::json::rfc3339;
use crate::service::inspect::Story;
use crate::storage::{Delivery, StoredEvent};

fn time(t: Timestamp) -> String {
    rfc3339(t)
}

fn money(m: Money) -> String {
    format!("{} {}", m.to_major_string(), m.currency.code())
}

fn failure_json(f: &Option<Failure>) -> Value {
    f.as_ref().map_or(
        Value::Null,
        |f| json!({"code": f.code, "message": f.message}),
    )
}

fn money_json(m: Money) -> Value {
    json!({"amount_minor": m.amount_minor, "currency": m.currency.code()})
}

fn attempt_json(a: &Attempt) -> Value {
    json!({
        "id": a.id.to_string(),
        "channel_id": a.channel_id.to_string(),
        "outcome": a.outcome.as_str(),
        "error_code": a.error_code,
        "error_message": a.error_message,
        "latency_ms": a.latency.map(|l| l.as_millis()),
        "started_at": time(a.started_at),
    })
}

fn payment_json(p: &Payment) -> Value {
    json!({
        "id": p.id.to_string(),
        "merchant_id": p.merchant_id.to_string(),
        "merchant_order_id": p.merchant_order_id,
        "status": p.status.as_str(),
        "amount": money_json(p.amount),
        "refunded_minor": p.refunded_minor,
        "method": p.method.as_str(),
        "description": p.description,
        "channel_id": p.channel_id.as_ref().map(|c| c.to_string()),
        "provider_transaction_id": p.provider_transaction_id,
        "failure": failure_json(&p.failure),
        "metadata": p.metadata,
        "return_url": p.return_url,
        "created_at": time(p.created_at),
        "updated_at": time(p.updated_at),
        "paid_at": p.paid_at.map(time),
        "expires_at": time(p.expires_at),
        "paid_after_close": p.paid_after_close.as_ref().map(|l| json!({
            "transaction_id": l.transaction_id,
            "paid_at": time(l.paid_at),
        })),
        "risk": p.risk.as_ref().map(|r| json!({
            "evaluation": r.evaluation,
            "review": r.review.as_ref().map(|v| json!({
                "approved": v.approved,
                "by": v.by,
                "at": time(v.at),
                "note": v.note,
            })),
            "counted": r.counted,
        })),
        "version": p.version,
    })
}

fn refund_json(r: &Refund) -> Value {
    json!({
        "id": r.id.to_string(),
        "merchant_refund_id": r.merchant_refund_id,
        "status": r.status.as_str(),
        "amount": money_json(r.amount),
        "reason": r.reason,
        "channel_id": r.channel_id.to_string(),
        "provider_refund_id": r.provider_refund_id,
        "failure": failure_json(&r.failure),
        "created_at": time(r.created_at),
        "updated_at": time(r.updated_at),
        "succeeded_at": r.succeeded_at.map(time),
    })
}

fn event_json(e: &StoredEvent) -> Value {
    json!({
        "seq": e.seq,
        "id": e.id,
        "type": e.event_type,
        "created_at": time(e.created_at),
        "trace_context": e.trace_context,
    })
}

fn delivery_json(d: &Delivery) -> Value {
    json!({
        "event_seq": d.event_seq,
        "event_id": d.event_id,
        "url": d.url,
        "status": d.status.as_str(),
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at.map(time),
        "last_status": d.last_status,
        "last_error": d.last_error,
        "created_at": time(d.created_at),
        "updated_at": time(d.updated_at),
    })
}

/// The story as one JSON object: `payment`, `attempts`, `refunds`, `events`, `deliveries`.
pub(super) fn json(story: &Story) -> Value {
    json!({
        "payment": payment_json(&story.payment),
        "attempts": story.payment.attempts.iter().map(attempt_json).collect::<Vec<_>>(),
        "refunds": story.refunds.iter().map(refund_json).collect::<Vec<_>>(),
        "events": story.events.iter().map(event_json).collect::<Vec<_>>(),
        "deliveries": story.deliveries.iter().map(delivery_json).collect::<Vec<_>>(),
    })
}

/// The story as text: the payment's fields, then each part under its heading, oldest first.
pub(super) fn text(story: &Story) -> String {
    let p = &story.payment;
    let mut out = String::new();
    // Writing to a String cannot fail.
    let mut line = |label: &str, value: String| {
        let _ = writeln!(out, "  {label:<18}{value}");
    };
    let mut refunded = String::new();
    if p.refunded_minor > 0 {
        refunded = format!(
            " (refunded {})",
            money(Money::new(p.refunded_minor, p.amount.currency))
        );
    }
    line("status", p.status.as_str().to_owned());
    line("amount", format!("{}{refunded}", money(p.amount)));
    line("merchant", p.merchant_id.to_string());
    line("merchant order id", p.merchant_order_id.clone());
    line("method", p.method.as_str().to_owned());
    if !p.description.is_empty() {
        line("description", p.description.clone());
    }
    let channel = p
        .channel_id
        .as_ref()
        .map_or("-".to_owned(), |c| c.to_string());
    line("channel", channel);
    if let Some(t) = &p.provider_transaction_id {
        line("provider txn id", t.clone());
    }
    if let Some(f) = &p.failure {
        line("failure", format!("{}: {}", f.code, f.message));
    }
    line("created", time(p.created_at));
    line("updated", time(p.updated_at));
    if let Some(t) = p.paid_at {
        line("paid", time(t));
    }
    line("expires", time(p.expires_at));
    if let Some(l) = &p.paid_after_close {
        line(
            "paid after close",
            format!("{} at {}", l.transaction_id, time(l.paid_at)),
        );
    }
    if let Some(r) = &p.risk {
        let e = &r.evaluation;
        let by = e.decided_by.as_ref().map_or(String::new(), |m| {
            format!(" by {} ({})", m.rule_id, m.reason)
        });
        line("risk", format!("{}{by}", e.decision.as_str()));
        for m in &e.matches {
            line(
                "risk match",
                format!(
                    "{} {} ({}, {})",
                    m.rule_id,
                    m.action.as_str(),
                    m.reason,
                    m.mode.as_str()
                ),
            );
        }
        if let Some(v) = &r.review {
            let verdict = if v.approved { "approved" } else { "rejected" };
            line(
                "review",
                format!("{verdict} by {} at {} {}", v.by, time(v.at), v.note)
                    .trim_end()
                    .to_owned(),
            );
        }
    }
    for (k, v) in &p.metadata {
        line(&format!("metadata.{k}"), v.clone());
    }
    let mut text = format!("payment {}\n{out}", p.id);

    let _ = writeln!(text, "attempts ({})", p.attempts.len());
    for (i, a) in p.attempts.iter().enumerate() {
        let latency = a
            .latency
            .map_or(String::new(), |l| format!(" in {} ms", l.as_millis()));
        let _ = write!(
            text,
            "  {}. {}  {}  {}{latency}",
            i + 1,
            time(a.started_at),
            a.channel_id,
            a.outcome.as_str()
        );
        match (&a.error_code, &a.error_message) {
            (Some(c), Some(m)) => {
                let _ = write!(text, "  {c}: {m}");
            }
            (Some(s), None) | (None, Some(s)) => {
                let _ = write!(text, "  {s}");
            }
            (None, None) => {}
        }
        text.push('\n');
    }

    let _ = writeln!(text, "refunds ({})", story.refunds.len());
    for r in &story.refunds {
        let _ = write!(
            text,
            "  {}  {}  {}  {}  merchant refund id {}  created {}",
            r.id,
            r.status.as_str(),
            money(r.amount),
            r.channel_id,
            r.merchant_refund_id,
            time(r.created_at)
        );
        if let Some(t) = r.succeeded_at {
            let _ = write!(text, "  succeeded {}", time(t));
        }
        if let Some(f) = &r.failure {
            let _ = write!(text, "  failure {}: {}", f.code, f.message);
        }
        if !r.reason.is_empty() {
            let _ = write!(text, "  reason {:?}", r.reason);
        }
        text.push('\n');
    }

    let _ = writeln!(text, "events ({})", story.events.len());
    for e in &story.events {
        let _ = writeln!(
            text,
            "  #{} {}  {}  {}",
            e.seq,
            time(e.created_at),
            e.event_type,
            e.id
        );
    }

    let _ = writeln!(text, "webhook deliveries ({})", story.deliveries.len());
    for d in &story.deliveries {
        let event_type = story
            .events
            .iter()
            .find(|e| e.seq == d.event_seq)
            .map_or("", |e| e.event_type.as_str());
        let tries = if d.attempts == 1 { "try" } else { "tries" };
        let _ = write!(
            text,
            "  #{} {event_type}  {}  {} {tries}  to {}",
            d.event_seq,
            d.status.as_str(),
            d.attempts,
            d.url
        );
        if let Some(s) = d.last_status {
            let _ = write!(text, "  last HTTP {s}");
        }
        if let Some(e) = &d.last_error {
            let _ = write!(text, "  last error {e}");
        }
        if let Some(t) = d.next_attempt_at {
            let _ = write!(text, "  next try {}", time(t));
        }
        let _ = write!(text, "  updated {}", time(d.updated_at));
        text.push('\n');
    }
    text
}
