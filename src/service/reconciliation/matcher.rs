//! Matching a statement to paycore's books, both ways: each batch of lines is looked up
//! (by paycore's id, then the provider's), and what each line says is compared with what
//! paycore recorded; the items it matched are remembered (as 16-byte digests, so a day of a
//! million lines stays small) for the check the other way, of what paycore shows succeeded
//! on the day that the statement did not list.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use crate::domain::reconciliation::{DifferenceKind, Evidence, Summary};
use crate::domain::{ChannelId, Payment, PaymentId, PaymentStatus, Refund, RefundId, RefundStatus};
use crate::provider::statement::{LineKind, LineStatus, StatementLine};
use crate::storage::Store;
use crate::storage::StoreError;
use crate::storage::reconciliation::ItemColumn;

/// A difference found, before it is stored.
#[derive(Debug, Clone)]
pub struct Found {
    pub kind: DifferenceKind,
    pub item: String,
    pub evidence: Evidence,
    pub detail: String,
    /// paycore's item is not final: asking its provider (a sync) may settle it.
    pub heal: Option<Heal>,
    /// Absent near midnight: waits for the next day's statement.
    pub carried: bool,
}

/// What a sync would be asked about.
#[derive(Debug, Clone)]
pub enum Heal {
    Payment(PaymentId),
    Refund(RefundId),
}

/// Which record an item key names.
#[derive(Debug, Clone, Copy)]
enum Key {
    Payment,
    Refund,
    Reversal,
}

/// A status as paycore's API names it (`SUCCEEDED`).
fn upper(status: &str) -> String {
    status.to_ascii_uppercase()
}

fn digest(key: Key, id: &str) -> u128 {
    let tag: &[u8] = match key {
        Key::Payment => b"p:",
        Key::Refund => b"r:",
        Key::Reversal => b"v:",
    };
    let hash = Sha256::new().chain_update(tag).chain_update(id).finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&hash[..16]);
    u128::from_le_bytes(first)
}

/// One statement's matching state.
pub struct Matcher {
    channel: ChannelId,
    seen: HashSet<u128>,
    pub summary: Summary,
    pub found: Vec<Found>,
}

impl Matcher {
    pub fn new(channel: ChannelId) -> Self {
        Self {
            channel,
            seen: HashSet::new(),
            summary: Summary::default(),
            found: Vec::new(),
        }
    }

    /// Whether the statement listed the payment (`refund: false`) or refund `id`.
    pub fn listed(&self, refund: bool, id: &str) -> bool {
        let key = if refund { Key::Refund } else { Key::Payment };
        self.seen.contains(&digest(key, id))
    }

    /// Marks `id` seen under `key`; false when it already was (listed twice).
    fn first_sighting(&mut self, key: Key, id: &str) -> bool {
        self.seen.insert(digest(key, id))
    }

    /// Matches a batch of lines.
    pub async fn batch(
        &mut self,
        store: &dyn Store,
        lines: Vec<StatementLine>,
    ) -> Result<(), StoreError> {
        let payments = self.payments_of(store, &lines).await?;
        let refunds = self.refunds_of(store, &lines).await?;
        for line in lines {
            self.summary.lines += 1;
            self.summary.fee_minor += line.fee_minor;
            match line.kind {
                LineKind::Payment => {
                    self.summary.payments += 1;
                    self.summary.payment_minor += line.amount_minor;
                    let payment = payment_of(&payments, &line);
                    self.payment(&line, payment);
                }
                LineKind::Reversal => {
                    let payment = payment_of(&payments, &line);
                    self.reversal(&line, payment);
                }
                LineKind::Refund => {
                    self.summary.refunds += 1;
                    self.summary.refund_minor += line.amount_minor;
                    let refund = refund_of(&refunds, &line);
                    self.refund(&line, refund);
                }
                LineKind::Other(_) => self.summary.ignored += 1,
            }
        }
        Ok(())
    }

    /// The batch's payments, by paycore's id and by the provider's.
    async fn payments_of(
        &self,
        store: &dyn Store,
        lines: &[StatementLine],
    ) -> Result<HashMap<String, Payment>, StoreError> {
        let paying = |l: &&StatementLine| matches!(l.kind, LineKind::Payment | LineKind::Reversal);
        let ids: Vec<String> = lines
            .iter()
            .filter(paying)
            .filter_map(|l| l.payment_id.clone())
            .collect();
        let mut found: HashMap<String, Payment> = HashMap::new();
        for p in store.payments_by(ItemColumn::Id, &ids).await? {
            found.insert(p.id.to_string(), p);
        }
        let by_provider: Vec<String> = lines
            .iter()
            .filter(paying)
            .filter(|l| {
                l.payment_id
                    .as_ref()
                    .is_none_or(|id| !found.contains_key(id))
            })
            .filter_map(|l| l.transaction_id.clone())
            .collect();
        for p in store
            .payments_by(ItemColumn::ProviderId, &by_provider)
            .await?
        {
            if let Some(t) = p.provider_transaction_id.clone() {
                found.insert(format!("t:{t}"), p);
            }
        }
        Ok(found)
    }

    async fn refunds_of(
        &self,
        store: &dyn Store,
        lines: &[StatementLine],
    ) -> Result<HashMap<String, Refund>, StoreError> {
        let refunding = |l: &&StatementLine| l.kind == LineKind::Refund;
        let ids: Vec<String> = lines
            .iter()
            .filter(refunding)
            .filter_map(|l| l.refund_id.clone())
            .collect();
        let mut found: HashMap<String, Refund> = HashMap::new();
        for r in store.refunds_by(ItemColumn::Id, &ids).await? {
            found.insert(r.id.to_string(), r);
        }
        let by_provider: Vec<String> = lines
            .iter()
            .filter(refunding)
            .filter(|l| {
                l.refund_id
                    .as_ref()
                    .is_none_or(|id| !found.contains_key(id))
            })
            .filter_map(|l| l.provider_refund_id.clone())
            .collect();
        for r in store
            .refunds_by(ItemColumn::ProviderId, &by_provider)
            .await?
        {
            if let Some(t) = r.provider_refund_id.clone() {
                found.insert(format!("t:{t}"), r);
            }
        }
        Ok(found)
    }

    fn payment(&mut self, line: &StatementLine, payment: Option<&Payment>) {
        let Some(p) = payment else {
            return self.raise(
                line,
                DifferenceKind::MissingInPaycore,
                None,
                "the provider took a payment paycore has no record of".into(),
            );
        };
        if !self.first_sighting(Key::Payment, p.id.as_str()) {
            return self.raise_on_payment(
                line,
                p,
                DifferenceKind::Duplicate,
                "the statement lists this payment more than once".into(),
                false,
            );
        }
        if p.channel_id.as_ref() != Some(&self.channel) {
            let on = p
                .channel_id
                .as_ref()
                .map_or("no channel", ChannelId::as_str);
            return self.raise_on_payment(
                line,
                p,
                DifferenceKind::NotSucceededInPaycore,
                format!(
                    "paid at this channel; paycore has it {} on {on}",
                    upper(p.status.as_str())
                ),
                false,
            );
        }
        match p.status {
            PaymentStatus::Succeeded => self.compare(line, p.amount, Some(p), None),
            PaymentStatus::Pending | PaymentStatus::Unknown | PaymentStatus::Processing => self
                .raise_on_payment(
                    line,
                    p,
                    DifferenceKind::NotSucceededInPaycore,
                    format!(
                        "paid at the provider; paycore has it {}",
                        upper(p.status.as_str())
                    ),
                    true,
                ),
            PaymentStatus::RequiresReview => self.raise_on_payment(
                line,
                p,
                DifferenceKind::NotSucceededInPaycore,
                "paid at the provider; paycore holds it for risk review, at no channel".into(),
                false,
            ),
            PaymentStatus::Closed | PaymentStatus::Failed => {
                let recorded = if p.paid_after_close.is_some() {
                    "recorded as paid after close"
                } else {
                    "not recorded as paid"
                };
                self.raise_on_payment(
                    line,
                    p,
                    DifferenceKind::NotSucceededInPaycore,
                    format!(
                        "paid at the provider after paycore ended it {} ({recorded})",
                        upper(p.status.as_str())
                    ),
                    false,
                );
            }
        }
    }

    fn reversal(&mut self, line: &StatementLine, payment: Option<&Payment>) {
        let Some(p) = payment else {
            // A reversed order paycore never took moved no money either way.
            self.summary.matched += 1;
            return;
        };
        if !self.first_sighting(Key::Reversal, p.id.as_str()) {
            return self.raise_on_payment(
                line,
                p,
                DifferenceKind::Duplicate,
                "the statement lists this reversal more than once".into(),
                false,
            );
        }
        if p.status == PaymentStatus::Succeeded && p.channel_id.as_ref() == Some(&self.channel) {
            return self.raise_on_payment(
                line,
                p,
                DifferenceKind::StatusMismatch,
                "reversed at the provider; paycore has it SUCCEEDED".into(),
                false,
            );
        }
        self.summary.matched += 1;
    }

    fn refund(&mut self, line: &StatementLine, refund: Option<&Refund>) {
        let Some(r) = refund else {
            return self.raise(
                line,
                DifferenceKind::MissingInPaycore,
                None,
                "the provider made a refund paycore has no record of".into(),
            );
        };
        if line.status == LineStatus::Succeeded && !self.first_sighting(Key::Refund, r.id.as_str())
        {
            return self.raise_on_refund(
                line,
                r,
                DifferenceKind::Duplicate,
                "the statement lists this refund more than once".into(),
                false,
            );
        }
        if r.channel_id != self.channel {
            return self.raise_on_refund(
                line,
                r,
                DifferenceKind::MissingInPaycore,
                format!("paycore made this refund on {}", r.channel_id),
                false,
            );
        }
        let open = matches!(
            r.status,
            RefundStatus::Pending | RefundStatus::RequiresAttention
        );
        match (line.status, r.status) {
            (LineStatus::Succeeded, RefundStatus::Succeeded) => {
                self.compare(line, r.amount, None, Some(r));
            }
            (LineStatus::Succeeded, _) if open => self.raise_on_refund(
                line,
                r,
                DifferenceKind::NotSucceededInPaycore,
                format!(
                    "refunded at the provider; paycore has it {}",
                    upper(r.status.as_str())
                ),
                true,
            ),
            (LineStatus::Succeeded, _) => self.raise_on_refund(
                line,
                r,
                DifferenceKind::NotSucceededInPaycore,
                format!(
                    "refunded at the provider; paycore has it {} (its amount was freed)",
                    upper(r.status.as_str())
                ),
                false,
            ),
            (LineStatus::Processing, RefundStatus::Succeeded) => self.raise_on_refund(
                line,
                r,
                DifferenceKind::StatusMismatch,
                "still processing at the provider; paycore has it SUCCEEDED".into(),
                false,
            ),
            (LineStatus::Failed, RefundStatus::Succeeded) => self.raise_on_refund(
                line,
                r,
                DifferenceKind::StatusMismatch,
                "failed at the provider; paycore has it SUCCEEDED".into(),
                false,
            ),
            (LineStatus::Failed, _) if open => self.raise_on_refund(
                line,
                r,
                DifferenceKind::StatusMismatch,
                format!(
                    "failed at the provider; paycore has it {}",
                    upper(r.status.as_str())
                ),
                true,
            ),
            (LineStatus::Processing, _) if open => self.summary.pending += 1,
            // Failed on both sides, or processing there and already ended here (which the
            // refund's own sync settles).
            _ => self.summary.matched += 1,
        }
    }

    /// Compares a line with the succeeded payment or refund it names.
    fn compare(
        &mut self,
        line: &StatementLine,
        amount: crate::domain::Money,
        payment: Option<&Payment>,
        refund: Option<&Refund>,
    ) {
        let (kind, detail) = if line.currency != amount.currency.code() {
            (
                DifferenceKind::CurrencyMismatch,
                format!(
                    "the provider has it in {}; paycore in {}",
                    line.currency,
                    amount.currency.code()
                ),
            )
        } else if line.amount_minor != amount.amount_minor {
            (
                DifferenceKind::AmountMismatch,
                format!(
                    "the provider has {} minor units; paycore {}",
                    line.amount_minor, amount.amount_minor
                ),
            )
        } else {
            self.summary.matched += 1;
            return;
        };
        match (payment, refund) {
            (Some(p), _) => self.raise_on_payment(line, p, kind, detail, false),
            (None, Some(r)) => self.raise_on_refund(line, r, kind, detail, false),
            (None, None) => self.raise(line, kind, None, detail),
        }
    }

    fn raise_on_payment(
        &mut self,
        line: &StatementLine,
        p: &Payment,
        kind: DifferenceKind,
        detail: String,
        heal: bool,
    ) {
        let mut found = self.found_for(line, kind, p.id.to_string(), detail);
        found.evidence.payment_id = Some(p.id.to_string());
        found.evidence.paycore_amount_minor = Some(p.amount.amount_minor);
        found.heal = heal.then(|| Heal::Payment(p.id.clone()));
        self.found.push(found);
    }

    fn raise_on_refund(
        &mut self,
        line: &StatementLine,
        r: &Refund,
        kind: DifferenceKind,
        detail: String,
        heal: bool,
    ) {
        let mut found = self.found_for(line, kind, r.id.to_string(), detail);
        found.evidence.payment_id = Some(r.payment_id.to_string());
        found.evidence.refund_id = Some(r.id.to_string());
        found.evidence.paycore_amount_minor = Some(r.amount.amount_minor);
        found.heal = heal.then(|| Heal::Refund(r.id.clone()));
        self.found.push(found);
    }

    /// A difference about a line paycore has no item for: named by the provider's ids.
    fn raise(
        &mut self,
        line: &StatementLine,
        kind: DifferenceKind,
        item: Option<String>,
        detail: String,
    ) {
        let item = item
            .or_else(|| line.provider_refund_id.clone())
            .or_else(|| line.refund_id.clone())
            .or_else(|| line.transaction_id.clone())
            .or_else(|| line.payment_id.clone())
            .unwrap_or_else(|| format!("line {}", line.number));
        let mut found = self.found_for(line, kind, item, detail);
        found.evidence.payment_id = line.payment_id.clone();
        found.evidence.refund_id = line.refund_id.clone();
        self.found.push(found);
    }

    fn found_for(
        &self,
        line: &StatementLine,
        kind: DifferenceKind,
        item: String,
        detail: String,
    ) -> Found {
        Found {
            kind,
            item,
            evidence: Evidence {
                transaction_id: line.transaction_id.clone(),
                currency: Some(line.currency.clone()),
                provider_amount_minor: Some(line.amount_minor),
                fee_minor: Some(line.fee_minor),
                line: Some(line.number),
                ..Evidence::default()
            },
            detail,
            heal: None,
            carried: false,
        }
    }
}

fn payment_of<'a>(
    found: &'a HashMap<String, Payment>,
    line: &StatementLine,
) -> Option<&'a Payment> {
    line.payment_id
        .as_ref()
        .and_then(|id| found.get(id))
        .or_else(|| {
            line.transaction_id
                .as_ref()
                .and_then(|t| found.get(&format!("t:{t}")))
        })
}

fn refund_of<'a>(found: &'a HashMap<String, Refund>, line: &StatementLine) -> Option<&'a Refund> {
    line.refund_id
        .as_ref()
        .and_then(|id| found.get(id))
        .or_else(|| {
            line.provider_refund_id
                .as_ref()
                .and_then(|t| found.get(&format!("t:{t}")))
        })
}
