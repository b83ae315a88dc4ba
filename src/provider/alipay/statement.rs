//! Alipay's trade statement: `alipay.data.dataservice.bill.downloadurl.query` gives a
//! short-lived URL of a zip of GBK CSVs; the detail file (`…_业务明细.csv`) is read line by
//! line from the archive and checked against its own footer totals.
//!
//! Sign of amounts: the file writes refunds as negative 订单金额 and 商家实收, and the 服务费
//! Alipay keeps as a negative number (a refund's returned fee positive). Lines carry the
//! 订单金额 positive, and the fee the other way round from the file: charged is positive.

use std::io::{BufRead, BufReader};

use serde_json::Value;

use super::wire::parse_china_time;
use super::zip::{Archive, EntryReader};
use super::{Alipay, CallError};
use crate::domain::Day;
use crate::provider::executor::Request;
use crate::provider::statement::{
    LineKind, LineParser, LineStatus, MAX_STATEMENT_BYTES, Parsed, ProviderTotals, StatementError,
    StatementLine, StatementReader, minor_units,
};

const METHOD: &str = "alipay.data.dataservice.bill.downloadurl.query";

/// Sub codes meaning the day's bill does not exist (yet): Alipay makes it the next day, and
/// none for a day without trades.
const NOT_READY: &[&str] = &["isp.bill_not_exist", "bill_not_exist", "no_bill_data"];

/// Longer lines are refused rather than buffered: a row is a few hundred bytes.
const MAX_LINE: usize = 64 << 10;

/// The columns read, by header name (full-width parentheses read as ASCII ones).
const TRADE_NO: &str = "支付宝交易号";
const OUT_TRADE_NO: &str = "商户订单号";
const KIND: &str = "业务类型";
const FINISHED: &str = "完成时间";
const ORDER_AMOUNT: &str = "订单金额(元)";
const RECEIVED: &str = "商家实收(元)";
const FEE: &str = "服务费(元)";
const REQUEST_NO: &str = "退款批次号/请求号";
const REQUIRED: [&str; 8] = [
    TRADE_NO,
    OUT_TRADE_NO,
    KIND,
    FINISHED,
    ORDER_AMOUNT,
    RECEIVED,
    FEE,
    REQUEST_NO,
];

fn error(code: &'static str, message: impl Into<String>) -> StatementError {
    StatementError::new(code, message)
}

impl Alipay {
    /// Asks for `day`'s trade bill, downloads it, and opens its detail file.
    pub(super) async fn trade_statement(
        &self,
        day: Day,
    ) -> Result<Box<dyn StatementReader>, StatementError> {
        let biz = serde_json::json!({ "bill_type": "trade", "bill_date": day.to_string() });
        let inner = self.call(METHOD, biz).await.map_err(|e| refused(e, day))?;
        let url = inner
            .get("bill_download_url")
            .and_then(Value::as_str)
            .filter(|u| !u.is_empty())
            .ok_or_else(|| {
                error(
                    StatementError::PROVIDER_ERROR,
                    format!("Alipay's bill answer for {day} has no bill_download_url"),
                )
            })?;
        let response = self
            .executor
            .send_limited(
                Request {
                    method: http::Method::GET,
                    url: url.to_owned(),
                    headers: Vec::new(),
                    body: Vec::new(),
                },
                MAX_STATEMENT_BYTES,
            )
            .await
            .map_err(|f| StatementError::download(format_args!("the {day} bill"), &f))?;
        if !(200..300).contains(&response.status) {
            return Err(error(
                StatementError::DOWNLOAD_FAILED,
                format!(
                    "downloading the {day} bill: HTTP {} (the URL is valid for about 30 s)",
                    response.status
                ),
            ));
        }
        Ok(Box::new(Parsed(Bill::open(response.body)?)))
    }
}

/// The statement error for a bill request Alipay did not answer with a URL.
fn refused(e: CallError, day: Day) -> StatementError {
    match e {
        CallError::Answer {
            code,
            sub_code,
            message,
        } => {
            let lower = sub_code.to_ascii_lowercase();
            let kind = if NOT_READY.iter().any(|n| lower.ends_with(n)) {
                StatementError::NOT_READY
            } else {
                StatementError::PROVIDER_ERROR
            };
            error(
                kind,
                format!("Alipay has no {day} bill: {code} {sub_code}: {message}"),
            )
        }
        CallError::Transport(f) => {
            // An answer that came but cannot be trusted is the provider's; no answer at all
            // is a failed download of the bill's address.
            let kind = match f.code.as_str() {
                "RESPONSE_SIGNATURE_INVALID" | "MALFORMED_RESPONSE" => {
                    StatementError::PROVIDER_ERROR
                }
                _ => StatementError::DOWNLOAD_FAILED,
            };
            error(
                kind,
                format!(
                    "asking Alipay for the {day} bill: {}: {}",
                    f.code, f.message
                ),
            )
        }
    }
}

/// The detail file's name ends so; the summary's ends `业务明细(汇总).csv`.
fn is_detail(name: &str) -> bool {
    name.ends_with("业务明细.csv")
}

/// Where each needed column is.
struct Columns {
    at: [usize; REQUIRED.len()],
    width: usize,
}

impl Columns {
    fn find(header: &[String], file: &str, number: u64) -> Result<Self, StatementError> {
        let mut at = [0; REQUIRED.len()];
        for (slot, name) in at.iter_mut().zip(REQUIRED) {
            *slot = header.iter().position(|h| h == name).ok_or_else(|| {
                error(
                    StatementError::COLUMNS,
                    format!(
                        "{file}: the header (line {number}) has no column {name}; it has {}",
                        header.join(",")
                    ),
                )
            })?;
        }
        Ok(Self {
            at,
            width: header.len(),
        })
    }

    fn get<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        REQUIRED
            .iter()
            .position(|n| *n == name)
            .and_then(|i| row.get(self.at[i]))
            .map_or("", String::as_str)
    }
}

/// Splits a CSV line; a field may be quoted (`""` inside for a quote). Spaces and tabs
/// around a field are padding.
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.trim_matches([' ', '\t']).is_empty() => {
                field.clear();
                quoted = true;
            }
            ',' if !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out.into_iter()
        .map(|f| f.trim_matches([' ', '\t']).to_owned())
        .collect()
}

/// A header cell as matched: trimmed, full-width parentheses as ASCII.
fn header_name(cell: &str) -> String {
    cell.replace('（', "(").replace('）', ")")
}

/// A number of rows and their 商家实收 in fen as the file writes it (refunds negative): as
/// the rows add up, or as the footer states.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    count: u64,
    fen: i64,
}

impl Tally {
    fn add(&mut self, fen: i64) {
        self.count += 1;
        self.fen += fen;
    }
}

/// `#交易合计：N笔，商家实收共X元，…` after its label: the count, and the amount that
/// follows `amount_label`.
fn footer(rest: &str, amount_label: &str) -> Option<Tally> {
    let rest = rest.trim_start_matches([':', '：', ' ']);
    let (count, rest) = rest.split_once('笔')?;
    let count = count.trim().parse().ok()?;
    let (_, amount) = rest.split_once(amount_label)?;
    let (amount, _) = amount.split_once('元')?;
    Some(Tally {
        count,
        fen: minor_units(amount, 2)?,
    })
}

/// The detail file of a downloaded bill, read line by line.
pub struct Bill {
    lines: BufReader<EntryReader>,
    file: String,
    buf: Vec<u8>,
    /// The number of the line last read.
    number: u64,
    columns: Columns,
    trades: Tally,
    refunds: Tally,
    fee_minor: i64,
    totals: Option<ProviderTotals>,
}

impl Bill {
    /// Opens the detail file of the zip `bytes` and reads up to its header.
    pub fn open(bytes: Vec<u8>) -> Result<Self, StatementError> {
        if !bytes.starts_with(b"PK\x03\x04") {
            // An expired link answers with a page, not an archive.
            let start = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]).into_owned();
            return Err(error(
                StatementError::DOWNLOAD_FAILED,
                format!("the bill download is not a zip archive: {start:?}"),
            ));
        }
        let archive = Archive::open(bytes)
            .map_err(|c| error(StatementError::TRUNCATED, format!("the bill zip: {}", c.0)))?;
        let names: Vec<&str> = archive.entries().iter().map(|e| e.name.as_str()).collect();
        let Some(index) = names.iter().position(|n| is_detail(n)) else {
            return Err(error(
                StatementError::MALFORMED,
                format!(
                    "the bill zip has no …_业务明细.csv; it holds {}",
                    names.join(", ")
                ),
            ));
        };
        let entry = archive
            .into_entry(index)
            .map_err(|c| error(StatementError::TRUNCATED, format!("the bill zip: {}", c.0)))?;
        let file = entry.name().to_owned();
        let mut bill = Self {
            lines: BufReader::new(entry),
            file,
            buf: Vec::new(),
            number: 0,
            columns: Columns {
                at: [0; REQUIRED.len()],
                width: 0,
            },
            trades: Tally::default(),
            refunds: Tally::default(),
            fee_minor: 0,
            totals: None,
        };
        loop {
            let Some(line) = bill.line()? else {
                return Err(bill.fail(StatementError::TRUNCATED, "ends before its header"));
            };
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let header: Vec<String> = fields(&line).iter().map(|c| header_name(c)).collect();
            bill.columns = Columns::find(&header, &bill.file, bill.number)?;
            return Ok(bill);
        }
    }

    fn fail(&self, code: &'static str, what: impl std::fmt::Display) -> StatementError {
        error(code, format!("{}: {what}", self.file))
    }

    fn at_line(&self, code: &'static str, what: impl std::fmt::Display) -> StatementError {
        self.fail(code, format_args!("line {}: {what}", self.number))
    }

    /// The next line as text, without its line end; `None` at the end of a whole file.
    fn line(&mut self) -> Result<Option<String>, StatementError> {
        self.buf.clear();
        loop {
            let available = match self.lines.fill_buf() {
                Ok(available) => available,
                // The archive's stream failed: cut short, corrupt, or its CRC-32 differs.
                Err(e) => {
                    return Err(error(
                        StatementError::TRUNCATED,
                        format!("{}: after line {}: {e}", self.file, self.number),
                    ));
                }
            };
            if available.is_empty() {
                break;
            }
            let (take, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            self.buf.extend_from_slice(&available[..take]);
            self.lines.consume(take);
            if self.buf.len() > MAX_LINE {
                return Err(self.fail(
                    StatementError::MALFORMED,
                    format_args!("line {} is longer than {MAX_LINE} bytes", self.number + 1),
                ));
            }
            if done {
                break;
            }
        }
        if self.buf.is_empty() {
            return Ok(None);
        }
        self.number += 1;
        let end = self.buf.len()
            - self.buf.ends_with(b"\n") as usize
            - self.buf.ends_with(b"\r\n") as usize;
        match encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(&self.buf[..end])
        {
            Some(text) => Ok(Some(text.into_owned())),
            None => Err(self.at_line(StatementError::ENCODING, "is not GBK text")),
        }
    }

    fn amount(&self, row: &[String], column: &str) -> Result<i64, StatementError> {
        let text = self.columns.get(row, column);
        minor_units(text, 2).ok_or_else(|| {
            self.at_line(
                StatementError::MALFORMED,
                format_args!("{column} {text:?} is not an amount in yuan"),
            )
        })
    }

    fn row(&mut self, line: &str) -> Result<StatementLine, StatementError> {
        let row = fields(line);
        // More fields than the header: commas in the last column's free text (备注), which is
        // not read.
        if row.len() < self.columns.width {
            return Err(self.at_line(
                StatementError::MALFORMED,
                format_args!(
                    "has {} fields, the header {}",
                    row.len(),
                    self.columns.width
                ),
            ));
        }
        let text = |name: &str| {
            Some(self.columns.get(&row, name))
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let order = self.amount(&row, ORDER_AMOUNT)?;
        let received = self.amount(&row, RECEIVED)?;
        let fee = match self.columns.get(&row, FEE) {
            "" => 0,
            _ => -self.amount(&row, FEE)?,
        };
        let finished = self.columns.get(&row, FINISHED);
        let at = match finished {
            "" => None,
            t => Some(parse_china_time(t).ok_or_else(|| {
                self.at_line(
                    StatementError::MALFORMED,
                    format_args!("{FINISHED} {t:?} is not yyyy-MM-dd HH:mm:ss"),
                )
            })?),
        };
        let (transaction_id, payment_id) = (text(TRADE_NO), text(OUT_TRADE_NO));
        let (mut refund_id, mut provider_refund_id) = (None, None);
        let kind = match self.columns.get(&row, KIND) {
            "交易" if order >= 0 => {
                self.trades.add(received);
                LineKind::Payment
            }
            "退款" if order <= 0 => {
                self.refunds.add(received);
                refund_id = text(REQUEST_NO);
                // paycore names an Alipay refund by its trade and request number.
                provider_refund_id = transaction_id
                    .as_ref()
                    .zip(refund_id.as_ref())
                    .map(|(t, r)| format!("{t}:{r}"));
                LineKind::Refund
            }
            k @ ("交易" | "退款") => {
                return Err(self.at_line(
                    StatementError::MALFORMED,
                    format_args!("a {k} row with {ORDER_AMOUNT} of the wrong sign"),
                ));
            }
            other => LineKind::Other(other.to_owned()),
        };
        self.fee_minor += fee;
        Ok(StatementLine {
            number: self.number,
            kind,
            transaction_id,
            payment_id,
            refund_id,
            provider_refund_id,
            amount_minor: order.abs(),
            currency: "CNY".into(),
            fee_minor: fee,
            status: LineStatus::Succeeded,
            at,
        })
    }

    /// Reads the footer after the rows to the end of the file and checks the rows against it.
    fn finish(&mut self) -> Result<(), StatementError> {
        let (mut trades, mut refunds) = (None, None);
        while let Some(line) = self.line()? {
            let Some(comment) = line.strip_prefix('#') else {
                if line.trim().is_empty() {
                    continue;
                }
                return Err(self.at_line(StatementError::MALFORMED, "is a row after the list"));
            };
            let unreadable = || {
                self.at_line(
                    StatementError::MALFORMED,
                    format_args!("footer {line:?} does not read as N笔，…共X元"),
                )
            };
            if let Some(rest) = comment.strip_prefix("交易合计") {
                trades = Some((
                    footer(rest, "商家实收共").ok_or_else(unreadable)?,
                    self.number,
                ));
            } else if let Some(rest) = comment.strip_prefix("退款合计") {
                refunds = Some((
                    footer(rest, "商家实收退款共").ok_or_else(unreadable)?,
                    self.number,
                ));
            }
        }
        let missing = |what| {
            self.fail(
                StatementError::TRUNCATED,
                format_args!("no #{what} footer: the file is cut short"),
            )
        };
        let (trades, trades_at) = trades.ok_or_else(|| missing("交易合计"))?;
        let (refunds, refunds_at) = refunds.ok_or_else(|| missing("退款合计"))?;
        self.check("交易", self.trades, trades, trades_at)?;
        self.check("退款", self.refunds, refunds, refunds_at)?;
        self.totals = Some(ProviderTotals {
            payments: trades.count,
            payment_minor: trades.fen,
            refunds: refunds.count,
            refund_minor: -refunds.fen,
            fee_minor: self.fee_minor,
        });
        Ok(())
    }

    /// Whether the `what` rows add up to what the footer on line `at` states.
    fn check(&self, what: &str, rows: Tally, stated: Tally, at: u64) -> Result<(), StatementError> {
        if rows == stated {
            return Ok(());
        }
        Err(self.fail(
            StatementError::TOTALS,
            format_args!(
                "the {what} rows add up to {} of {} yuan received, the footer (line {at}) \
                 states {} of {} yuan",
                rows.count,
                yuan(rows.fen),
                stated.count,
                yuan(stated.fen)
            ),
        ))
    }
}

/// Fen as a yuan amount, for messages.
fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        fen.unsigned_abs() / 100,
        fen.unsigned_abs() % 100
    )
}

impl LineParser for Bill {
    fn next_line(&mut self) -> Result<Option<StatementLine>, StatementError> {
        if self.totals.is_some() {
            return Ok(None);
        }
        loop {
            let Some(line) = self.line()? else {
                return Err(self.fail(
                    StatementError::TRUNCATED,
                    "ends inside the list, before 业务明细列表结束 and its totals",
                ));
            };
            if line.trim().is_empty() {
                continue;
            }
            if line.starts_with('#') {
                self.finish()?;
                return Ok(None);
            }
            return self.row(&line).map(Some);
        }
    }

    fn totals(&self) -> Option<ProviderTotals> {
        self.totals
    }
}

#[cfg(test)]
mod tests;
