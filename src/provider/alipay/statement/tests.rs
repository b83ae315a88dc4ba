//! The bill parser against the Python-made vector and against bills written here (stored
//! zips of GBK text) that are damaged one way each.

use super::super::zip::tests::{Item, VECTOR, write_zip};
use super::*;
use crate::domain::Timestamp;

const DETAIL: &str = "20885212319120680156_20261122_业务明细.csv";
const SUMMARY: &str = "20885212319120680156_20261122_业务明细(汇总).csv";
const HEADER: &str = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,对方账户,\
    订单金额(元),商家实收(元),退款批次号/请求号,服务费(元),备注";

/// A bill whose detail file is `lines` (GBK), after a summary.
fn bill_of(lines: &[&str]) -> Vec<u8> {
    let text = lines.join("\r\n") + "\r\n";
    let (detail, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    zip_of(&detail)
}

fn zip_of(detail: &[u8]) -> Vec<u8> {
    let (summary_name, _, _) = encoding_rs::GBK.encode(SUMMARY);
    let (detail_name, _, _) = encoding_rs::GBK.encode(DETAIL);
    write_zip(&[
        Item {
            name: &summary_name,
            utf8: false,
            content: b"#summary\r\n",
            deflate: false,
        },
        Item {
            name: &detail_name,
            utf8: false,
            content: detail,
            deflate: false,
        },
    ])
}

fn trade(no: u32, amount: &str, fee: &str) -> String {
    format!(
        "20261122220010043300000{no:05}\t,pay_{no}\t,交易\t,商品,2026-11-22 12:00:00,\
         2026-11-22 12:00:04,*杨(137****2600)\t,{amount},{amount},\t,{fee},"
    )
}

fn refund(no: u32, amount: &str, request: &str, fee: &str) -> String {
    format!(
        "20261122220010043300000{no:05}\t,pay_{no}\t,退款\t,商品,2026-11-22 13:00:00,\
         2026-11-22 13:00:01,*杨(137****2600)\t,{amount},{amount},{request}\t,{fee},"
    )
}

const START: &str = "#-----------------------------------------业务明细列表----------------------------------------";
const END: &str = "#-----------------------------------------业务明细列表结束------------------------------------";

/// A whole bill with two trades and a refund; `edit` changes its lines first.
fn bill(edit: impl FnOnce(&mut Vec<String>)) -> Vec<u8> {
    let mut lines: Vec<String> = [
        "#支付宝业务明细查询",
        "#账号：[20885212319120680156]",
        START,
        HEADER,
        &trade(1, "10.00", "-0.06"),
        &trade(2, "0.01", "0.00"),
        &refund(1, "-3.00", "rfd_1", "0.02"),
        END,
        "#交易合计：2笔，商家实收共10.01元，商家优惠共0.00元",
        "#退款合计：1笔，商家实收退款共-3.00元，商家优惠退款共0.00元",
        "#导出时间：[2026年11月23日 10:24:18]",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    edit(&mut lines);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    bill_of(&refs)
}

fn read(bytes: Vec<u8>) -> Result<(Vec<StatementLine>, ProviderTotals), StatementError> {
    let mut parser = Bill::open(bytes)?;
    let mut lines = Vec::new();
    while let Some(line) = parser.next_line()? {
        lines.push(line);
    }
    assert_eq!(parser.next_line(), Ok(None), "the end stays the end");
    Ok((lines, parser.totals().unwrap()))
}

fn fails(bytes: Vec<u8>) -> StatementError {
    read(bytes).unwrap_err()
}

fn china(s: &str) -> Option<Timestamp> {
    parse_china_time(s)
}

#[test]
fn the_documented_sample_reads_as_lines_and_totals() {
    let (lines, totals) = read(VECTOR.to_vec()).unwrap();
    let payment = "pay_01KAQ8ZB00CX2N6H4DGT5RJ3VW";
    assert_eq!(
        lines,
        [
            StatementLine {
                number: 6,
                kind: LineKind::Payment,
                transaction_id: Some("2026112222001004330000121536".into()),
                payment_id: Some(payment.into()),
                refund_id: None,
                provider_refund_id: None,
                amount_minor: 1000,
                currency: "CNY".into(),
                fee_minor: 6,
                status: LineStatus::Succeeded,
                at: china("2026-11-22 12:00:04"),
            },
            StatementLine {
                number: 7,
                kind: LineKind::Payment,
                transaction_id: Some("2026112222001004720299453898".into()),
                payment_id: Some("cd6ece976b514130977cb06048359684".into()),
                refund_id: None,
                provider_refund_id: None,
                amount_minor: 2000,
                currency: "CNY".into(),
                fee_minor: 12,
                status: LineStatus::Succeeded,
                at: china("2026-11-22 23:59:59"),
            },
            StatementLine {
                number: 8,
                kind: LineKind::Refund,
                transaction_id: Some("2026112222001004330000121536".into()),
                payment_id: Some(payment.into()),
                refund_id: Some("rfd_01KAQ8ZB00CX2N6H4DGT5RJ3VY".into()),
                provider_refund_id: Some(
                    "2026112222001004330000121536:rfd_01KAQ8ZB00CX2N6H4DGT5RJ3VY".into()
                ),
                amount_minor: 300,
                currency: "CNY".into(),
                fee_minor: -2,
                status: LineStatus::Succeeded,
                at: china("2026-11-22 12:30:01"),
            },
        ]
    );
    assert_eq!(
        totals,
        ProviderTotals {
            payments: 2,
            payment_minor: 3000,
            refunds: 1,
            refund_minor: 300,
            fee_minor: 16,
        }
    );
}

#[test]
fn columns_are_found_by_name_in_any_order_with_either_parentheses() {
    let bytes = bill(|l| {
        // Full-width parentheses, a column moved to the front and an extra one.
        let moved = |row: &str| {
            let mut f: Vec<&str> = row.split(',').collect();
            let fee = f.remove(10);
            f.insert(0, fee);
            f.push("x");
            f.join(",")
        };
        for line in &mut l[3..7] {
            *line = moved(line);
        }
        l[3] = l[3].replace('(', "（").replace(')', "）");
        assert!(l[3].starts_with("服务费（元）,支付宝交易号"), "{}", l[3]);
    });
    let (lines, totals) = read(bytes).unwrap();
    let fees: Vec<i64> = lines.iter().map(|l| l.fee_minor).collect();
    assert_eq!(fees, [6, 0, -2]);
    assert_eq!(lines[2].refund_id.as_deref(), Some("rfd_1"));
    assert_eq!(
        lines[2].provider_refund_id.as_deref(),
        Some("2026112222001004330000000001:rfd_1")
    );
    assert_eq!((totals.payment_minor, totals.refund_minor), (1001, 300));
}

#[test]
fn a_comma_in_the_last_free_text_column_is_kept_out_of_the_others() {
    let bytes = bill(|l| l[4].push_str("备注,带逗号"));
    let (lines, _) = read(bytes).unwrap();
    assert_eq!(lines[0].amount_minor, 1000);
    let short = bill(|l| l[5] = l[5].rsplit_once(',').unwrap().0.to_owned());
    let e = fails(short);
    assert_eq!(e.code, StatementError::MALFORMED, "{e}");
    assert!(e.message.contains("line 6"), "{e}");
}

#[test]
fn other_business_types_are_kept_but_not_counted() {
    let bytes = bill(|l| l.insert(7, trade(3, "5.00", "0.00").replace("交易", "冻结")));
    let (lines, totals) = read(bytes).unwrap();
    assert_eq!(lines[3].kind, LineKind::Other("冻结".into()));
    assert_eq!(totals.payments, 2);
}

#[test]
fn a_missing_or_renamed_column_is_named() {
    let e = fails(bill(|l| l[3] = l[3].replace("商户订单号", "商户订单编号")));
    assert_eq!(e.code, StatementError::COLUMNS);
    assert!(e.message.contains("no column 商户订单号"), "{e}");
    assert!(
        e.message.contains(DETAIL) && e.message.contains("line 4"),
        "{e}"
    );
}

#[test]
fn text_that_is_not_gbk_is_refused_with_its_line() {
    let (gbk, _, _) = encoding_rs::GBK.encode("#支付宝业务明细查询\r\n");
    // UTF-8 of 明 ends in a GBK lead byte with no trail byte after it.
    let utf8 = "#明".as_bytes();
    assert!(
        encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(utf8)
            .is_none()
    );
    let mut bytes = gbk.into_owned();
    bytes.extend_from_slice(utf8);
    bytes.extend_from_slice(b"\r\n");
    let e = fails(zip_of(&bytes));
    assert_eq!(e.code, StatementError::ENCODING, "{e}");
    assert!(e.message.contains("line 2"), "{e}");
}

#[test]
fn footer_totals_that_differ_from_the_rows_are_refused() {
    let e = fails(bill(|l| l[8] = l[8].replace("2笔", "3笔")));
    assert_eq!(e.code, StatementError::TOTALS, "{e}");
    assert!(e.message.contains("line 9"), "{e}");
    let e = fails(bill(|l| l[8] = l[8].replace("10.01元", "10.02元")));
    assert_eq!(e.code, StatementError::TOTALS, "{e}");
    let e = fails(bill(|l| l[9] = l[9].replace("-3.00元", "-3.01元")));
    assert_eq!(e.code, StatementError::TOTALS, "{e}");
    assert!(e.message.contains("退款"), "{e}");
    let e = fails(bill(|l| l[9] = l[9].replace("1笔", "0笔")));
    assert_eq!(e.code, StatementError::TOTALS, "{e}");
}

#[test]
fn a_bill_cut_short_is_truncated() {
    for keep in [3, 6, 7, 8, 9] {
        let e = fails(bill(|l| l.truncate(keep)));
        assert_eq!(e.code, StatementError::TRUNCATED, "{keep}: {e}");
    }
    let whole = bill(|_| ());
    let e = fails(whole[..whole.len() - 30].to_vec());
    assert_eq!(e.code, StatementError::TRUNCATED, "{e}");
    let e = fails(VECTOR[..VECTOR.len() * 2 / 3].to_vec());
    assert_eq!(e.code, StatementError::TRUNCATED, "{e}");
}

#[test]
fn rows_that_do_not_parse_name_their_line() {
    type Edit = fn(&str) -> String;
    let cases: [(usize, Edit, &str); 5] = [
        (4, |r| r.replace("10.00", "10.0O"), "订单金额(元)"),
        (4, |r| r.replace("-0.06", "-0.061"), "服务费(元)"),
        (
            4,
            |r| r.replace("2026-11-22 12:00:04", "2026/11/22 12:00:04"),
            "完成时间",
        ),
        (4, |r| r.replace("10.00", "-10.00"), "wrong sign"),
        (6, |r| r.replace("-3.00", "3.00"), "wrong sign"),
    ];
    for (at, edit, what) in cases {
        let e = fails(bill(|l| l[at] = edit(&l[at])));
        assert_eq!(e.code, StatementError::MALFORMED, "{e}");
        assert!(e.message.contains(&format!("line {}", at + 1)), "{e}");
        assert!(e.message.contains(what), "{e}");
    }
    let e = fails(bill(|l| l[5].push_str(&"x".repeat(MAX_LINE))));
    assert_eq!(e.code, StatementError::MALFORMED, "{e}");
    let e = fails(bill(|l| l[8] = "#交易合计：两笔".into()));
    assert_eq!(e.code, StatementError::MALFORMED, "{e}");
}

#[test]
fn the_archive_must_hold_a_detail_file_and_be_a_zip() {
    let only_summary = write_zip(&[Item {
        name: &encoding_rs::GBK.encode(SUMMARY).0,
        utf8: false,
        content: b"#",
        deflate: false,
    }]);
    let e = fails(only_summary);
    assert_eq!(e.code, StatementError::MALFORMED, "{e}");
    assert!(e.message.contains("业务明细(汇总).csv"), "{e}");
    let e = fails("下载超时,请重新下载".as_bytes().to_vec());
    assert_eq!(e.code, StatementError::DOWNLOAD_FAILED, "{e}");
}

#[test]
fn fields_lose_their_padding_and_quotes() {
    assert_eq!(
        fields(" a\t, \"b,c\" ,\"d\"\"e\",\t"),
        ["a", "b,c", "d\"e", ""]
    );
    assert_eq!(header_name("订单金额（元）"), "订单金额(元)");
    assert_eq!(
        footer("：2笔，商家实收共10.01元，商家优惠共0.00元", "商家实收共"),
        Some(Tally {
            count: 2,
            fen: 1001
        })
    );
    assert_eq!(
        footer(":0笔，商家实收退款共-0.00元", "商家实收退款共"),
        Some(Tally::default())
    );
    assert_eq!(footer("：2笔，总金额10.01元", "商家实收共"), None);
}

#[test]
fn bill_answers_are_not_ready_or_errors() {
    let day = Day::parse("2026-11-22").unwrap();
    let answer = |sub: &str| CallError::Answer {
        code: "40004".into(),
        sub_code: sub.into(),
        message: "Business Failed: simulated".into(),
    };
    assert_eq!(
        refused(answer("isp.bill_not_exist"), day).code,
        StatementError::NOT_READY
    );
    let e = refused(answer("isv.invalid-arguments"), day);
    assert_eq!(e.code, StatementError::PROVIDER_ERROR);
    assert!(
        e.message.contains("isv.invalid-arguments") && e.message.contains("2026-11-22"),
        "{e}"
    );
    let forged = CallError::Transport(crate::provider::ChannelFailure::new(
        crate::provider::FailureKind::Ambiguous,
        "RESPONSE_SIGNATURE_INVALID",
        "bad",
    ));
    assert_eq!(refused(forged, day).code, StatementError::PROVIDER_ERROR);
    let down = CallError::Transport(crate::provider::ChannelFailure::new(
        crate::provider::FailureKind::NotProcessed,
        "CONNECT_FAILED",
        "refused",
    ));
    assert_eq!(refused(down, day).code, StatementError::DOWNLOAD_FAILED);
}

proptest::proptest! {
    #[test]
    fn arbitrary_detail_text_never_panics(text in "[#,\\t 0-9.\\-交易退款元笔：\r\n]{0,300}") {
        let mut lines = vec![START.to_owned(), HEADER.to_owned()];
        lines.push(text);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let _ = read(bill_of(&refs));
    }
}
