use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

use super::*;

const HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,\
交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,\
充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const SUMMARY: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
const PAID: &str = "`2026-11-22 12:00:04,`wxd678efh567hg6787,`1230000109,`0,`,\
`4200000001202611220000000001,`pay_1,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`SUCCESS,`OTHERS,\
`CNY,`10.00,`0.00,`0,`0,`0.00,`0.00,`,`,`公仔, 大号,`,`0.06000,`0.60%,`10.00,`0.00,`";
const REFUNDED: &str = "`2026-11-22 13:00:00,`wxd678efh567hg6787,`1230000109,`0,`,\
`4200000001202611220000000001,`pay_1,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`REFUND,`OTHERS,\
`CNY,`0.00,`0.00,`50000000382019052709732678859,`rfd_1,`4.00,`0.00,`ORIGINAL,`PROCESSING,`公仔,\
`,`-0.02400,`0.60%,`0.00,`4.00,`";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn sha1_hex(bytes: &[u8]) -> String {
    hex::encode(Sha1::digest(bytes))
}

fn bill(lines: &[&str]) -> String {
    let mut text = String::from("\u{feff}");
    for line in lines {
        text.push_str(line);
        text.push_str("\r\n");
    }
    text
}

/// Every line of `text` as a bill with its right hash, or the first error.
fn read_all(text: &[u8]) -> Result<(Vec<StatementLine>, ProviderTotals), StatementError> {
    let mut parser = parse_tradebill(gzip(text), Some(sha1_hex(text).to_uppercase()));
    let mut lines = Vec::new();
    while let Some(line) = parser.next_line()? {
        lines.push(line);
    }
    Ok((lines, parser.totals().unwrap()))
}

fn code_of(text: &str) -> &'static str {
    read_all(text.as_bytes()).unwrap_err().code
}

#[test]
fn a_current_bill_reads_as_payment_and_refund_lines_with_checked_totals() {
    let text = bill(&[
        HEADER,
        PAID,
        REFUNDED,
        SUMMARY,
        "`2,`10.00,`4.00,`0.00,`0.03600,`10.00,`4.00",
    ]);
    let (lines, totals) = read_all(text.as_bytes()).unwrap();
    let china = |s: &str| {
        let (civil, _) = Civil::parse_prefix(s, b' ').unwrap();
        Some(Timestamp::from_civil(civil, CHINA_OFFSET_SECS).unwrap())
    };
    assert_eq!(
        lines,
        [
            StatementLine {
                number: 2,
                kind: LineKind::Payment,
                transaction_id: Some("4200000001202611220000000001".into()),
                payment_id: Some("pay_1".into()),
                refund_id: None,
                provider_refund_id: None,
                amount_minor: 1000,
                currency: "CNY".into(),
                fee_minor: 6,
                status: LineStatus::Succeeded,
                at: china("2026-11-22 12:00:04"),
            },
            StatementLine {
                number: 3,
                kind: LineKind::Refund,
                transaction_id: Some("4200000001202611220000000001".into()),
                payment_id: Some("pay_1".into()),
                refund_id: Some("rfd_1".into()),
                provider_refund_id: Some("50000000382019052709732678859".into()),
                amount_minor: 400,
                currency: "CNY".into(),
                fee_minor: -2,
                status: LineStatus::Processing,
                at: china("2026-11-22 13:00:00"),
            },
        ]
    );
    // 2026-11-22 12:00:04 in China is 04:00:04 UTC.
    assert_eq!(lines[0].at.unwrap().as_secs(), 1_795_320_004);
    assert_eq!(
        totals,
        ProviderTotals {
            payments: 1,
            payment_minor: 1000,
            refunds: 1,
            refund_minor: 400,
            fee_minor: 4,
        }
    );
}

#[test]
fn the_documented_legacy_layout_reads_too() {
    // 下载对账单's own example, from accounts that never switched to the 免充值券 layout.
    let text = bill(&[
        "交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,\
付款银行,货币种类,总金额,代金券或立减优惠金额,微信退款单号,商户退款单号,退款金额,\
代金券或立减优惠退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率",
        "`2014-11-10 16:33:45,`wx2421b1c4370ec43b,`10000100,`0,`1000,`1001690740201411100005734289,\
`1415640626,`085e9858e3ba5186aafcbaed1,`MICROPAY,`SUCCESS,`OTHERS,`CNY,`0.01,`0.0,`0,`0,`0,`0,`,`,\
`被扫支付测试,`订单额外描述,`0,`0.60%",
        "`2014-11-10 16:46:14,`wx2421b1c4370ec43b,`10000100,`0,`1000,`1002780740201411100005729794,\
`1415635270,`085e9858e90ca40c0b5aee463,`MICROPAY,`SUCCESS,`OTHERS,`CNY,`0.01,`0.0,`0,`0,`0,`0,`,`,\
`被扫支付测试,`订单额外描述,`0,`0.60%",
        "总交易单数,总交易额,总退款金额,总代金券或立减优惠退款金额,手续费总金额",
        "`2,`0.02,`0.0,`0.0,`0",
    ]);
    let (lines, totals) = read_all(text.as_bytes()).unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].payment_id.as_deref(), Some("1415635270"));
    assert_eq!((lines[1].amount_minor, lines[1].fee_minor), (1, 0));
    assert_eq!((totals.payments, totals.payment_minor), (2, 2));

    // The 企业红包 generation names its coupon columns and summary differently.
    let red_packet = text.replace("代金券或立减优惠", "企业红包");
    assert!(read_all(red_packet.as_bytes()).is_ok());
}

#[test]
fn fees_add_up_at_five_decimals_not_in_rounded_fen() {
    let half = PAID.replace("`0.06000", "`0.00600");
    let text = bill(&[
        HEADER,
        &half,
        &half,
        SUMMARY,
        "`2,`20.00,`0.00,`0.00,`0.01200,`20.00,`0.00",
    ]);
    let (lines, totals) = read_all(text.as_bytes()).unwrap();
    // Each 0.006 rounds to a fen; the total 0.012 to one.
    assert_eq!((lines[0].fee_minor, lines[1].fee_minor), (1, 1));
    assert_eq!(totals.fee_minor, 1);
    let off = text.replace("`0.01200", "`0.01201");
    assert_eq!(code_of(&off), StatementError::TOTALS);
}

#[test]
fn a_summary_that_does_not_add_up_is_refused() {
    let good = "`2,`10.00,`4.00,`0.00,`0.03600,`10.00,`4.00";
    for bad in [
        "`3,`10.00,`4.00,`0.00,`0.03600,`10.00,`4.00",
        "`2,`10.01,`4.00,`0.00,`0.03600,`10.00,`4.00",
        "`2,`10.00,`3.99,`0.00,`0.03600,`10.00,`4.00",
        "`2,`10.00,`4.00,`0.00,`0.03700,`10.00,`4.00",
    ] {
        let text = bill(&[HEADER, PAID, REFUNDED, SUMMARY, bad]);
        let err = read_all(text.as_bytes()).unwrap_err();
        assert_eq!(err.code, StatementError::TOTALS, "{bad}: {err}");
        assert!(err.message.contains("line 5"), "{err}");
    }
    assert!(read_all(bill(&[HEADER, PAID, REFUNDED, SUMMARY, good]).as_bytes()).is_ok());
}

#[test]
fn the_hash_is_of_the_uncompressed_bytes_and_checked_before_the_end() {
    let text = bill(&[
        HEADER,
        PAID,
        SUMMARY,
        "`1,`10.00,`0.00,`0.00,`0.06000,`10.00,`0.00",
    ]);
    let gz = gzip(text.as_bytes());
    let mut wrong = parse_tradebill(gz.clone(), Some(sha1_hex(b"another file")));
    assert!(wrong.next_line().unwrap().is_some());
    let err = wrong.next_line().unwrap_err();
    assert_eq!(err.code, StatementError::HASH_MISMATCH, "{err}");
    assert_eq!(wrong.totals(), None);
    // It keeps failing; it never looks like a short statement.
    assert_eq!(wrong.next_line().unwrap_err(), err);

    let compressed = parse_tradebill(gz.clone(), Some(sha1_hex(&gz)));
    assert_eq!(
        drain(compressed).unwrap_err().code,
        StatementError::HASH_MISMATCH
    );
    assert!(drain(parse_tradebill(gz, None)).is_ok());
}

fn drain(mut parser: TradeBill) -> Result<u64, StatementError> {
    let mut n = 0;
    while parser.next_line()?.is_some() {
        n += 1;
    }
    Ok(n)
}

#[test]
fn a_cut_or_corrupt_gzip_is_truncated() {
    let text = bill(&[
        HEADER,
        PAID,
        REFUNDED,
        SUMMARY,
        "`2,`10.00,`4.00,`0.00,`0.03600,`10.00,`4.00",
    ]);
    let gz = gzip(text.as_bytes());
    for cut in [gz.len() - 4, gz.len() / 2, 12] {
        let err = drain(parse_tradebill(gz[..cut].to_vec(), None)).unwrap_err();
        assert_eq!(err.code, StatementError::TRUNCATED, "cut at {cut}: {err}");
    }
    let mut bad_crc = gz.clone();
    let at = bad_crc.len() - 8;
    bad_crc[at] ^= 0xff;
    let err = drain(parse_tradebill(bad_crc, None)).unwrap_err();
    assert_eq!(err.code, StatementError::TRUNCATED, "{err}");
    assert_eq!(
        drain(parse_tradebill(b"not gzip".to_vec(), None))
            .unwrap_err()
            .code,
        StatementError::TRUNCATED
    );
}

#[test]
fn a_bill_without_its_summary_is_truncated() {
    for lines in [
        &[][..],
        &[HEADER][..],
        &[HEADER, PAID][..],
        &[HEADER, PAID, SUMMARY][..],
    ] {
        let err = read_all(bill(lines).as_bytes()).unwrap_err();
        assert_eq!(err.code, StatementError::TRUNCATED, "{lines:?}: {err}");
    }
}

#[test]
fn bytes_that_are_not_utf8_are_an_encoding_error() {
    // 公仔 in GBK.
    let text = bill(&[
        HEADER,
        PAID,
        SUMMARY,
        "`1,`10.00,`0.00,`0.00,`0.06000,`10.00,`0.00",
    ]);
    let gbk = text
        .as_bytes()
        .windows(6)
        .position(|w| w == "公仔".as_bytes())
        .unwrap();
    let mut bytes = text.into_bytes();
    bytes.splice(gbk..gbk + 6, [0xb9, 0xab, 0xd7, 0xd0]);
    let err = read_all(&bytes).unwrap_err();
    assert_eq!(err.code, StatementError::ENCODING);
    assert!(err.message.contains("line 2"), "{err}");
}

#[test]
fn headers_are_mapped_by_name_and_a_missing_column_is_refused() {
    // The same bill with its first two columns swapped reads the same.
    let swap = |line: &str| {
        let sep = if line.starts_with('`') { ",`" } else { "," };
        let mut parts: Vec<&str> = line.trim_start_matches('`').split(sep).collect();
        parts.swap(0, 1);
        let joined = parts.join(sep);
        if sep == ",`" {
            format!("`{joined}")
        } else {
            joined
        }
    };
    let summary = "`1,`10.00,`0.00,`0.00,`0.06000,`10.00,`0.00";
    let swapped = bill(&[&swap(HEADER), &swap(PAID), SUMMARY, summary]);
    let (lines, _) = read_all(swapped.as_bytes()).unwrap();
    assert_eq!(lines[0].payment_id.as_deref(), Some("pay_1"));

    let renamed = bill(&[
        &HEADER.replace("商户订单号", "商户单号"),
        PAID,
        SUMMARY,
        summary,
    ]);
    let err = read_all(renamed.as_bytes()).unwrap_err();
    assert_eq!(err.code, StatementError::COLUMNS);
    assert!(err.message.contains("商户订单号"), "{err}");
    let unknown = bill(&["a,b,c", PAID, SUMMARY, summary]);
    assert_eq!(code_of(&unknown), StatementError::COLUMNS);
    let summary_renamed = bill(&[
        HEADER,
        PAID,
        &SUMMARY.replace("手续费总金额", "手续费"),
        summary,
    ]);
    assert_eq!(code_of(&summary_renamed), StatementError::COLUMNS);
}

#[test]
fn rows_that_do_not_parse_are_malformed() {
    let summary = "`1,`10.00,`0.00,`0.00,`0.06000,`10.00,`0.00";
    for (from, to) in [
        ("`SUCCESS", "`PAID"),
        ("`10.00,`0.00,`0,", "`10.001,`0.00,`0,"),
        ("`0.06000", "`0.060001"),
        ("`2026-11-22 12:00:04", "`2026-11-22T12:00:04"),
        ("`CNY", "`USD"),
        ("`0.60%,`10.00,`0.00,`", "`0.60%,`10.00,`0.00"),
    ] {
        let text = bill(&[HEADER, &PAID.replace(from, to), SUMMARY, summary]);
        let err = read_all(text.as_bytes()).unwrap_err();
        assert_eq!(err.code, StatementError::MALFORMED, "{to}: {err}");
        assert!(err.message.contains("line 2"), "{err}");
    }
    let refund = REFUNDED.replace("`PROCESSING", "`WHATEVER");
    let text = bill(&[HEADER, &refund, SUMMARY, summary]);
    assert_eq!(code_of(&text), StatementError::MALFORMED);
    let after = bill(&[HEADER, PAID, SUMMARY, summary, "`extra"]);
    assert_eq!(code_of(&after), StatementError::MALFORMED);
    let unticked = bill(&[HEADER, &PAID.replace('`', ""), SUMMARY, summary]);
    assert_eq!(code_of(&unticked), StatementError::MALFORMED);
}

#[test]
fn refund_status_snapshots_and_reversals() {
    for (status, want) in [
        ("SUCCESS", LineStatus::Succeeded),
        ("PROCESSING", LineStatus::Processing),
        ("FAIL", LineStatus::Failed),
        ("CHANGE", LineStatus::Failed),
        ("CLOSED", LineStatus::Failed),
        ("REFUNDCLOSE", LineStatus::Failed),
        ("ABNORMAL", LineStatus::Failed),
    ] {
        assert_eq!(refund_status(status), Some(want), "{status}");
    }
    let revoked = PAID.replace("`SUCCESS", "`REVOKED");
    let text = bill(&[
        HEADER,
        &revoked,
        SUMMARY,
        "`1,`10.00,`0.00,`0.00,`0.06000,`10.00,`0.00",
    ]);
    let (lines, _) = read_all(text.as_bytes()).unwrap();
    assert_eq!(lines[0].kind, LineKind::Reversal);
}

#[test]
fn fees_round_to_fen_and_print_for_messages() {
    assert_eq!(fen(-2400), -2);
    assert_eq!(fen(-2500), -3);
    assert_eq!(fen(42_000), 42);
    assert_eq!(decimal(-2400, 5), "-0.02400");
    assert_eq!(decimal(10_001, 2), "100.01");
}
