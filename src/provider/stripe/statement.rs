//! Stripe's statement: the balance transactions created during a UTC day, listed page by page
//! (`GET /v1/balance_transactions`, newest first) with each one's source expanded, so that a
//! charge names its PaymentIntent and a refund carries paycore's refund id. Stripe states no
//! totals for such a list: the statement's totals are the sums of its lines.

use async_trait::async_trait;
use serde_json::Value;

use super::{PAYMENT_ID_KEY, REFUND_ID_KEY, authorized};
use crate::domain::{Currency, Secret, Timestamp};
use crate::provider::executor::{Executor, Request};
use crate::provider::statement::{
    LineKind, LineStatus, ProviderTotals, StatementError, StatementLine, StatementReader,
};

/// Transactions asked for per page: the most Stripe gives.
const PAGE_SIZE: u32 = 100;
/// Largest page read. A hundred transactions with their charges expanded can pass the 1 MiB
/// that ordinary answers are held to.
const MAX_PAGE_BYTES: usize = 16 << 20;

/// Where, and as whom, pages are asked for.
pub struct Account {
    pub executor: Executor,
    pub secret_key: Secret<String>,
    pub base_url: String,
}

/// The day in Unix seconds: transactions `created` in `[start, end)`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub start: i64,
    pub end: i64,
}

/// Which page comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cursor {
    First,
    /// The page after this transaction id (`starting_after`).
    After(String),
    /// The last page was read.
    End,
}

impl Cursor {
    fn describe(&self) -> String {
        match self {
            Self::First => "the first page".into(),
            Self::After(id) => format!("the page after {id}"),
            Self::End => "the end".into(),
        }
    }
}

/// One page, parsed and checked.
#[derive(Debug)]
struct Page {
    lines: Vec<StatementLine>,
    /// The last transaction's id when Stripe has more (`has_more`).
    next: Option<String>,
}

/// The day's balance transactions, one page held at a time.
pub struct Pages {
    account: Account,
    window: Window,
    cursor: Cursor,
    page: std::vec::IntoIter<StatementLine>,
    /// Lines parsed so far, across pages.
    read: u64,
    totals: ProviderTotals,
}

impl Pages {
    pub fn new(account: Account, window: Window) -> Self {
        Self {
            account,
            window,
            cursor: Cursor::First,
            page: Vec::new().into_iter(),
            read: 0,
            totals: ProviderTotals::default(),
        }
    }

    fn url(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("created[gte]", &self.window.start.to_string())
            .append_pair("created[lt]", &self.window.end.to_string())
            .append_pair("limit", &PAGE_SIZE.to_string())
            .append_pair("expand[]", "data.source");
        if let Cursor::After(id) = &self.cursor {
            query.append_pair("starting_after", id);
        }
        format!(
            "{}/v1/balance_transactions?{}",
            self.account.base_url,
            query.finish()
        )
    }

    /// The next page's body, or why Stripe did not give it.
    async fn fetch(&self) -> Result<Vec<u8>, StatementError> {
        let request = Request {
            method: http::Method::GET,
            url: self.url(),
            headers: authorized(&self.account.secret_key),
            body: Vec::new(),
        };
        let response = self
            .account
            .executor
            .send_limited(request, MAX_PAGE_BYTES)
            .await
            .map_err(|f| {
                let what = format!("Stripe balance transactions, {}", self.cursor.describe());
                StatementError::download(what, &f)
            })?;
        if (200..300).contains(&response.status) {
            return Ok(response.body);
        }
        Err(answer_error(
            response.status,
            &response.body,
            &self.cursor.describe(),
        ))
    }

    /// Reads the next page into `self.page`, its lines into the totals.
    async fn advance(&mut self) -> Result<(), StatementError> {
        let body = self.fetch().await?;
        let where_ = self.cursor.describe();
        let page = parse_page(&body, self.read + 1, self.window).map_err(|e| {
            StatementError::new(
                e.code,
                format!("Stripe balance transactions, {where_}: {}", e.message),
            )
        })?;
        let mut totals = self.totals;
        for line in &page.lines {
            tally(&mut totals, line).ok_or_else(|| {
                StatementError::new(
                    StatementError::MALFORMED,
                    format!(
                        "Stripe balance transaction {}: the sums overflow",
                        line.number
                    ),
                )
            })?;
        }
        let next = match page.next {
            // A server that ignored `starting_after` would give the same page forever.
            Some(id) if Cursor::After(id.clone()) == self.cursor => {
                return Err(StatementError::new(
                    StatementError::MALFORMED,
                    format!("Stripe balance transactions: {where_} ends with {id} again"),
                ));
            }
            Some(id) => Cursor::After(id),
            None => Cursor::End,
        };
        self.read = page.lines.last().map_or(self.read, |l| l.number);
        self.totals = totals;
        self.cursor = next;
        self.page = page.lines.into_iter();
        Ok(())
    }
}

#[async_trait]
impl StatementReader for Pages {
    async fn next_batch(&mut self, max: usize) -> Result<Vec<StatementLine>, StatementError> {
        loop {
            let batch: Vec<StatementLine> = self.page.by_ref().take(max.max(1)).collect();
            if !batch.is_empty() || self.cursor == Cursor::End {
                return Ok(batch);
            }
            self.advance().await?;
        }
    }

    /// The sums of the lines: Stripe states no totals of its own.
    fn totals(&self) -> Option<ProviderTotals> {
        (self.cursor == Cursor::End && self.page.len() == 0).then_some(self.totals)
    }
}

/// An answer other than 2xx: Stripe's error object if it sent one.
fn answer_error(status: u16, body: &[u8], where_: &str) -> StatementError {
    let error = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|json| json.get("error").filter(|e| e.is_object()).cloned());
    match error {
        Some(e) => StatementError::new(
            StatementError::PROVIDER_ERROR,
            format!(
                "Stripe refused the balance transactions list, {where_} (HTTP {status}, type \
                 {:?}, code {:?}): {}",
                text(&e, "type"),
                text(&e, "code"),
                text(&e, "message")
            ),
        ),
        None => StatementError::new(
            StatementError::DOWNLOAD_FAILED,
            format!("Stripe balance transactions, {where_}: HTTP {status} without a Stripe error"),
        ),
    }
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn malformed(message: String) -> StatementError {
    StatementError::new(StatementError::MALFORMED, message)
}

/// A list page: `data` and `has_more`, each item a line numbered from `first`.
fn parse_page(body: &[u8], first: u64, window: Window) -> Result<Page, StatementError> {
    let json: Value = serde_json::from_slice(body)
        .map_err(|e| malformed(format!("the page is not JSON ({e})")))?;
    let data = json
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("the page has no `data` list".into()))?;
    let has_more = json
        .get("has_more")
        .and_then(Value::as_bool)
        .ok_or_else(|| malformed("the page has no `has_more`".into()))?;
    let lines = data
        .iter()
        .zip(first..)
        .map(|(item, number)| parse_line(item, number, window))
        .collect::<Result<Vec<_>, _>>()?;
    let next = match (has_more, data.last()) {
        (false, _) => None,
        (true, Some(last)) => Some(text(last, "id").to_owned()),
        // Asking again after nothing would give the same answer forever.
        (true, None) => {
            return Err(malformed(
                "the page says it has more but lists no transactions".into(),
            ));
        }
    };
    Ok(Page { lines, next })
}

/// One balance transaction as a line: charges and payments are payments, refunds refunds,
/// and every other type (payouts, adjustments, Stripe's own fees) is counted as it is.
fn parse_line(item: &Value, number: u64, window: Window) -> Result<StatementLine, StatementError> {
    let id = text(item, "id");
    let fail = |what: String| malformed(format!("transaction {number} ({id:?}): {what}"));
    if id.is_empty() {
        return Err(fail("no `id`".into()));
    }
    let kind = text(item, "type");
    if kind.is_empty() {
        return Err(fail("no `type`".into()));
    }
    let int = |key: &str| {
        item.get(key)
            .and_then(Value::as_i64)
            .ok_or_else(|| fail(format!("`{key}` is not an integer")))
    };
    let (amount, fee, net, created) = (int("amount")?, int("fee")?, int("net")?, int("created")?);
    if amount.checked_sub(fee) != Some(net) {
        return Err(fail(format!(
            "net {net} is not the amount {amount} less the fee {fee}"
        )));
    }
    let currency = Currency::parse(&text(item, "currency").to_ascii_uppercase())
        .ok_or_else(|| fail(format!("currency {:?} is unknown", text(item, "currency"))))?;
    if !(window.start..window.end).contains(&created) {
        return Err(fail(format!(
            "created {created} is outside the day [{}, {})",
            window.start, window.end
        )));
    }
    let mut line = StatementLine {
        number,
        kind: LineKind::Other(kind.to_owned()),
        transaction_id: None,
        payment_id: None,
        refund_id: None,
        provider_refund_id: None,
        amount_minor: amount
            .checked_abs()
            .ok_or_else(|| fail(format!("amount {amount} is out of range")))?,
        currency: currency.code().to_owned(),
        // Stripe's sign is the line's: positive when charged, negative when returned.
        fee_minor: fee,
        status: LineStatus::Succeeded,
        at: created.checked_mul(1_000_000).map(Timestamp::from_micros),
    };
    let source = |object: &str| {
        item.get("source")
            .filter(|s| text(s, "object") == object && !text(s, "id").is_empty())
            .ok_or_else(|| fail(format!("`source` is not an expanded {object}")))
    };
    match kind {
        "charge" | "payment" => {
            let charge = source("charge")?;
            line.kind = LineKind::Payment;
            line.transaction_id = id_of(charge.get("payment_intent"));
            line.payment_id = metadata(charge, PAYMENT_ID_KEY);
        }
        "refund" | "payment_refund" => {
            let refund = source("refund")?;
            line.kind = LineKind::Refund;
            line.transaction_id = id_of(refund.get("payment_intent"));
            line.refund_id = metadata(refund, REFUND_ID_KEY);
            line.provider_refund_id = Some(text(refund, "id").to_owned());
            line.status = match text(refund, "status") {
                "succeeded" => LineStatus::Succeeded,
                "pending" | "requires_action" => LineStatus::Processing,
                "failed" | "canceled" => LineStatus::Failed,
                other => return Err(fail(format!("refund status {other:?} is unknown"))),
            };
        }
        _ => {}
    }
    Ok(line)
}

/// An expandable field's id, whether it came as an id or as an object.
fn id_of(field: Option<&Value>) -> Option<String> {
    let id = match field? {
        Value::String(id) => id.as_str(),
        object => text(object, "id"),
    };
    (!id.is_empty()).then(|| id.to_owned())
}

fn metadata(object: &Value, key: &str) -> Option<String> {
    object
        .get("metadata")
        .map(|m| text(m, key))
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Adds a line to the sums: payments and refunds counted with their gross amounts, fees of
/// every line. `None` on overflow.
fn tally(totals: &mut ProviderTotals, line: &StatementLine) -> Option<()> {
    match line.kind {
        LineKind::Payment => {
            totals.payments += 1;
            totals.payment_minor = totals.payment_minor.checked_add(line.amount_minor)?;
        }
        LineKind::Refund => {
            totals.refunds += 1;
            totals.refund_minor = totals.refund_minor.checked_add(line.amount_minor)?;
        }
        LineKind::Reversal | LineKind::Other(_) => {}
    }
    totals.fee_minor = totals.fee_minor.checked_add(line.fee_minor)?;
    Some(())
}

#[cfg(test)]
mod tests;
