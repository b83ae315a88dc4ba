//! The simulator's trade bills (交易账单, bill_type ALL), written from the format description:
//! a detail header, one backticked row per payment made and refund accepted on the China day,
//! the summary header and its backticked row; gzip of that; its SHA1 in the signed answer.

use std::io::Write;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::json;
use sha1::{Digest, Sha1};

use super::{APPID, BillFault, MCHID, Order, WechatSim, random};

const COLUMNS: [&str; 27] = [
    "交易时间",
    "公众账号ID",
    "商户号",
    "特约商户号",
    "设备号",
    "微信订单号",
    "商户订单号",
    "用户标识",
    "交易类型",
    "交易状态",
    "付款银行",
    "货币种类",
    "应结订单金额",
    "代金券金额",
    "微信退款单号",
    "商户退款单号",
    "退款金额",
    "充值券退款金额",
    "退款类型",
    "退款状态",
    "商品名称",
    "商户数据包",
    "手续费",
    "费率",
    "订单金额",
    "申请退款金额",
    "费率备注",
];

/// The early layout's names for columns the current one renamed; it lacks the last three.
const LEGACY_NAMES: [(&str, &str); 4] = [
    ("特约商户号", "子商户号"),
    ("应结订单金额", "总金额"),
    ("代金券金额", "企业红包金额"),
    ("充值券退款金额", "企业红包退款金额"),
];

/// The fee rate, 0.6%: a fen is 1000 units of 1e-5 yuan, so a fen's fee is 6 units.
const FEE_UNITS_PER_FEN: i64 = 6;

/// The refund id the simulator gives a refund.
pub fn refund_id(out_refund_no: &str) -> String {
    format!("50000000382019052709732678{}", out_refund_no.len())
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// 1e-5 yuan with five decimals, signed.
fn fee(units: i64) -> String {
    let sign = if units < 0 { "-" } else { "" };
    let u = units.abs();
    format!("{sign}{}.{:05}", u / 100_000, u % 100_000)
}

/// `secs` in China time, `yyyy-MM-dd HH:mm:ss` (Howard Hinnant's civil-from-days).
fn china_time(secs: i64) -> String {
    let local = secs + 8 * 3600;
    let (days, rest) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// One row, by column name.
struct Row {
    time: String,
    values: Vec<(&'static str, String)>,
}

/// The money a row adds to the summary: settled amount, refund, fee units, order amount,
/// requested refund.
#[derive(Default)]
struct Summary {
    count: i64,
    settled: i64,
    refunded: i64,
    fee: i64,
    ordered: i64,
    requested: i64,
}

impl WechatSim {
    /// Moves when an order was paid (for the day its bill lists it on).
    pub fn set_paid_at(&self, no: &str, at: i64) {
        self.inner
            .lock()
            .unwrap()
            .orders
            .get_mut(no)
            .expect("order at the simulator")
            .paid_at = Some(at);
    }

    /// Moves when a refund was accepted.
    pub fn set_refund_time(&self, out_refund_no: &str, at: i64) {
        self.inner
            .lock()
            .unwrap()
            .refund_times
            .insert(out_refund_no.to_owned(), at);
    }

    /// An order paid at `at` that paycore never placed (a bill's rows without paycore).
    pub fn add_paid_order(&self, no: &str, total: i64, at: i64) {
        let mut inner = self.inner.lock().unwrap();
        let n = inner.orders.len() + 1;
        inner.orders.insert(
            no.to_owned(),
            Order {
                kind: "native".into(),
                total,
                state: "SUCCESS",
                transaction_id: format!("42000000002026112200{n:08}"),
                openid: String::new(),
                notify_url: String::new(),
                paid_at: Some(at),
            },
        );
    }

    /// A refund of `trade` accepted at `at`, in `status`.
    pub fn add_refund(&self, no: &str, trade: &str, amount: i64, status: &'static str, at: i64) {
        let mut inner = self.inner.lock().unwrap();
        inner
            .refunds
            .insert(no.to_owned(), (trade.to_owned(), amount, status));
        inner.refund_times.insert(no.to_owned(), at);
    }

    /// The next trade bills have `fault` (None: right ones).
    pub fn set_bill_fault(&self, fault: Option<BillFault>) {
        self.inner.lock().unwrap().bill_fault = fault;
    }

    /// The rows of `date` (China), in time order.
    fn bill_rows(&self, date: &str, fault: Option<BillFault>) -> (Vec<Row>, Summary) {
        let inner = self.inner.lock().unwrap();
        let mut rows = Vec::new();
        let mut sum = Summary::default();
        let mut payment = |time: String, no: &str, tx: &str, openid: &str, kind: &str, total| {
            sum.count += 1;
            sum.settled += total;
            sum.fee += total * FEE_UNITS_PER_FEN;
            sum.ordered += total;
            rows.push(Row {
                time: time.clone(),
                values: record(
                    time,
                    tx,
                    no,
                    openid,
                    kind,
                    "SUCCESS",
                    [yuan(total), "0".into(), "0".into(), yuan(0)],
                    ["", ""],
                    fee(total * FEE_UNITS_PER_FEN),
                    [yuan(total), yuan(0)],
                ),
            });
        };
        for (no, order) in &inner.orders {
            let Some(at) = order.paid_at else { continue };
            let time = china_time(at);
            if time.starts_with(date) {
                let kind = order.kind.to_uppercase();
                payment(
                    time,
                    no,
                    &order.transaction_id,
                    &order.openid,
                    &kind,
                    order.total,
                );
            }
        }
        if fault == Some(BillFault::ExtraRow) {
            let time = format!("{date} 09:30:00");
            payment(
                time,
                "wx-unknown-order",
                "4200000000202611229999999999",
                "",
                "NATIVE",
                1234,
            );
        }
        for (no, (trade, amount, status)) in &inner.refunds {
            let Some(time) = inner.refund_times.get(no).map(|t| china_time(*t)) else {
                continue;
            };
            if !time.starts_with(date) {
                continue;
            }
            let order = inner.orders.get(trade);
            let tx = order.map(|o| o.transaction_id.as_str()).unwrap_or_default();
            let openid = order.map(|o| o.openid.as_str()).unwrap_or_default();
            let kind = order.map(|o| o.kind.to_uppercase()).unwrap_or_default();
            sum.count += 1;
            sum.refunded += amount;
            sum.requested += amount;
            // The fee on the refunded part comes back, written negative.
            sum.fee -= amount * FEE_UNITS_PER_FEN;
            rows.push(Row {
                time: time.clone(),
                values: record(
                    time,
                    tx,
                    trade,
                    openid,
                    &kind,
                    "REFUND",
                    [yuan(0), refund_id(no), no.clone(), yuan(*amount)],
                    ["ORIGINAL", status],
                    fee(-amount * FEE_UNITS_PER_FEN),
                    [yuan(0), yuan(*amount)],
                ),
            });
        }
        rows.sort_by(|a, b| a.time.cmp(&b.time));
        (rows, sum)
    }

    /// The bill of `date` as its file's text.
    fn bill_text(&self, date: &str, fault: Option<BillFault>) -> String {
        let (rows, sum) = self.bill_rows(date, fault);
        let legacy = fault == Some(BillFault::Legacy);
        let name = |n: &'static str| {
            LEGACY_NAMES
                .iter()
                .find(|(new, _)| legacy && *new == n)
                .map_or(n, |(_, old)| *old)
        };
        let kept = |n: &str| !legacy || !["订单金额", "申请退款金额", "费率备注"].contains(&n);
        let mut header: Vec<&str> = COLUMNS.into_iter().filter(|n| kept(n)).map(name).collect();
        if fault == Some(BillFault::RenamedColumn) {
            header = header
                .into_iter()
                .map(|n| {
                    if n == "商户订单号" {
                        "商户订单编号"
                    } else {
                        n
                    }
                })
                .collect();
        }
        // WeChat Pay's files start with a byte order mark.
        let mut text = format!("\u{feff}{}\r\n", header.join(","));
        for row in &rows {
            let values: Vec<String> = row
                .values
                .iter()
                .filter(|(n, _)| kept(n))
                .map(|(_, v)| format!("`{v}"))
                .collect();
            text.push_str(&values.join(","));
            text.push_str("\r\n");
        }
        let count = sum.count + i64::from(fault == Some(BillFault::SummaryOffByOne));
        let (summary_header, summary): (&str, Vec<String>) = if legacy {
            (
                "总交易单数,总交易额,总退款金额,总企业红包退款金额,手续费总金额",
                vec![
                    count.to_string(),
                    yuan(sum.settled),
                    yuan(sum.refunded),
                    yuan(0),
                    fee(sum.fee),
                ],
            )
        } else {
            (
                "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额",
                vec![
                    count.to_string(),
                    yuan(sum.settled),
                    yuan(sum.refunded),
                    yuan(0),
                    fee(sum.fee),
                    yuan(sum.ordered),
                    yuan(sum.requested),
                ],
            )
        };
        text.push_str(summary_header);
        text.push_str("\r\n");
        let values: Vec<String> = summary.iter().map(|v| format!("`{v}")).collect();
        text.push_str(&values.join(","));
        text.push_str("\r\n");
        text
    }

    /// Answers `GET /v3/bill/tradebill?…`: prepares the file and gives its link and hash.
    pub(super) fn bill_answer(&self, query: &str) -> Response {
        let params: std::collections::HashMap<String, String> =
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
        let date = params.get("bill_date").cloned().unwrap_or_default();
        if date.len() != 10
            || params.get("bill_type").map(String::as_str) != Some("ALL")
            || params.get("tar_type").map(String::as_str) != Some("GZIP")
        {
            return self.answer(
                400,
                Some(json!({"code": "PARAM_ERROR", "message": "bill_date/bill_type/tar_type"})),
            );
        }
        let fault = self.inner.lock().unwrap().bill_fault;
        let text = self.bill_text(&date, fault);
        let file = if fault == Some(BillFault::Gbk) {
            encoding_rs::GBK.encode(&text).0.into_owned()
        } else {
            text.into_bytes()
        };
        let mut hash = hex::encode(Sha1::digest(&file));
        if fault == Some(BillFault::WrongHash) {
            hash = hex::encode(Sha1::digest(b"some other file"));
        }
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(&file).unwrap();
        let mut gz = gz.finish().unwrap();
        if fault == Some(BillFault::TruncatedGzip) {
            gz.truncate(gz.len() * 2 / 3);
        }
        let token = random(24);
        self.inner.lock().unwrap().bills.insert(token.clone(), gz);
        self.answer(
            200,
            Some(json!({
                "hash_type": "SHA1",
                // WeChat Pay's samples write it in lower case; upper case must work as well.
                "hash_value": hash.to_uppercase(),
                "download_url": format!("{}/v3/billdownload/file?token={token}&tartype=gzip", self.base_url()),
            })),
        )
    }

    /// Answers the download: the file, unsigned.
    pub(super) fn bill_file(&self, query: &str) -> Response {
        let token = form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let inner = self.inner.lock().unwrap();
        let file = inner.bills.get(&token).cloned();
        let expired = inner.bill_fault == Some(BillFault::ExpiredUrl);
        drop(inner);
        match file {
            Some(bytes) if !expired => (
                StatusCode::OK,
                [("content-type", "application/octet-stream")],
                bytes,
            )
                .into_response(),
            _ => (
                StatusCode::BAD_REQUEST,
                [("content-type", "application/json")],
                json!({"code": "INVALID_REQUEST", "message": "下载链接过期，请重新请求文件下载"})
                    .to_string(),
            )
                .into_response(),
        }
    }
}

/// A row's values in the current layout's column order.
#[allow(clippy::too_many_arguments)]
fn record(
    time: String,
    transaction_id: &str,
    out_trade_no: &str,
    openid: &str,
    kind: &str,
    state: &str,
    [settled, refund_id, out_refund_no, refunded]: [String; 4],
    [refund_kind, refund_status]: [&str; 2],
    fee: String,
    [ordered, requested]: [String; 2],
) -> Vec<(&'static str, String)> {
    let values = [
        time,
        APPID.into(),
        MCHID.into(),
        "0".into(),
        String::new(),
        transaction_id.into(),
        out_trade_no.into(),
        openid.into(),
        kind.into(),
        state.into(),
        "OTHERS".into(),
        "CNY".into(),
        settled,
        yuan(0),
        refund_id,
        out_refund_no,
        refunded,
        yuan(0),
        refund_kind.into(),
        refund_status.into(),
        // A comma inside a value is written as is: the backticks tell the values apart.
        "Image形象店-深圳腾大-QQ公仔, 大号".into(),
        String::new(),
        fee,
        "0.60%".into(),
        ordered,
        requested,
        String::new(),
    ];
    COLUMNS.into_iter().zip(values).collect()
}
