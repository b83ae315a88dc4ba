//! What an operator sees of one payment: the payment with its attempts, its refunds, its
//! events and their webhook deliveries, read together (`paycore payment show`).

use crate::domain::{MerchantId, Payment, PaymentId, Refund};
use crate::storage::{Delivery, PaymentKey, Store, StoreError, StoredEvent};

/// How the operator names the payment.
#[derive(Debug, Clone)]
pub enum Lookup {
    Id(PaymentId),
    MerchantOrderId { merchant: MerchantId, order: String },
}

/// A payment's whole story, each part oldest first.
#[derive(Debug, Clone)]
pub struct Story {
    /// The payment, with its attempts in the order they were made.
    pub payment: Payment,
    pub refunds: Vec<Refund>,
    pub events: Vec<StoredEvent>,
    pub deliveries: Vec<Delivery>,
}

/// Refunds read a page at a time.
const REFUND_PAGE: u32 = 100;

/// The story of the payment `lookup` names; `None` when there is no such payment.
pub async fn payment_story(
    store: &dyn Store,
    lookup: &Lookup,
) -> Result<Option<Story>, StoreError> {
    let payment = match lookup {
        Lookup::Id(id) => store.payment_by_id(id).await?,
        Lookup::MerchantOrderId { merchant, order } => {
            let key = PaymentKey::MerchantOrderId(order.clone());
            store.payment(merchant, &key).await?
        }
    };
    let Some(payment) = payment else {
        return Ok(None);
    };
    let mut refunds: Vec<Refund> = Vec::new();
    loop {
        let before = refunds.last().map(|r| r.id.clone());
        let page = store
            .list_refunds(
                &payment.merchant_id,
                Some(&payment.id),
                before.as_ref(),
                REFUND_PAGE,
            )
            .await?;
        let full = page.len() == REFUND_PAGE as usize;
        refunds.extend(page);
        if !full {
            break;
        }
    }
    // Listed newest first; a story is told from the start.
    refunds.reverse();
    let events = store.payment_events(&payment.id).await?;
    let deliveries = store.payment_deliveries(&payment.id).await?;
    Ok(Some(Story {
        payment,
        refunds,
        events,
        deliveries,
    }))
}
