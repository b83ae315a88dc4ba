//! The simulator's trade bills, written from Alipay's documented layout: a zip (written
//! here, deflated) of two GBK CSVs named in GBK without the UTF-8 flag, the summary first,
//! with `#` lines around padded rows, and a footer of totals. Made from the orders paid and
//! the refunds made on the asked China day.

use std::io::Write;

use super::Order;

/// The simulated merchant's Alipay account (PID with Alipay's `0156` suffix).
const ACCOUNT: &str = "20885212319120680156";

/// How the bill download misbehaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bill {
    Normal,
    /// The archive is cut to two thirds of its length.
    Truncated,
    /// The CSVs are UTF-8, which is not valid GBK.
    Utf8,
    /// 商户订单号 is called 商户订单编号.
    RenamedColumn,
    /// The footer counts one trade more than the rows.
    TotalsOff,
    /// The download URL has expired: 404.
    Expired,
    /// The URL query answers this sub_code (code 40004).
    Error(&'static str),
}

/// One row of a bill.
struct Row {
    trade_no: String,
    out_trade_no: String,
    refund: Option<String>,
    /// Fen, positive.
    fen: i64,
    finished: String,
}

/// Yuan text to fen.
fn fen(yuan: &str) -> i64 {
    let (whole, frac) = yuan.split_once('.').unwrap_or((yuan, "0"));
    let frac = format!("{frac:0<2}");
    whole.parse::<i64>().unwrap() * 100 + frac[..2].parse::<i64>().unwrap()
}

fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

/// The simulated fee: 0.6% of the amount, half up to the fen.
fn fee(fen: i64) -> i64 {
    (fen * 6 + 500) / 1000
}

/// The rows of `day` (`YYYY-MM-DD`, China time): trades by paid time, refunds by refund
/// time, in time order.
fn rows<'a>(
    orders: impl Iterator<Item = (&'a String, &'a Order)>,
    refunded_at: &std::collections::HashMap<(String, String), String>,
    day: &str,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for (no, o) in orders {
        if let Some(paid) = o.paid_at.as_ref().filter(|t| t.starts_with(day)) {
            rows.push(Row {
                trade_no: o.trade_no.clone(),
                out_trade_no: no.clone(),
                refund: None,
                fen: fen(&o.total_amount),
                finished: paid.clone(),
            });
        }
        for (request, amount) in &o.refunds {
            let at = &refunded_at[&(no.clone(), request.clone())];
            if at.starts_with(day) {
                rows.push(Row {
                    trade_no: o.trade_no.clone(),
                    out_trade_no: no.clone(),
                    refund: Some(request.clone()),
                    fen: fen(amount),
                    finished: at.clone(),
                });
            }
        }
    }
    rows.sort_by(|a, b| {
        a.finished
            .cmp(&b.finished)
            .then(a.trade_no.cmp(&b.trade_no))
    });
    rows
}

/// The detail CSV and the summary CSV of a day, as text.
fn csvs(rows: &[Row], day: &str, bill: Bill) -> (String, String) {
    let period = format!(
        "#起始日期：[{}年{}月{}日 00:00:00]   终止日期：[次日 00:00:00]",
        &day[..4],
        &day[5..7],
        &day[8..10]
    );
    let mut header =
        "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,\
        操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,\
        支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,\
        卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注"
            .to_owned();
    if bill == Bill::RenamedColumn {
        header = header.replace("商户订单号", "商户订单编号");
    }
    let mut detail = vec![
        "#支付宝业务明细查询".to_owned(),
        format!("#账号：[{ACCOUNT}]"),
        period.clone(),
        "#-----------------------------------------业务明细列表----------------------------------------".to_owned(),
        header,
    ];
    let (mut trades, mut trade_fen, mut refunds, mut refund_fen, mut fees) = (0, 0, 0, 0, 0);
    for r in rows {
        let (kind, signed, fee_fen) = match &r.refund {
            None => {
                trades += 1;
                trade_fen += r.fen;
                ("交易", r.fen, -fee(r.fen))
            }
            Some(_) => {
                refunds += 1;
                refund_fen -= r.fen;
                ("退款", -r.fen, fee(r.fen))
            }
        };
        fees += fee_fen;
        // Ids and free text padded with a tab, as Alipay pads them.
        detail.push(
            [
                format!("{}\t", r.trade_no),
                format!("{}\t", r.out_trade_no),
                format!("{kind}\t"),
                "Test order".into(),
                r.finished.clone(),
                r.finished.clone(),
                "\t".into(),
                "\t".into(),
                "\t".into(),
                "\t".into(),
                "*杨(137****2600)\t".into(),
                yuan(signed),
                yuan(signed),
                "0.00".into(),
                "0.00".into(),
                "0.00".into(),
                "0.00".into(),
                "0.00".into(),
                String::new(),
                "0.00\t".into(),
                "0.00".into(),
                format!("{}\t", r.refund.clone().unwrap_or_default()),
                yuan(fee_fen),
                "0.00".into(),
                String::new(),
            ]
            .join(","),
        );
    }
    let counted = if bill == Bill::TotalsOff {
        trades + 1
    } else {
        trades
    };
    let exported = "#导出时间：[2026年11月23日 10:24:18]".to_owned();
    detail.extend([
        "#-----------------------------------------业务明细列表结束------------------------------------".to_owned(),
        format!("#交易合计：{counted}笔，商家实收共{}元，商家优惠共0.00元", yuan(trade_fen)),
        format!("#退款合计：{refunds}笔，商家实收退款共{}元，商家优惠退款共0.00元", yuan(refund_fen)),
        exported.clone(),
    ]);
    let net = trade_fen + refund_fen;
    let totals = format!(
        "{trades},{refunds},{},{},0.00,0.00,0.00,{},0.00,{}",
        yuan(net),
        yuan(net),
        yuan(fees),
        yuan(net + fees)
    );
    let summary = [
        "#支付宝业务汇总查询".to_owned(),
        format!("#账号：[{ACCOUNT}]"),
        period,
        "#-----------------------------------------业务汇总列表----------------------------------------".to_owned(),
        "门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,支付宝优惠（元）,\
         商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）"
            .to_owned(),
        format!("\t,\t,{totals}"),
        format!("合计,,{totals}"),
        "#-----------------------------------------业务汇总列表结束-----------------------------------".to_owned(),
        exported,
    ];
    (detail.join("\r\n") + "\r\n", summary.join("\r\n") + "\r\n")
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "GBK has every character of {text:?}");
    bytes.into_owned()
}

/// A zip archive of `(raw name, content)` entries, deflated; names are not flagged UTF-8.
fn zip(entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, content) in entries {
        let mut deflater =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        deflater.write_all(content).unwrap();
        let packed = deflater.finish().unwrap();
        let offset = u32::try_from(out.len()).unwrap();
        // version needed, flags, method (8: deflate), time, date, CRC-32, sizes, name length,
        // extra length: the same in the local and the central header.
        let mut shared = Vec::new();
        shared.extend(20u16.to_le_bytes());
        shared.extend(0u16.to_le_bytes());
        shared.extend(8u16.to_le_bytes());
        shared.extend(0x5313u16.to_le_bytes());
        shared.extend(0x5B77u16.to_le_bytes());
        shared.extend(crc32fast::hash(content).to_le_bytes());
        shared.extend(u32::try_from(packed.len()).unwrap().to_le_bytes());
        shared.extend(u32::try_from(content.len()).unwrap().to_le_bytes());
        shared.extend(u16::try_from(name.len()).unwrap().to_le_bytes());
        shared.extend(0u16.to_le_bytes());
        out.extend(b"PK\x03\x04");
        out.extend(&shared);
        out.extend(name);
        out.extend(&packed);
        directory.extend(b"PK\x01\x02");
        directory.extend(20u16.to_le_bytes());
        directory.extend(&shared);
        // comment length, disk number, internal and external attributes
        directory.extend([0u8; 10]);
        directory.extend(offset.to_le_bytes());
        directory.extend(name);
    }
    let start = u32::try_from(out.len()).unwrap();
    let count = u16::try_from(entries.len()).unwrap();
    out.extend(&directory);
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]);
    out.extend(count.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend(u32::try_from(directory.len()).unwrap().to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// The downloaded archive of `day`'s bill.
pub fn archive<'a>(
    orders: impl Iterator<Item = (&'a String, &'a Order)>,
    refunded_at: &std::collections::HashMap<(String, String), String>,
    day: &str,
    bill: Bill,
) -> Vec<u8> {
    let rows = rows(orders, refunded_at, day);
    let (detail, summary) = csvs(&rows, day, bill);
    let encode = |text: &str| {
        if bill == Bill::Utf8 {
            let bytes = text.as_bytes().to_vec();
            assert!(
                encoding_rs::GBK
                    .decode_without_bom_handling_and_without_replacement(&bytes)
                    .is_none(),
                "the UTF-8 text is not valid GBK"
            );
            bytes
        } else {
            gbk(text)
        }
    };
    let compact = day.replace('-', "");
    let bytes = zip(&[
        (
            gbk(&format!("{ACCOUNT}_{compact}_业务明细(汇总).csv")),
            encode(&summary),
        ),
        (
            gbk(&format!("{ACCOUNT}_{compact}_业务明细.csv")),
            encode(&detail),
        ),
    ]);
    if bill == Bill::Truncated {
        bytes[..bytes.len() * 2 / 3].to_vec()
    } else {
        bytes
    }
}

/// The address of a bill download, as Alipay forms it (with the simulator's token).
pub fn download_url(base: &str, day: &str, token: &str) -> String {
    let compact = day.replace('-', "");
    format!(
        "{base}/downloadBillFile.resource?bizType=trade&userId={ACCOUNT}&fileType=csv.zip\
         &bizDates={compact}&downloadFileName={ACCOUNT}_{compact}.csv.zip&token={token}"
    )
}
