//! The review queue: payments the risk rules hold (REQUIRES_REVIEW) wait for an operator,
//! who approves one (it is then placed as a new payment would be) or rejects it (FAILED,
//! RISK_REJECTED). A held payment that expires first is closed by the sweeper.

use std::sync::Arc;

use super::Payments;
use crate::domain::{
    ChannelId, EventType, Failure, MerchantId, Payment, PaymentId, PaymentStatus, Review,
};
use crate::routing::{Channel, RouteRequest};
use crate::service::Error;
use crate::service::commit::{Touched, commit};
use crate::service::risk::check_person;

/// The longest note a review records.
const MAX_NOTE: usize = 500;

impl Payments {
    /// Payments held for review, oldest first, after `after` (a page's last id).
    pub async fn reviews(
        &self,
        merchant: Option<&MerchantId>,
        after: Option<&PaymentId>,
        limit: u32,
    ) -> Result<Vec<Payment>, Error> {
        Ok(self
            .store
            .payments_in_review(merchant, after, limit)
            .await?)
    }

    /// Approves a payment held for review and places it at the channels its request
    /// would have been routed to now; the payment after that placement.
    pub async fn approve(
        &self,
        id: &PaymentId,
        reviewer: &str,
        note: &str,
    ) -> Result<Payment, Error> {
        check_decision(reviewer, note)?;
        let payment = self.load(id).await?;
        let plan = self.plan_held(&payment);
        let now = self.clock.now();
        let review = Review {
            approved: true,
            by: reviewer.to_owned(),
            at: now,
            note: note.to_owned(),
        };
        let approved = commit(&*self.store, payment, |p| {
            held(p)?;
            if now >= p.expires_at {
                // Too late to pay: closed, as the sweeper would.
                p.enter(PaymentStatus::Closed, now)?;
                return Ok(Some(Touched::event(EventType::PaymentClosed)));
            }
            if let Some(risk) = &mut p.risk {
                risk.review = Some(review.clone());
            }
            if plan.is_empty() {
                // As a new payment no channel could take: the merchant may retry it.
                p.fail(
                    Failure::new(
                        Failure::CHANNELS_UNAVAILABLE,
                        "approved, but no channel takes it under the routing rules now",
                    ),
                    now,
                )?;
                return Ok(Some(Touched::event(EventType::PaymentFailed)));
            }
            p.enter(PaymentStatus::Processing, now)?;
            Ok(Some(Touched::event(EventType::PaymentProcessing)))
        })
        .await?;
        match approved.status {
            PaymentStatus::Processing => {}
            PaymentStatus::Closed => return Err(not_in_review(&approved, " (it expired)")),
            _ => return Ok(approved),
        }
        self.spawn_place(approved, plan, None).await
    }

    /// Rejects a payment held for review: it ends FAILED with RISK_REJECTED.
    pub async fn reject(
        &self,
        id: &PaymentId,
        reviewer: &str,
        note: &str,
    ) -> Result<Payment, Error> {
        check_decision(reviewer, note)?;
        let payment = self.load(id).await?;
        let now = self.clock.now();
        commit(&*self.store, payment, |p| {
            held(p)?;
            if let Some(risk) = &mut p.risk {
                risk.review = Some(Review {
                    approved: false,
                    by: reviewer.to_owned(),
                    at: now,
                    note: note.to_owned(),
                });
            }
            let message = if note.is_empty() {
                format!("rejected in review by {reviewer}")
            } else {
                format!("rejected in review by {reviewer}: {note}")
            };
            p.fail(Failure::new(Failure::RISK_REJECTED, message), now)?;
            Ok(Some(Touched::event(EventType::PaymentFailed)))
        })
        .await
    }

    /// The channels a held payment goes to once approved, by the routing it was created with.
    fn plan_held(&self, p: &Payment) -> Vec<Arc<Channel>> {
        let route = p
            .risk
            .as_ref()
            .and_then(|r| r.route.clone())
            .unwrap_or_default();
        let preferred = route
            .preferred_channel
            .as_deref()
            .and_then(ChannelId::parse);
        let excluded: Vec<ChannelId> = route
            .excluded_channels
            .iter()
            .filter_map(|c| ChannelId::parse(c))
            .collect();
        self.router.plan(
            &RouteRequest {
                method: p.method,
                amount: p.amount,
                merchant: &p.merchant_id,
                tag: route.routing_tag.as_deref(),
                preferred: preferred.as_ref(),
                excluded: &excluded,
            },
            &mut rand::rng(),
        )
    }
}

/// Checks the reviewer and note a decision records.
fn check_decision(reviewer: &str, note: &str) -> Result<(), Error> {
    check_person("reviewer", reviewer)?;
    if note.chars().count() > MAX_NOTE {
        return Err(Error::invalid(
            "note",
            "TOO_LONG",
            format!("must be at most {MAX_NOTE} characters"),
        ));
    }
    Ok(())
}

/// Refuses a payment that is not held for review (decided already, or expired).
fn held(p: &Payment) -> Result<(), Error> {
    if p.status == PaymentStatus::RequiresReview {
        Ok(())
    } else {
        Err(not_in_review(p, ""))
    }
}

/// PAYMENT_NOT_IN_REVIEW, naming the payment's status as the API shows it.
fn not_in_review(p: &Payment, why: &str) -> Error {
    let status = crate::proto::status(p.status).as_str_name();
    let status = status.strip_prefix("PAYMENT_STATUS_").unwrap_or(status);
    Error::PaymentNotInReview(format!("{status}{why}"))
}
