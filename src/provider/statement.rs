//! Statements: what a provider says happened on one of its days, line by line, in one shape
//! for every provider. Each provider module fetches and parses its own format (a zip of GBK
//! CSVs, a gzip of backtick-prefixed CSV, pages of balance transactions) into
//! [`StatementLine`]s; reconciliation matches them against paycore's books.

use async_trait::async_trait;

use super::ChannelFailure;
use crate::domain::Timestamp;

/// Largest statement download kept (compressed): a day of a million lines is a few tens of
/// MiB. Bigger answers are refused rather than held.
pub const MAX_STATEMENT_BYTES: usize = 256 << 20;

/// What a line records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    /// A payment the provider took (Alipay 交易, WeChat Pay SUCCESS, Stripe `charge`).
    Payment,
    /// A payment the provider took and then reversed as a whole (WeChat Pay REVOKED).
    Reversal,
    /// A refund of a payment (Alipay 退款, WeChat Pay REFUND, Stripe `refund`).
    Refund,
    /// Anything else the statement lists (payouts, adjustments, fees on their own): counted,
    /// not matched. The provider's name for it.
    Other(String),
}

/// Where a refund line says the refund stands (WeChat Pay's 退款状态 is a snapshot taken
/// when the statement was made; the others list only refunds that went through).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStatus {
    Succeeded,
    Processing,
    Failed,
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// 1-based position in the statement (the file's line number, or the item's position
    /// across pages), so a difference can point at its line.
    pub number: u64,
    pub kind: LineKind,
    /// The provider's id of the payment (支付宝交易号, 微信订单号, the PaymentIntent id).
    pub transaction_id: Option<String>,
    /// paycore's payment id as the provider knows it (the order number paycore sent).
    pub payment_id: Option<String>,
    /// For refund lines: paycore's refund id (the refund request number paycore sent).
    pub refund_id: Option<String>,
    /// For refund lines: the provider's own id of the refund.
    pub provider_refund_id: Option<String>,
    /// The gross amount of the payment or refund, positive, in minor units of `currency`.
    pub amount_minor: i64,
    /// ISO 4217, upper case, as the statement gives it (CNY where it gives none).
    pub currency: String,
    /// The provider's fee on this line in minor units (rounded half away from zero when the
    /// statement is more precise): positive when charged, negative when returned.
    pub fee_minor: i64,
    pub status: LineStatus,
    /// When the provider completed it, when the line says.
    pub at: Option<Timestamp>,
}

/// A statement's own totals, as the provider states them (Alipay's footer, WeChat Pay's
/// summary row; for Stripe, the sums of its lines). Parsers check their rows against them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProviderTotals {
    pub payments: u64,
    pub payment_minor: i64,
    pub refunds: u64,
    pub refund_minor: i64,
    pub fee_minor: i64,
}

/// Why a statement could not be had or read whole. Nothing is concluded from such a
/// statement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct StatementError {
    /// A stable reason, one of the `STATEMENT_*` codes below.
    pub code: &'static str,
    pub message: String,
}

impl StatementError {
    /// The provider has no statement for the day yet (or never will: a day with nothing).
    pub const NOT_READY: &'static str = "STATEMENT_NOT_READY";
    /// The provider answered the statement request with an error.
    pub const PROVIDER_ERROR: &'static str = "STATEMENT_PROVIDER_ERROR";
    /// The statement could not be downloaded (transport, expired URL, an error status).
    pub const DOWNLOAD_FAILED: &'static str = "STATEMENT_DOWNLOAD_FAILED";
    /// The download is larger than [`MAX_STATEMENT_BYTES`].
    pub const TOO_LARGE: &'static str = "STATEMENT_TOO_LARGE";
    /// The archive or compressed stream is cut short or corrupt.
    pub const TRUNCATED: &'static str = "STATEMENT_TRUNCATED";
    /// The content does not match the hash the provider gave.
    pub const HASH_MISMATCH: &'static str = "STATEMENT_HASH_MISMATCH";
    /// The text is not in the provider's encoding.
    pub const ENCODING: &'static str = "STATEMENT_ENCODING";
    /// A column the parser needs is missing, or the header is not one it knows.
    pub const COLUMNS: &'static str = "STATEMENT_COLUMNS";
    /// A line does not parse (an amount, a time, a status).
    pub const MALFORMED: &'static str = "STATEMENT_MALFORMED";
    /// The rows do not add up to the totals the statement states.
    pub const TOTALS: &'static str = "STATEMENT_TOTALS";
    /// The channel's provider offers no statements.
    pub const UNSUPPORTED: &'static str = "STATEMENT_UNSUPPORTED";

    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// A download of `what` that failed in transport, or was longer than it may be.
    pub fn download(what: impl std::fmt::Display, failure: &ChannelFailure) -> Self {
        let code = if failure.code == "RESPONSE_TOO_LARGE" {
            Self::TOO_LARGE
        } else {
            Self::DOWNLOAD_FAILED
        };
        Self::new(
            code,
            format!("downloading {what}: {}: {}", failure.code, failure.message),
        )
    }
}

/// A statement being read. Lines come in batches; the end (an empty batch) is given only
/// once the whole statement was read and checked (hash, totals), so a reader that fails
/// part way never looks like a short statement.
#[async_trait]
pub trait StatementReader: Send {
    /// Up to `max` further lines (at least one unless the statement ended).
    async fn next_batch(&mut self, max: usize) -> Result<Vec<StatementLine>, StatementError>;

    /// The statement's own totals; known once `next_batch` gave the end.
    fn totals(&self) -> Option<ProviderTotals>;
}

/// A statement that is already downloaded and parses without waiting, line by line.
pub trait LineParser: Send {
    /// The next line, or `None` at the end of a whole, checked statement.
    fn next_line(&mut self) -> Result<Option<StatementLine>, StatementError>;

    fn totals(&self) -> Option<ProviderTotals>;
}

/// Reads a [`LineParser`] as a [`StatementReader`].
pub struct Parsed<P>(pub P);

#[async_trait]
impl<P: LineParser> StatementReader for Parsed<P> {
    async fn next_batch(&mut self, max: usize) -> Result<Vec<StatementLine>, StatementError> {
        let mut batch = Vec::with_capacity(max.min(1024));
        while batch.len() < max {
            match self.0.next_line()? {
                Some(line) => batch.push(line),
                None => break,
            }
        }
        Ok(batch)
    }

    fn totals(&self) -> Option<ProviderTotals> {
        self.0.totals()
    }
}

/// An exact decimal amount (`"12.30"`, `"-0.5"`, `"3"`) in minor units of a currency with
/// `exponent` decimals; `None` when it is not a decimal or has more decimals than that.
pub fn minor_units(text: &str, exponent: u8) -> Option<i64> {
    let (negative, digits) = split_sign(text)?;
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if frac.len() > usize::from(exponent) {
        return None;
    }
    let value = scaled(whole, frac, exponent)?;
    Some(if negative { -value } else { value })
}

/// A decimal amount in minor units, rounded half away from zero when it has more decimals
/// than the currency (WeChat Pay writes fees with 5).
pub fn rounded_minor_units(text: &str, exponent: u8) -> Option<i64> {
    let (negative, digits) = split_sign(text)?;
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let keep = frac.len().min(usize::from(exponent));
    let (kept, dropped) = frac.split_at(keep);
    if !dropped.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut value = scaled(whole, kept, exponent)?;
    if dropped.as_bytes().first().is_some_and(|&c| c >= b'5') {
        value = value.checked_add(1)?;
    }
    Some(if negative { -value } else { value })
}

fn split_sign(text: &str) -> Option<(bool, &str)> {
    let t = text.trim();
    Some(match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    })
}

/// `whole.frac` times 10^exponent, with `frac` at most `exponent` digits.
fn scaled(whole: &str, frac: &str, exponent: u8) -> Option<i64> {
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !digits(whole) || !digits(frac) {
        return None;
    }
    let mut value: i64 = 0;
    for c in whole.bytes().chain(frac.bytes()) {
        value = value.checked_mul(10)?.checked_add(i64::from(c - b'0'))?;
    }
    for _ in frac.len()..usize::from(exponent) {
        value = value.checked_mul(10)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_become_exact_minor_units() {
        assert_eq!(minor_units("12.30", 2), Some(1230));
        assert_eq!(minor_units(" -0.5 ", 2), Some(-50));
        assert_eq!(minor_units("3", 2), Some(300));
        assert_eq!(minor_units("0.01", 2), Some(1));
        assert_eq!(minor_units("100", 0), Some(100));
        for bad in [
            "",
            "-",
            ".",
            "1.234",
            "1,00",
            "1e3",
            "--1",
            "0x10",
            "99999999999999999999",
        ] {
            assert_eq!(minor_units(bad, 2), None, "{bad}");
        }
    }

    #[test]
    fn precise_fees_round_half_away_from_zero() {
        assert_eq!(rounded_minor_units("0.00600", 2), Some(1));
        assert_eq!(rounded_minor_units("0.00499", 2), Some(0));
        assert_eq!(rounded_minor_units("0.00500", 2), Some(1));
        assert_eq!(rounded_minor_units("-0.00600", 2), Some(-1));
        assert_eq!(rounded_minor_units("1.23", 2), Some(123));
        assert_eq!(rounded_minor_units("0.0x", 2), None);
        assert_eq!(rounded_minor_units("0.00x", 2), None);
    }
}
