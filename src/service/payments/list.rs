//! ListPayments: keyset pages over a merchant's payments, newest first. A page token holds
//! the last id returned, so rows inserted meanwhile (always newer) never shift a page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::domain::{Merchant, Payment, PaymentId, PaymentStatus};
use crate::proto::{self, v1};
use crate::service::Error;
use crate::storage::{PaymentFilter, Store};

const DEFAULT_PAGE: u32 = 20;
const MAX_PAGE: u32 = 100;

/// One page of payments.
#[derive(Debug)]
pub struct Page {
    pub payments: Vec<Payment>,
    pub next_page_token: String,
}

/// The filters a token was issued for, so a token cannot be reused with other filters.
fn filter_tag(req: &v1::ListPaymentsRequest) -> String {
    let ts = |t: &Option<prost_types::Timestamp>| {
        t.as_ref()
            .map(|t| format!("{}.{}", t.seconds, t.nanos))
            .unwrap_or_default()
    };
    let text = format!(
        "{}|{}|{}",
        req.status,
        ts(&req.created_after),
        ts(&req.created_before)
    );
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}

fn encode_token(last: &PaymentId, tag: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{last}:{tag}"))
}

fn decode_token(token: &str, tag: &str) -> Option<PaymentId> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    let (id, token_tag) = raw.split_once(':')?;
    (token_tag == tag).then_some(())?;
    id.parse().ok()
}

fn status_filter(value: i32) -> Result<Vec<PaymentStatus>, Error> {
    use v1::PaymentStatus as P;
    let bad = || Error::invalid("status", "INVALID_STATUS", "must be a known payment status");
    Ok(match P::try_from(value).map_err(|_| bad())? {
        P::Unspecified => vec![],
        P::Pending => vec![PaymentStatus::Pending],
        // Payments still being placed look UNKNOWN from outside; list them there too.
        P::Unknown => vec![PaymentStatus::Unknown, PaymentStatus::Processing],
        P::Succeeded => vec![PaymentStatus::Succeeded],
        P::Failed => vec![PaymentStatus::Failed],
        P::Closed => vec![PaymentStatus::Closed],
        P::RequiresReview => vec![PaymentStatus::RequiresReview],
    })
}

pub async fn list(
    store: &dyn Store,
    merchant: &Merchant,
    req: &v1::ListPaymentsRequest,
) -> Result<Page, Error> {
    let size = crate::service::page_size(req.page_size, DEFAULT_PAGE, MAX_PAGE)?;
    let tag = filter_tag(req);
    let before_id = match req.page_token.as_str() {
        "" => None,
        token => Some(decode_token(token, &tag).ok_or_else(|| {
            Error::invalid(
                "page_token",
                "INVALID_PAGE_TOKEN",
                "is not a token this list issued for these filters",
            )
        })?),
    };
    let time = |field: &str, t: &Option<prost_types::Timestamp>| {
        t.as_ref()
            .map(|t| {
                proto::from_timestamp(t)
                    .ok_or_else(|| Error::invalid(field, "INVALID_TIMESTAMP", "is out of range"))
            })
            .transpose()
    };
    let filter = PaymentFilter {
        statuses: status_filter(req.status)?,
        created_after: time("created_after", &req.created_after)?,
        created_before: time("created_before", &req.created_before)?,
        before_id,
    };
    let mut payments = store.list_payments(&merchant.id, &filter, size + 1).await?;
    let next_page_token = if payments.len() > size as usize {
        payments.truncate(size as usize);
        payments
            .last()
            .map(|p| encode_token(&p.id, &tag))
            .unwrap_or_default()
    } else {
        String::new()
    };
    Ok(Page {
        payments,
        next_page_token,
    })
}
