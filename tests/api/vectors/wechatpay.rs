//! WeChat Pay v3: the Native order request, query answers, a paid notification, trade bills.

use super::*;
use paycore::domain::Day;
use paycore::provider::statement::{
    LineKind, LineParser, LineStatus, ProviderTotals, StatementError, StatementLine,
};
use paycore::provider::wechatpay;
use paycore::provider::wechatpay::statement::parse_tradebill;

const WECHAT_MCHID: &str = "1230000109";
const WECHAT_SERIAL: &str = "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB";

fn wechat_channel(base: &str) -> wechatpay::Wechatpay {
    wechatpay::Wechatpay::new(
        wechatpay::Settings {
            mchid: WECHAT_MCHID.into(),
            appid: "wxd678efh567hg6787".into(),
            merchant_serial_no: WECHAT_SERIAL.into(),
            private_key: merchant_key(),
            platform_key: VerifyingKey::new(
                keys::public_key(&key_text("wechat_platform_public.pem")).unwrap(),
            ),
            platform_serial: "PUB_KEY_ID_0114232134912410000000000000".into(),
            api_v3_key: Secret::new(key_text("wechat_api_v3_key.txt").trim().as_bytes().to_vec()),
            base_url: base.into(),
            notify_url: "https://www.weixin.qq.com/wxpay/pay.php".into(),
        },
        executor(),
        clock(),
    )
}

fn wechat_answer(status: u16, name: &str) -> Answer {
    Answer::new(
        status,
        "application/json; charset=utf-8",
        header_lines(&vector(&format!("wechatpay/{name}.headers"))),
        &vector(&format!("wechatpay/{name}.json")),
    )
}

/// Checks the documented request headers and the `Authorization` signature of `request`,
/// whose signed message is `METHOD\nURL\ntimestamp\nnonce\nbody\n`.
fn assert_wechat_signed(request: &Captured) {
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_wechat_signature(request);
}

/// Checks the `Authorization` signature of `request` alone.
fn assert_wechat_signature(request: &Captured) {
    assert!(request.header("user-agent").is_some_and(|u| !u.is_empty()));
    let authorization = request.header("authorization").unwrap();
    let params = authorization
        .strip_prefix("WECHATPAY2-SHA256-RSA2048 ")
        .unwrap_or_else(|| panic!("authorization scheme: {authorization}"));
    // Five `key="value"` items; their order does not matter.
    let items: BTreeMap<&str, &str> = params
        .split(',')
        .map(|item| {
            let (k, v) = item.split_once('=').unwrap();
            (k, v.strip_prefix('"').unwrap().strip_suffix('"').unwrap())
        })
        .collect();
    assert_eq!(
        items.keys().copied().collect::<Vec<_>>(),
        ["mchid", "nonce_str", "serial_no", "signature", "timestamp"]
    );
    assert_eq!(items["mchid"], WECHAT_MCHID);
    assert_eq!(items["serial_no"], WECHAT_SERIAL);
    assert_eq!(items["timestamp"], NOW.to_string());
    let nonce = items["nonce_str"];
    assert!(!nonce.is_empty() && nonce.len() <= 32, "{nonce:?}");
    let message = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        request.method,
        request.target,
        items["timestamp"],
        nonce,
        request.body_text()
    );
    assert!(
        merchant_signed(message.as_bytes(), items["signature"]),
        "signature over {message:?}"
    );
}

#[tokio::test]
async fn wechatpay_native_request_is_the_documented_signed_order() {
    let (base, task) = serve(vec![wechat_answer(200, "native_response")]).await;
    let channel = wechat_channel(&base);
    let cny = Money::new(1000, currency("CNY"));
    let placed = channel
        .create(
            &payment(cny, Method::QrCode, "Image形象店-深圳腾大-QQ公仔"),
            &attempt(),
        )
        .await
        .unwrap();
    assert_eq!(
        placed,
        Placed::AwaitingBuyer {
            action: NextAction::QrCode("weixin://wxpay/bizpayurl?pr=p4lpSuKzz".into()),
            reference: None,
        }
    );

    let sent = requests(task).await;
    let order = &sent[0];
    assert_eq!(order.method, "POST");
    assert_eq!(order.target, "/v3/pay/transactions/native");
    assert_eq!(order.header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_slice(&order.body).unwrap();
    let expected: Value = serde_json::from_str(&vector("wechatpay/native_request.json")).unwrap();
    assert_eq!(body, expected);
    assert_wechat_signed(order);
}

#[tokio::test]
async fn wechatpay_query_answers_read_as_documented() {
    let mut altered = wechat_answer(200, "query_response");
    altered.body = vector("wechatpay/query_response.json")
        .replace("\"total\": 1000", "\"total\": 1001")
        .into_bytes();
    let (base, task) = serve(vec![
        wechat_answer(200, "query_response"),
        wechat_answer(404, "query_not_exist_response"),
        altered,
    ])
    .await;
    let channel = wechat_channel(&base);
    let p = payment(Money::new(1000, currency("CNY")), Method::QrCode, "");
    assert_eq!(
        channel.query(&p).await.unwrap(),
        OrderState::Paid {
            transaction_id: "4200000891202103228088184743".into(),
            // success_time 2021-03-22T10:29:05+08:00.
            paid_at: at(1_616_380_145),
        }
    );
    assert_eq!(channel.query(&p).await.unwrap(), OrderState::NotFound);
    let refused = channel.query(&p).await.unwrap_err();
    assert_eq!(refused.code, "RESPONSE_SIGNATURE_INVALID");

    let sent = requests(task).await;
    let query = &sent[0];
    assert_eq!(query.method, "GET");
    assert_eq!(
        query.target,
        format!("/v3/pay/transactions/out-trade-no/{PAYMENT_ID}?mchid={WECHAT_MCHID}")
    );
    assert!(query.body.is_empty());
    assert_wechat_signed(query);
}

#[test]
fn wechatpay_notification_decrypts_and_reads_as_paid() {
    let headers = header_map(&header_lines(&vector("wechatpay/notify.headers")));
    let body = vector("wechatpay/notify.json");
    let channel = wechat_channel("http://127.0.0.1:1");
    assert_eq!(
        channel
            .verify_notification(&headers, body.as_bytes(), at(NOW))
            .unwrap(),
        Notification::Paid {
            payment_id: PAYMENT_ID.parse::<PaymentId>().unwrap(),
            transaction_id: "1217752501201407033233368018".into(),
            amount: Money::new(1000, currency("CNY")),
            // success_time 2018-06-08T10:34:56+08:00.
            paid_at: at(1_528_425_296),
        }
    );
    let tampered = body.replacen("EV-2018022511223320873", "EV-2018022511223320874", 1);
    assert_eq!(
        channel.verify_notification(&headers, tampered.as_bytes(), at(NOW)),
        Err(Rejected::BadSignature)
    );
    let ack = channel.acknowledgement();
    assert!(matches!(ack.status, 200 | 204), "{}", ack.status);
}

fn vector_bytes(path: &str) -> Vec<u8> {
    std::fs::read(format!("{VECTORS}/{path}")).unwrap()
}

/// `text` signed by the platform key at [`NOW`], as WeChat Pay answers.
fn platform_signed(status: u16, text: &str) -> Answer {
    let key = SigningKey::<Sha256>::new(
        keys::private_key(&key_text("wechat_platform_pkcs8.pem")).unwrap(),
    );
    let nonce = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS";
    let signature = keys::sign(&key, format!("{NOW}\n{nonce}\n{text}\n").as_bytes());
    let headers = [
        ("Wechatpay-Timestamp", NOW.to_string()),
        ("Wechatpay-Nonce", nonce.to_owned()),
        ("Wechatpay-Signature", signature),
        (
            "Wechatpay-Serial",
            "PUB_KEY_ID_0114232134912410000000000000".to_owned(),
        ),
        (
            "Wechatpay-Signature-Type",
            "WECHATPAY2-SHA256-RSA2048".to_owned(),
        ),
    ];
    Answer::new(
        status,
        "application/json; charset=utf-8",
        headers.map(|(k, v)| (k.to_owned(), v)).to_vec(),
        text,
    )
}

fn china(text: &str) -> Option<Timestamp> {
    let (civil, _) = paycore::domain::time::Civil::parse_prefix(text, b' ').unwrap();
    Timestamp::from_civil(civil, paycore::domain::time::CHINA_OFFSET_SECS)
}

#[tokio::test]
async fn wechatpay_trade_bill_reads_the_documented_layout() {
    // The download answers with the file, unsigned.
    let file = vector_bytes("wechatpay/tradebill_all.csv.gz");
    let (files, download) = serve(vec![Answer {
        status: 200,
        headers: vec![("Content-Type".into(), "application/octet-stream".into())],
        body: file,
    }])
    .await;
    let sha1 = vector("wechatpay/tradebill_all.sha1");
    let answer = serde_json::json!({
        "hash_type": "SHA1",
        "hash_value": sha1.trim(),
        "download_url": format!("{files}/v3/billdownload/file?token=6XIv5TUPto7pByrTQKhd6kwvyKLG2uY2wMMR8cNXqaA_Cv_isgaUtBzp4QtiozLO&tartype=gzip"),
    });
    let (base, task) = serve(vec![platform_signed(200, &answer.to_string())]).await;
    let channel = wechat_channel(&base);
    let mut reader = channel
        .statement(Day::parse("2015-01-01").unwrap())
        .await
        .unwrap();
    let mut lines = Vec::new();
    loop {
        let batch = reader.next_batch(10).await.unwrap();
        if batch.is_empty() {
            break;
        }
        lines.extend(batch);
    }
    let paid = StatementLine {
        number: 2,
        kind: LineKind::Payment,
        transaction_id: Some("4200000008201712143733500001".into()),
        payment_id: Some("outtradeno001".into()),
        refund_id: None,
        provider_refund_id: None,
        amount_minor: 10_000,
        currency: "CNY".into(),
        fee_minor: 60,
        status: LineStatus::Succeeded,
        at: china("2015-01-01 10:00:00"),
    };
    assert_eq!(
        lines,
        [
            paid.clone(),
            StatementLine {
                number: 3,
                kind: LineKind::Refund,
                refund_id: Some("1217752501201407033233368018".into()),
                provider_refund_id: Some("50000000382019052709732678859".into()),
                amount_minor: 3000,
                fee_minor: -18,
                at: china("2015-01-01 11:00:00"),
                ..paid.clone()
            },
            StatementLine {
                number: 4,
                transaction_id: Some("420000612032130748613220688".into()),
                payment_id: Some("2021WERUN1647840687637".into()),
                amount_minor: 1,
                fee_minor: 0,
                at: china("2015-01-01 13:51:31"),
                ..paid
            },
        ]
    );
    assert_eq!(
        reader.totals(),
        Some(ProviderTotals {
            payments: 2,
            payment_minor: 10_001,
            refunds: 1,
            refund_minor: 3000,
            fee_minor: 42,
        })
    );

    let sent = requests(task).await;
    assert_eq!(sent[0].method, "GET");
    assert_eq!(
        sent[0].target,
        "/v3/bill/tradebill?bill_date=2015-01-01&bill_type=ALL&tar_type=GZIP"
    );
    assert_wechat_signed(&sent[0]);
    let fetched = requests(download).await;
    assert_eq!(
        fetched[0].target,
        "/v3/billdownload/file?token=6XIv5TUPto7pByrTQKhd6kwvyKLG2uY2wMMR8cNXqaA_Cv_isgaUtBzp4QtiozLO&tartype=gzip"
    );
    assert_wechat_signature(&fetched[0]);
}

/// Reads a whole bill with the public parser, as another provider writing this format would.
fn parse_all(
    gz: Vec<u8>,
    sha1: &str,
) -> Result<(Vec<StatementLine>, ProviderTotals), StatementError> {
    let mut parser = parse_tradebill(gz, Some(sha1.trim().to_owned()));
    let mut lines = Vec::new();
    while let Some(line) = parser.next_line()? {
        lines.push(line);
    }
    Ok((lines, parser.totals().unwrap()))
}

#[test]
fn wechatpay_legacy_trade_bill_reads_the_documented_example() {
    let gz = vector_bytes("wechatpay/tradebill_legacy.csv.gz");
    let sha1 = vector("wechatpay/tradebill_legacy.sha1");
    let (lines, totals) = parse_all(gz.clone(), &sha1).unwrap();
    let ids: Vec<_> = lines
        .iter()
        .map(|l| (l.payment_id.clone().unwrap(), l.amount_minor, l.fee_minor))
        .collect();
    assert_eq!(
        ids,
        [("1415640626".into(), 1, 0), ("1415635270".into(), 1, 0)]
    );
    assert_eq!(lines[0].at, china("2014-11-10 16:33:45"));
    assert_eq!(
        totals,
        ProviderTotals {
            payments: 2,
            payment_minor: 2,
            ..ProviderTotals::default()
        }
    );
    let other = vector("wechatpay/tradebill_all.sha1");
    assert_eq!(
        parse_all(gz, &other).unwrap_err().code,
        StatementError::HASH_MISMATCH
    );
}
