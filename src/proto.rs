//! The generated protobuf types and gRPC stubs (`paycore.v1`), and their conversion from the
//! domain. Conversions live here so the service layer (event payloads) and the gRPC layer
//! share them.

pub mod json;

#[allow(clippy::all, clippy::pedantic, missing_docs)]
pub mod v1 {
    tonic::include_proto!("paycore.v1");
}

/// The encoded descriptor set, for gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/paycore_descriptor.bin"));

use crate::domain::{self, Timestamp};

pub fn timestamp(t: Timestamp) -> prost_types::Timestamp {
    let us = t.as_micros();
    prost_types::Timestamp {
        seconds: us.div_euclid(1_000_000),
        nanos: (us.rem_euclid(1_000_000) * 1000) as i32,
    }
}

/// A proto timestamp as ours, or `None` when it is out of range.
pub fn from_timestamp(t: &prost_types::Timestamp) -> Option<Timestamp> {
    if !(0..1_000_000_000).contains(&t.nanos) {
        return None;
    }
    t.seconds
        .checked_mul(1_000_000)
        .and_then(|s| s.checked_add(i64::from(t.nanos / 1000)))
        .map(Timestamp::from_micros)
}

pub fn money(m: domain::Money) -> v1::Money {
    v1::Money {
        amount_minor: m.amount_minor,
        currency: m.currency.code().to_owned(),
    }
}

pub fn method(m: domain::Method) -> v1::PaymentMethod {
    use v1::PaymentMethod as P;
    match m {
        domain::Method::QrCode => P::QrCode,
        domain::Method::WebPage => P::WebPage,
        domain::Method::App => P::App,
        domain::Method::Jsapi => P::Jsapi,
        domain::Method::H5 => P::H5,
        domain::Method::Card => P::Card,
    }
}

pub fn from_method(m: v1::PaymentMethod) -> Option<domain::Method> {
    use v1::PaymentMethod as P;
    Some(match m {
        P::Unspecified => return None,
        P::QrCode => domain::Method::QrCode,
        P::WebPage => domain::Method::WebPage,
        P::App => domain::Method::App,
        P::Jsapi => domain::Method::Jsapi,
        P::H5 => domain::Method::H5,
        P::Card => domain::Method::Card,
    })
}

pub fn status(s: domain::PaymentStatus) -> v1::PaymentStatus {
    use domain::PaymentStatus as S;
    use v1::PaymentStatus as P;
    match s {
        // In flight at a channel: to an outsider, a channel may have the order.
        S::Processing | S::Unknown => P::Unknown,
        S::Pending => P::Pending,
        S::Succeeded => P::Succeeded,
        S::Failed => P::Failed,
        S::Closed => P::Closed,
        S::RequiresReview => P::RequiresReview,
    }
}

fn outcome(o: domain::AttemptOutcome) -> v1::AttemptOutcome {
    use domain::AttemptOutcome as A;
    use v1::AttemptOutcome as P;
    match o {
        A::InFlight => P::InFlight,
        A::Accepted => P::Accepted,
        A::NotProcessed => P::NotProcessed,
        A::Ambiguous => P::Ambiguous,
        A::Declined => P::Declined,
        A::Skipped => P::Skipped,
    }
}

fn next_action(a: &domain::NextAction) -> v1::NextAction {
    use v1::next_action::Action;
    let params = |p: &std::collections::BTreeMap<String, String>| v1::InvocationParameters {
        parameters: p.clone(),
    };
    v1::NextAction {
        action: Some(match a {
            domain::NextAction::QrCode(c) => Action::QrCodeContent(c.clone()),
            domain::NextAction::Redirect(u) => Action::RedirectUrl(u.clone()),
            domain::NextAction::App(p) => Action::AppInvocation(params(p)),
            domain::NextAction::Jsapi(p) => Action::JsapiInvocation(params(p)),
        }),
    }
}

pub fn payment(p: &domain::Payment) -> v1::Payment {
    v1::Payment {
        id: p.id.to_string(),
        merchant_order_id: p.merchant_order_id.clone(),
        amount: Some(money(p.amount)),
        description: p.description.clone(),
        method: method(p.method).into(),
        status: status(p.status).into(),
        channel_id: p
            .channel_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        provider_transaction_id: p.provider_transaction_id.clone().unwrap_or_default(),
        next_action: p.next_action.as_ref().map(next_action),
        refunded_amount: Some(money(domain::Money::new(
            p.refunded_minor,
            p.amount.currency,
        ))),
        failure: p.failure.as_ref().map(|f| v1::Failure {
            code: f.code.clone(),
            message: f.message.clone(),
        }),
        metadata: p.metadata.clone(),
        attempts: p
            .attempts
            .iter()
            .map(|a| v1::Attempt {
                id: a.id.to_string(),
                channel_id: a.channel_id.to_string(),
                outcome: outcome(a.outcome).into(),
                error_code: a.error_code.clone().unwrap_or_default(),
                error_message: a.error_message.clone().unwrap_or_default(),
                latency: a
                    .latency
                    .and_then(|d| prost_types::Duration::try_from(d).ok()),
                started_at: Some(timestamp(a.started_at)),
            })
            .collect(),
        created_at: Some(timestamp(p.created_at)),
        updated_at: Some(timestamp(p.updated_at)),
        paid_at: p.paid_at.map(timestamp),
        expires_at: Some(timestamp(p.expires_at)),
        paid_after_close: p.paid_after_close.as_ref().map(|l| v1::PaidAfterClose {
            provider_transaction_id: l.transaction_id.clone(),
            paid_at: Some(timestamp(l.paid_at)),
        }),
        risk: p.risk.as_ref().map(risk),
    }
}

pub fn risk_action(action: domain::risk::Action) -> v1::RiskAction {
    use domain::risk::Action;
    match action {
        Action::Allow => v1::RiskAction::Allow,
        Action::Review => v1::RiskAction::Review,
        Action::Block => v1::RiskAction::Block,
    }
}

pub fn risk_mode(mode: domain::risk::Mode) -> v1::RiskRuleMode {
    use domain::risk::Mode;
    match mode {
        Mode::Enforce => v1::RiskRuleMode::Enforce,
        Mode::Shadow => v1::RiskRuleMode::Shadow,
    }
}

fn risk_match(m: &domain::risk::Match) -> v1::RiskRuleMatch {
    v1::RiskRuleMatch {
        rule_id: m.rule_id.clone(),
        action: risk_action(m.action).into(),
        mode: risk_mode(m.mode).into(),
        reason: m.reason.clone(),
    }
}

/// What the risk rules decided, without a review.
pub fn evaluation(e: &domain::risk::Evaluation) -> v1::RiskEvaluation {
    v1::RiskEvaluation {
        decision: risk_action(e.decision).into(),
        decided_by: e.decided_by.as_ref().map(risk_match),
        matches: e.matches.iter().map(risk_match).collect(),
        review: None,
    }
}

fn risk(r: &domain::PaymentRisk) -> v1::RiskEvaluation {
    v1::RiskEvaluation {
        review: r.review.as_ref().map(|v| v1::RiskReview {
            approved: v.approved,
            reviewer: v.by.clone(),
            reviewed_at: Some(timestamp(v.at)),
            note: v.note.clone(),
        }),
        ..evaluation(&r.evaluation)
    }
}

pub fn refund(r: &domain::Refund) -> v1::Refund {
    use domain::RefundStatus as R;
    v1::Refund {
        id: r.id.to_string(),
        payment_id: r.payment_id.to_string(),
        merchant_refund_id: r.merchant_refund_id.clone(),
        amount: Some(money(r.amount)),
        reason: r.reason.clone(),
        status: match r.status {
            R::Pending => v1::RefundStatus::Pending,
            R::Succeeded => v1::RefundStatus::Succeeded,
            R::Failed => v1::RefundStatus::Failed,
            R::RequiresAttention => v1::RefundStatus::RequiresAttention,
        }
        .into(),
        channel_id: r.channel_id.to_string(),
        provider_refund_id: r.provider_refund_id.clone().unwrap_or_default(),
        failure: r.failure.as_ref().map(|f| v1::Failure {
            code: f.code.clone(),
            message: f.message.clone(),
        }),
        created_at: Some(timestamp(r.created_at)),
        updated_at: Some(timestamp(r.updated_at)),
        succeeded_at: r.succeeded_at.map(timestamp),
    }
}
