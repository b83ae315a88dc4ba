//! The trade bill's file: gzip of UTF-8 CSV whose values each start with a backtick, read
//! line by line while its SHA1 is computed on the way. See the parent module for the
//! decisions on amounts and totals.

use std::io::{BufRead, BufReader, Cursor, Read};

use flate2::read::GzDecoder;
use sha1::{Digest, Sha1};

use crate::domain::Timestamp;
use crate::domain::time::{CHINA_OFFSET_SECS, Civil};
use crate::provider::statement::{
    LineKind, LineParser, LineStatus, ProviderTotals, StatementError, StatementLine, minor_units,
    rounded_minor_units,
};

/// Longest line read; a bill's line is a few hundred bytes, so anything longer is not a bill.
const MAX_LINE: usize = 64 << 10;

/// Fees are written with five decimals; their totals are checked in these units.
const FEE_DECIMALS: u8 = 5;

/// The bill's amounts are yuan with fen.
const YUAN_DECIMALS: u8 = 2;

fn error(code: &'static str, message: impl Into<String>) -> StatementError {
    StatementError::new(code, message)
}

/// A trade bill (bill_type ALL) as WeChat Pay writes it: `gzipped` is the download as is, and
/// `sha1_hex` the SHA1 of its uncompressed bytes, when one was given with it.
pub fn parse_tradebill(gzipped: Vec<u8>, sha1_hex: Option<String>) -> TradeBill {
    TradeBill {
        reader: BufReader::new(Hashing {
            inner: GzDecoder::new(Cursor::new(gzipped)),
            sha1: Sha1::new(),
        }),
        expected_sha1: sha1_hex,
        line: Vec::new(),
        number: 0,
        stage: Stage::Header,
        sums: Sums::default(),
        totals: None,
        failed: None,
    }
}

/// Hands on what the decoder gives and hashes it on the way.
struct Hashing<R> {
    inner: R,
    sha1: Sha1,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sha1.update(&buf[..n]);
        Ok(n)
    }
}

/// Which generation of the ALL layout a header is. Accounts that never enabled 免充值券 still
/// get the early layout: 总金额 for 应结订单金额, 子商户号 for 特约商户号, the coupon
/// columns named 代金券或立减优惠金额 or 企业红包金额, and no 订单金额, 申请退款金额 or 费率备注.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Current,
    Legacy,
}

impl Layout {
    fn amount(self) -> &'static str {
        match self {
            Self::Current => "应结订单金额",
            Self::Legacy => "总金额",
        }
    }

    /// The summary's columns: count, amount total, refund total, fee total.
    fn summary(self) -> [&'static str; 4] {
        match self {
            Self::Current => ["总交易单数", "应结订单总金额", "退款总金额", "手续费总金额"],
            Self::Legacy => ["总交易单数", "总交易额", "总退款金额", "手续费总金额"],
        }
    }
}

/// Where the columns a line needs are.
#[derive(Debug)]
struct Columns {
    width: usize,
    time: usize,
    transaction_id: usize,
    payment_id: usize,
    state: usize,
    currency: usize,
    amount: usize,
    provider_refund_id: usize,
    refund_id: usize,
    refund_amount: usize,
    refund_status: usize,
    fee: usize,
    layout: Layout,
}

/// Where the summary row's values are.
#[derive(Debug, Clone)]
struct SummaryColumns {
    width: usize,
    /// count, amount total, refund total, fee total.
    at: [usize; 4],
}

#[derive(Debug)]
enum Stage {
    Header,
    Rows(Columns),
    SummaryRow(SummaryColumns),
    /// The summary row was read: only the end may follow.
    End(Stated),
}

/// What the summary row states.
#[derive(Debug, Clone, Copy)]
struct Stated {
    line: u64,
    count: u64,
    amount: i64,
    refunds: i64,
    /// In 1e-5 yuan.
    fee: i64,
}

/// What the rows add up to.
#[derive(Debug, Default)]
struct Sums {
    rows: u64,
    refund_rows: u64,
    amount: i64,
    refunds: i64,
    /// In 1e-5 yuan.
    fee: i64,
}

/// A trade bill being read line by line; see [`parse_tradebill`].
pub struct TradeBill {
    reader: BufReader<Hashing<GzDecoder<Cursor<Vec<u8>>>>>,
    expected_sha1: Option<String>,
    line: Vec<u8>,
    /// The number of the last line read, from 1.
    number: u64,
    stage: Stage,
    sums: Sums,
    totals: Option<ProviderTotals>,
    /// Once a bill failed, it keeps failing the same way.
    failed: Option<StatementError>,
}

impl LineParser for TradeBill {
    fn next_line(&mut self) -> Result<Option<StatementLine>, StatementError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if self.totals.is_some() {
            return Ok(None);
        }
        self.step().inspect_err(|e| self.failed = Some(e.clone()))
    }

    fn totals(&self) -> Option<ProviderTotals> {
        self.totals
    }
}

impl TradeBill {
    fn step(&mut self) -> Result<Option<StatementLine>, StatementError> {
        loop {
            if !self.read_line()? {
                return self.finish().map(|()| None);
            }
            let raw = std::mem::take(&mut self.line);
            let result = self.take(&raw);
            self.line = raw;
            if let Some(line) = result? {
                return Ok(Some(line));
            }
        }
    }

    /// Reads the next line into `self.line` without its line break; false at the end.
    fn read_line(&mut self) -> Result<bool, StatementError> {
        self.line.clear();
        loop {
            let available = self.reader.fill_buf().map_err(|e| {
                error(
                    StatementError::TRUNCATED,
                    format!(
                        "the bill's gzip breaks off or is corrupt after line {}: {e}",
                        self.number
                    ),
                )
            })?;
            if available.is_empty() {
                if self.line.is_empty() {
                    return Ok(false);
                }
                break;
            }
            let (take, ends) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            if self.line.len() + take > MAX_LINE {
                return Err(error(
                    StatementError::MALFORMED,
                    format!(
                        "line {} of the bill is longer than {MAX_LINE} bytes",
                        self.number + 1
                    ),
                ));
            }
            self.line.extend_from_slice(&available[..take]);
            self.reader.consume(take);
            if ends {
                break;
            }
        }
        self.number += 1;
        while matches!(self.line.last(), Some(b'\n' | b'\r')) {
            self.line.pop();
        }
        Ok(true)
    }

    /// Takes one line; a detail row gives a statement line.
    fn take(&mut self, raw: &[u8]) -> Result<Option<StatementLine>, StatementError> {
        let bytes = match (self.number, raw) {
            (1, [0xEF, 0xBB, 0xBF, rest @ ..]) => rest,
            _ => raw,
        };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            error(
                StatementError::ENCODING,
                format!(
                    "line {} of the bill is not UTF-8 (byte {}): the file is not in WeChat \
                     Pay's encoding",
                    self.number,
                    e.valid_up_to() + 1
                ),
            )
        })?;
        if text.trim().is_empty() {
            return Ok(None);
        }
        let number = self.number;
        match &self.stage {
            Stage::Header => {
                self.stage = Stage::Rows(columns(text)?);
                Ok(None)
            }
            Stage::Rows(columns) if text.starts_with('`') => {
                let (line, amount, fee) = row(columns, number, text)?;
                self.add(&line, amount, fee)?;
                Ok(Some(line))
            }
            Stage::Rows(columns) => {
                let summary = summary_columns(columns.layout, number, text)?;
                self.stage = Stage::SummaryRow(summary);
                Ok(None)
            }
            Stage::SummaryRow(summary) => {
                self.stage = Stage::End(stated(summary, number, text)?);
                Ok(None)
            }
            Stage::End(stated) => Err(error(
                StatementError::MALFORMED,
                format!(
                    "line {number} follows the summary row (line {}); a bill ends with it",
                    stated.line
                ),
            )),
        }
    }

    fn add(&mut self, line: &StatementLine, amount: i64, fee: i64) -> Result<(), StatementError> {
        let s = &mut self.sums;
        s.rows += 1;
        let refund = if line.kind == LineKind::Refund {
            s.refund_rows += 1;
            line.amount_minor
        } else {
            0
        };
        let sum = |a: i64, b: i64| {
            a.checked_add(b).ok_or_else(|| {
                error(
                    StatementError::MALFORMED,
                    format!("line {}: the bill's amounts overflow", line.number),
                )
            })
        };
        s.amount = sum(s.amount, amount)?;
        s.refunds = sum(s.refunds, refund)?;
        s.fee = sum(s.fee, fee)?;
        Ok(())
    }

    /// At the end of the file: the hash, then the summary.
    fn finish(&mut self) -> Result<(), StatementError> {
        let Stage::End(stated) = self.stage else {
            return Err(error(
                StatementError::TRUNCATED,
                format!(
                    "the bill ends at line {} without its summary (总交易单数 …)",
                    self.number
                ),
            ));
        };
        if let Some(expected) = &self.expected_sha1 {
            let actual = hex::encode(self.reader.get_ref().sha1.clone().finalize());
            if !actual.eq_ignore_ascii_case(expected.trim()) {
                return Err(error(
                    StatementError::HASH_MISMATCH,
                    format!(
                        "the bill's SHA1 is {actual}, WeChat Pay gave {expected}: the file is \
                         not the one it described"
                    ),
                ));
            }
        }
        let s = &self.sums;
        let mismatch = |what: &str, said: String, rows: String| {
            error(
                StatementError::TOTALS,
                format!(
                    "the summary (line {}) gives {what} {said}, the rows add up to {rows}",
                    stated.line
                ),
            )
        };
        if stated.count != s.rows {
            return Err(mismatch(
                "总交易单数",
                stated.count.to_string(),
                s.rows.to_string(),
            ));
        }
        if stated.amount != s.amount {
            return Err(mismatch(
                "the amount total",
                decimal(stated.amount, YUAN_DECIMALS),
                decimal(s.amount, YUAN_DECIMALS),
            ));
        }
        if stated.refunds != s.refunds {
            return Err(mismatch(
                "the refund total",
                decimal(stated.refunds, YUAN_DECIMALS),
                decimal(s.refunds, YUAN_DECIMALS),
            ));
        }
        if stated.fee != s.fee {
            return Err(mismatch(
                "手续费总金额",
                decimal(stated.fee, FEE_DECIMALS),
                decimal(s.fee, FEE_DECIMALS),
            ));
        }
        self.totals = Some(ProviderTotals {
            payments: s.rows - s.refund_rows,
            payment_minor: stated.amount,
            refunds: s.refund_rows,
            refund_minor: stated.refunds,
            fee_minor: fen(stated.fee),
        });
        Ok(())
    }
}

/// 1e-5 yuan rounded half away from zero to fen.
fn fen(units: i64) -> i64 {
    let whole = units / 1000;
    let rest = units % 1000;
    if rest >= 500 {
        whole + 1
    } else if rest <= -500 {
        whole - 1
    } else {
        whole
    }
}

/// `value` with `decimals` places, for messages.
fn decimal(value: i64, decimals: u8) -> String {
    let scale = 10i64.pow(u32::from(decimals));
    let sign = if value < 0 { "-" } else { "" };
    let v = value.unsigned_abs();
    let s = scale.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        v / s,
        v % s,
        width = usize::from(decimals)
    )
}

/// The header's column positions, or why it is not a trade bill header.
fn columns(text: &str) -> Result<Columns, StatementError> {
    let names: Vec<&str> = text
        .split(',')
        .map(|n| n.trim().trim_start_matches('`'))
        .collect();
    let layout = if names.contains(&Layout::Current.amount()) {
        Layout::Current
    } else if names.contains(&Layout::Legacy.amount()) {
        Layout::Legacy
    } else {
        return Err(error(
            StatementError::COLUMNS,
            format!(
                "line 1 is not a WeChat Pay trade bill header (it names neither 应结订单金额 \
                 nor 总金额): {text:?}"
            ),
        ));
    };
    let at = |name: &str| {
        names.iter().position(|n| *n == name).ok_or_else(|| {
            error(
                StatementError::COLUMNS,
                format!("the bill's header (line 1) has no column {name}"),
            )
        })
    };
    Ok(Columns {
        width: names.len(),
        time: at("交易时间")?,
        transaction_id: at("微信订单号")?,
        payment_id: at("商户订单号")?,
        state: at("交易状态")?,
        currency: at("货币种类")?,
        amount: at(layout.amount())?,
        provider_refund_id: at("微信退款单号")?,
        refund_id: at("商户退款单号")?,
        refund_amount: at("退款金额")?,
        refund_status: at("退款状态")?,
        fee: at("手续费")?,
        layout,
    })
}

fn summary_columns(
    layout: Layout,
    number: u64,
    text: &str,
) -> Result<SummaryColumns, StatementError> {
    let names: Vec<&str> = text
        .split(',')
        .map(|n| n.trim().trim_start_matches('`'))
        .collect();
    if names.first() != Some(&"总交易单数") {
        return Err(error(
            StatementError::MALFORMED,
            format!(
                "line {number} is neither a detail row (they start with `) nor the summary \
                 header (总交易单数,…)"
            ),
        ));
    }
    let mut at = [0; 4];
    for (slot, name) in at.iter_mut().zip(layout.summary()) {
        *slot = names.iter().position(|n| *n == name).ok_or_else(|| {
            error(
                StatementError::COLUMNS,
                format!("the bill's summary header (line {number}) has no column {name}"),
            )
        })?;
    }
    Ok(SummaryColumns {
        width: names.len(),
        at,
    })
}

/// A line's values without their backticks, as many as the header has columns.
fn values(text: &str, width: usize, number: u64) -> Result<Vec<&str>, StatementError> {
    // Every value starts with a backtick, so ",`" separates them even where a product name
    // holds a comma.
    let values: Vec<&str> = text
        .strip_prefix('`')
        .unwrap_or(text)
        .split(",`")
        .map(str::trim)
        .collect();
    if values.len() != width {
        return Err(error(
            StatementError::MALFORMED,
            format!(
                "line {number} has {} values, its header {width} columns",
                values.len()
            ),
        ));
    }
    Ok(values)
}

fn stated(summary: &SummaryColumns, number: u64, text: &str) -> Result<Stated, StatementError> {
    let values = values(text, summary.width, number)?;
    let bad = |what: &str, value: &str| {
        error(
            StatementError::MALFORMED,
            format!("the summary row (line {number}) has {what} {value:?}"),
        )
    };
    let [count, amount, refunds, fee] = summary.at.map(|i| values[i]);
    Ok(Stated {
        line: number,
        count: count.parse().map_err(|_| bad("the count", count))?,
        amount: minor_units(amount, YUAN_DECIMALS).ok_or_else(|| bad("the total", amount))?,
        refunds: minor_units(refunds, YUAN_DECIMALS)
            .ok_or_else(|| bad("the refund total", refunds))?,
        fee: minor_units(fee, FEE_DECIMALS).ok_or_else(|| bad("the fee total", fee))?,
    })
}

/// A detail row: its line, its value in the amount column, its fee in 1e-5 yuan.
fn row(c: &Columns, number: u64, text: &str) -> Result<(StatementLine, i64, i64), StatementError> {
    let v = values(text, c.width, number)?;
    let bad = |column: &str, value: &str| {
        error(
            StatementError::MALFORMED,
            format!("line {number}: {column} {value:?} does not parse"),
        )
    };
    let amount_of = |i: usize, column: &str| {
        minor_units(v[i], YUAN_DECIMALS)
            .filter(|a| *a >= 0)
            .ok_or_else(|| bad(column, v[i]))
    };
    let id = |i: usize| (!v[i].is_empty()).then(|| v[i].to_owned());
    let amount = amount_of(c.amount, c.layout.amount())?;
    let fee = minor_units(v[c.fee], FEE_DECIMALS).ok_or_else(|| bad("手续费", v[c.fee]))?;
    let fee_minor =
        rounded_minor_units(v[c.fee], YUAN_DECIMALS).ok_or_else(|| bad("手续费", v[c.fee]))?;
    let at = Civil::parse_prefix(v[c.time], b' ')
        .filter(|(_, rest)| rest.is_empty())
        .and_then(|(civil, _)| Timestamp::from_civil(civil, CHINA_OFFSET_SECS))
        .ok_or_else(|| bad("交易时间", v[c.time]))?;
    let currency = match v[c.currency] {
        "" | "CNY" => "CNY",
        other => return Err(bad("货币种类 (the bill is in yuan)", other)),
    };
    let mut line = StatementLine {
        number,
        kind: LineKind::Payment,
        transaction_id: id(c.transaction_id),
        payment_id: id(c.payment_id),
        refund_id: None,
        provider_refund_id: None,
        amount_minor: amount,
        currency: currency.to_owned(),
        fee_minor,
        status: LineStatus::Succeeded,
        at: Some(at),
    };
    match v[c.state] {
        "SUCCESS" => {}
        "REVOKED" => line.kind = LineKind::Reversal,
        "REFUND" => {
            line.kind = LineKind::Refund;
            line.amount_minor = amount_of(c.refund_amount, "退款金额")?;
            line.refund_id = id(c.refund_id);
            line.provider_refund_id = id(c.provider_refund_id);
            line.status = refund_status(v[c.refund_status])
                .ok_or_else(|| bad("退款状态", v[c.refund_status]))?;
        }
        other => return Err(bad("交易状态", other)),
    }
    Ok((line, amount, fee))
}

/// A refund row's 退款状态, a snapshot taken when the bill was made.
fn refund_status(text: &str) -> Option<LineStatus> {
    Some(match text {
        "SUCCESS" => LineStatus::Succeeded,
        // NOTSURE: WeChat Pay did not know yet; the refund may still go through.
        "PROCESSING" | "NOTSURE" => LineStatus::Processing,
        // CHANGE and ABNORMAL: the original route failed and the money went back to the
        // merchant, to be paid out by hand.
        "FAIL" | "REFUNDCLOSE" | "CLOSED" | "CHANGE" | "ABNORMAL" => LineStatus::Failed,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
