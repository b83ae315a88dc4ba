//! The sandbox's statement: its orders paid and refunds taken on a UTC day, written in
//! WeChat Pay's trade bill format (gzip of backtick-prefixed CSV with a summary and a SHA-1)
//! and read back by WeChat Pay's parser, so a rehearsal exercises a real format end to end.
//! It lists what this sandbox holds: orders it took or recalled since paycore started.

use std::fmt::Write as _;
use std::io::Write as _;

use sha1::{Digest, Sha1};

use super::orders::{Listing, Order, OrderStatus};
use crate::domain::time::china_time;
use crate::domain::{Day, Money, PaymentId, Timestamp};
use crate::provider::statement::StatementError;

const HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,\
    交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,\
    充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const SUMMARY_HEADER: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
const ONE_DAY: std::time::Duration = std::time::Duration::from_secs(86_400);
/// The sandbox's account, as its statement names it.
const MCHID: &str = "sandbox";

/// `amount` in major units with the currency's decimals, e.g. `12.30`.
fn major(amount: i64, money: Money) -> String {
    let exponent = u32::from(money.currency.exponent());
    if exponent == 0 {
        return amount.to_string();
    }
    let scale = 10i64.pow(exponent);
    let sign = if amount < 0 { "-" } else { "" };
    let (whole, frac) = (amount.abs() / scale, amount.abs() % scale);
    format!("{sign}{whole}.{frac:0width$}", width = exponent as usize)
}

/// One detail row, every value backticked.
fn row(values: &[&str]) -> String {
    let mut line = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let _ = write!(line, "`{v}");
    }
    line.push_str("\r\n");
    line
}

/// The statement of `day` (`[start, end)`) for `orders`, gzipped, and the SHA-1 (hex) of
/// its uncompressed bytes.
pub(super) fn write<'a>(
    orders: impl Iterator<Item = (&'a PaymentId, &'a Order)>,
    (start, end): (Timestamp, Timestamp),
) -> Result<(Vec<u8>, String), StatementError> {
    let in_day = |t: Timestamp| start <= t && t < end;
    let mut text = format!("{HEADER}\r\n");
    let (mut count, mut paid, mut refunded) = (0u64, 0i64, 0i64);
    let mut sorted: Vec<(&PaymentId, &Order)> = orders.collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (id, order) in sorted {
        let money = order.amount;
        let currency = money.currency.code();
        if let OrderStatus::Paid {
            transaction_id,
            paid_at,
        } = &order.status
            && match order.listing {
                Listing::Omitted => false,
                Listing::NextDay => in_day(paid_at.saturating_add(ONE_DAY)),
                _ => in_day(*paid_at),
            }
        {
            let amount =
                order.amount.amount_minor + i64::from(order.listing == Listing::WrongAmount);
            let times = if order.listing == Listing::Twice {
                2
            } else {
                1
            };
            for _ in 0..times {
                let value = major(amount, money);
                text.push_str(&row(&[
                    &china_time(*paid_at, ' '),
                    "sandbox",
                    MCHID,
                    "0",
                    "",
                    transaction_id,
                    id.as_str(),
                    "",
                    "NATIVE",
                    "SUCCESS",
                    "OTHERS",
                    currency,
                    &value,
                    "0.00",
                    "0",
                    "0",
                    "0.00",
                    "0.00",
                    "",
                    "",
                    "sandbox order",
                    "",
                    "0.00000",
                    "0.00%",
                    &value,
                    "0.00",
                    "",
                ]));
                count += 1;
                paid += amount;
            }
        }
        let transaction = match &order.status {
            OrderStatus::Paid { transaction_id, .. } => transaction_id.as_str(),
            _ => "",
        };
        for (refund_id, amount, at) in order.refunds.iter().filter(|r| in_day(r.2)) {
            let value = major(*amount, money);
            let whole = major(order.amount.amount_minor, money);
            text.push_str(&row(&[
                &china_time(*at, ' '),
                "sandbox",
                MCHID,
                "0",
                "",
                transaction,
                id.as_str(),
                "",
                "NATIVE",
                "REFUND",
                "OTHERS",
                currency,
                "0.00",
                "0.00",
                &format!("sbx_{refund_id}"),
                refund_id,
                &value,
                "0.00",
                "ORIGINAL",
                "SUCCESS",
                "sandbox order",
                "",
                "0.00000",
                "0.00%",
                &whole,
                &value,
                "",
            ]));
            count += 1;
            refunded += amount;
        }
    }
    // The summary states totals with two decimals, as the format's yuan: a rehearsal's
    // statement is in a currency of two (CNY, USD, …).
    let two = |minor: i64| format!("{}.{:02}", minor / 100, (minor % 100).abs());
    text.push_str(SUMMARY_HEADER);
    text.push_str("\r\n");
    text.push_str(&row(&[
        &count.to_string(),
        &two(paid),
        &two(refunded),
        "0.00",
        "0.00000",
        &two(paid),
        &two(refunded),
    ]));
    let hash = hex::encode(Sha1::digest(text.as_bytes()));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let compressed = gz
        .write_all(text.as_bytes())
        .and_then(|()| gz.finish())
        .map_err(|e| StatementError::new(StatementError::MALFORMED, e.to_string()))?;
    Ok((compressed, hash))
}

/// The first and last moment of `day` for the sandbox (UTC).
pub(super) fn window(day: Day) -> (Timestamp, Timestamp) {
    (day.start(0), day.next().start(0))
}
