//! The risk rules' decision on a new payment, made before any channel is called: counters
//! are read and the payment written in one write, so limits hold across nodes.

use std::collections::BTreeMap;

use prost::Message;

use super::Payments;
use super::validate;
use crate::domain::risk::{Action, Evaluation, Facts, RuleSet, Screening, canonical_ip};
use crate::domain::{
    Event, EventType, Failure, HeldRoute, Merchant, Method, Money, Payer, Payment, PaymentRisk,
    PaymentStatus, Secret, Timestamp,
};
use crate::proto::v1;
use crate::service::{Error, Violation};
use crate::storage::{Inserted, Screened, event_for};

impl Payments {
    /// Inserts `payment` (placed at its first planned channel, as the rules would allow it)
    /// as the rules decide: allowed, held for review, or blocked.
    pub(super) async fn insert_screened(
        &self,
        rules: &std::sync::Arc<RuleSet>,
        merchant: &Merchant,
        payment: Payment,
        route: HeldRoute,
    ) -> Result<Inserted<Payment>, Error> {
        let facts = Facts {
            channel: payment.channel_id.as_ref(),
            routing_tag: route.routing_tag.as_deref(),
            ..facts(
                merchant,
                (payment.amount, payment.method),
                &payment.payer,
                &payment.metadata,
                payment.created_at,
            )
        };
        let screening = rules.screen(&facts);
        let inserted = if screening.tallies().is_empty() && screening.counts_in().is_empty() {
            let evaluation = screening.decide(&[], payment.amount.amount_minor, payment.created_at);
            let (payment, event) = shape(payment, evaluation, &screening, &route);
            self.insert(payment, &event).await?
        } else {
            self.store
                .insert_screened(Screened {
                    payment,
                    screening,
                    route,
                    decide: shape,
                    trace_context: crate::telemetry::traceparent(),
                })
                .await?
        };
        if let Inserted::Created(p) = &inserted
            && let Some(risk) = &p.risk
        {
            self.metrics.risk_evaluation(&risk.evaluation);
        }
        Ok(inserted)
    }

    /// What the rules in force would decide for a create request now, without storing or
    /// counting it. Violations name fields under `payment.`.
    pub async fn evaluate(
        &self,
        merchant: &Merchant,
        req: &v1::CreatePaymentRequest,
    ) -> Result<Evaluation, Error> {
        let new = validate::create(req, &self.config, &self.router).map_err(|violations| {
            Error::InvalidRequest(
                violations
                    .into_iter()
                    .map(|v| Violation {
                        field: format!("payment.{}", v.field),
                        ..v
                    })
                    .collect(),
            )
        })?;
        let plan = self.plan(merchant, &new);
        let now = self.clock.now();
        let facts = Facts {
            channel: plan.first().map(|c| &c.id),
            routing_tag: new.routing_tag.as_deref(),
            ..facts(
                merchant,
                (new.amount, new.method),
                &new.payer,
                &new.metadata,
                now,
            )
        };
        let screening = self.risk.rules().screen(&facts);
        let counted = if screening.tallies().is_empty() {
            Vec::new()
        } else {
            self.store
                .risk_tallies(screening.tallies().to_vec())
                .await?
        };
        Ok(screening.decide(&counted, new.amount.amount_minor, now))
    }
}

/// A payment's facts but its channel and routing tag, which the caller sets.
fn facts<'a>(
    merchant: &'a Merchant,
    (amount, method): (Money, Method),
    payer: &'a Payer,
    metadata: &'a BTreeMap<String, String>,
    now: Timestamp,
) -> Facts<'a> {
    fn text(s: &Option<Secret<String>>) -> Option<&str> {
        s.as_ref().map(|v| v.expose().as_str())
    }
    Facts {
        merchant,
        amount,
        method,
        channel: None,
        routing_tag: None,
        buyer_id: text(&payer.buyer_id),
        client_ip: text(&payer.client_ip)
            .and_then(|ip| ip.parse().ok())
            .map(canonical_ip),
        device_id: text(&payer.device_id),
        metadata,
        now,
    }
}

/// Shapes a new payment by the rules' decision: allowed, it stays placed at its first
/// channel; held for review (keeping the routing `route` it asked for) or blocked, no
/// channel has it. An admitted payment holds its daily counter rows. Returns it with the
/// event its insert emits.
fn shape(
    mut p: Payment,
    evaluation: Evaluation,
    screening: &Screening,
    route: &HeldRoute,
) -> (Payment, Event) {
    let event_type = match evaluation.decision {
        Action::Allow => EventType::PaymentCreated,
        Action::Review => {
            p.status = PaymentStatus::RequiresReview;
            EventType::PaymentReviewRequired
        }
        Action::Block => {
            p.status = PaymentStatus::Failed;
            let rule = evaluation.decided_by.as_ref();
            p.failure = Some(Failure::new(
                Failure::RISK_BLOCKED,
                format!(
                    "{}: blocked by risk rule {}",
                    rule.map_or("", |r| r.reason.as_str()),
                    rule.map_or("", |r| r.rule_id.as_str()),
                ),
            ));
            EventType::PaymentFailed
        }
    };
    if p.status != PaymentStatus::Processing {
        p.channel_id = None;
        p.attempts.clear();
    }
    let admitted = evaluation.decision != Action::Block;
    p.risk = Some(PaymentRisk {
        route: (evaluation.decision == Action::Review).then(|| route.clone()),
        counted: if admitted {
            screening.counts_in().to_vec()
        } else {
            Vec::new()
        },
        review: None,
        evaluation,
    });
    let event = event_for(&p, event_type, crate::proto::payment(&p).encode_to_vec());
    (p, event)
}
