//! The review queue's requests: payments the risk rules hold, and operators' decisions.

use crate::domain::{MerchantId, PaymentId};
use crate::service::Error;

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 100;

/// The optional merchant filter of ListReviews.
pub fn merchant_filter(id: &str) -> Result<Option<MerchantId>, Error> {
    if id.is_empty() {
        return Ok(None);
    }
    id.parse().map(Some).map_err(|_| {
        Error::invalid(
            "merchant_id",
            "INVALID_MERCHANT_ID",
            "must be a merchant id (mch_…)",
        )
    })
}

/// A page token (the previous page's last payment id, or audit seq); None on the first page.
pub fn page_token<T: std::str::FromStr>(token: &str) -> Result<Option<T>, Error> {
    if token.is_empty() {
        return Ok(None);
    }
    token
        .parse()
        .map(Some)
        .map_err(|_| Error::invalid("page_token", "INVALID_PAGE_TOKEN", "is not a page token"))
}

pub fn payment_id(id: &str) -> Result<PaymentId, Error> {
    id.parse()
        .map_err(|_| Error::invalid("payment_id", "INVALID_ID", "must be a payment id (pay_…)"))
}
