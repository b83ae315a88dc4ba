//! Alipay: the precreate request, query and refund answers, a paid notification, the trade
//! bill and its download.

use super::*;
use paycore::provider::alipay;

const ALIPAY_APP_ID: &str = "2014072300007148";

fn alipay_channel(base: &str) -> alipay::Alipay {
    alipay::Alipay::new(
        alipay::Settings {
            app_id: ALIPAY_APP_ID.into(),
            private_key: merchant_key(),
            alipay_public_key: VerifyingKey::new(
                keys::public_key(&key_text("alipay_platform_public.pem")).unwrap(),
            ),
            gateway_url: format!("{base}/gateway.do"),
            notify_url: "http://api.test.alipay.net/atinterface/receive_notify.htm".into(),
        },
        executor(),
        clock(),
    )
}

/// The parameters of a gateway call, query string and form body together, as the gateway
/// reads them.
fn alipay_params(request: &Captured) -> BTreeMap<String, String> {
    assert_eq!(request.method, "POST");
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((&request.target, ""));
    assert_eq!(path, "/gateway.do");
    assert!(
        request
            .header("content-type")
            .unwrap()
            .starts_with("application/x-www-form-urlencoded"),
        "{:?}",
        request.header("content-type")
    );
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .chain(form_urlencoded::parse(&request.body).into_owned())
        .collect()
}

/// Alipay's content to sign: parameters but `exclude`, empty values dropped, sorted by key,
/// `key=value` joined with `&`, values as they are.
fn alipay_content(params: &BTreeMap<String, String>, exclude: &[&str]) -> String {
    params
        .iter()
        .filter(|(k, v)| !v.is_empty() && !exclude.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn alipay_answer(path: &str) -> Answer {
    Answer::new(
        200,
        "application/json;charset=utf-8",
        Vec::new(),
        &vector(path),
    )
}

#[tokio::test]
async fn alipay_precreate_request_is_the_documented_signed_form() {
    let (base, task) = serve(vec![alipay_answer("alipay/precreate_response.json")]).await;
    let channel = alipay_channel(&base);
    let cny = Money::new(1000, currency("CNY"));
    let placed = channel
        .create(&payment(cny, Method::QrCode, "Iphone6 16G"), &attempt())
        .await
        .unwrap();
    assert_eq!(
        placed,
        Placed::AwaitingBuyer {
            action: NextAction::QrCode("https://qr.alipay.com/bavh4wjlxf12tper3a".into()),
            reference: None,
        }
    );

    let sent = requests(task).await;
    let params = alipay_params(&sent[0]);
    let field = |k: &str| params.get(k).map(String::as_str);
    assert_eq!(field("app_id"), Some(ALIPAY_APP_ID));
    assert_eq!(field("method"), Some("alipay.trade.precreate"));
    assert_eq!(field("format"), Some("JSON"));
    assert_eq!(field("charset"), Some("utf-8"));
    assert_eq!(field("sign_type"), Some("RSA2"));
    assert_eq!(field("version"), Some("1.0"));
    assert_eq!(field("timestamp"), Some("2026-11-22 12:00:00"));
    let biz: Value = serde_json::from_str(field("biz_content").unwrap()).unwrap();
    assert_eq!(biz["out_trade_no"], PAYMENT_ID);
    assert_eq!(biz["total_amount"], "10.00", "yuan, as a string");
    assert_eq!(biz["subject"], "Iphone6 16G");
    assert_eq!(biz["time_expire"], "2026-11-22 14:00:00");

    // The string to sign and its signature, byte for byte.
    assert_eq!(
        alipay_content(&params, &["sign"]),
        vector("alipay/precreate_request.txt").trim_end()
    );
    assert_eq!(
        field("sign"),
        Some(vector("alipay/precreate_request.sig").trim_end())
    );
}

#[tokio::test]
async fn alipay_query_answers_read_as_documented() {
    let paid = vector("alipay/query_response.json");
    // Indentation inside the signed object is part of what Alipay signs.
    let reindented = paid.replacen("\n        \"code\"", "\n       \"code\"", 1);
    assert_ne!(reindented, paid);
    let (base, task) = serve(vec![
        alipay_answer("alipay/query_response.json"),
        alipay_answer("alipay/query_not_exist_response.json"),
        Answer::new(
            200,
            "application/json;charset=utf-8",
            Vec::new(),
            &reindented,
        ),
    ])
    .await;
    let channel = alipay_channel(&base);
    let p = payment(Money::new(1000, currency("CNY")), Method::QrCode, "");
    assert_eq!(
        channel.query(&p).await.unwrap(),
        OrderState::Paid {
            transaction_id: "2013112011001004330000121536".into(),
            // send_pay_date 2014-11-27 15:45:57, China time.
            paid_at: at(1_417_074_357),
        }
    );
    assert_eq!(channel.query(&p).await.unwrap(), OrderState::NotFound);
    let refused = channel.query(&p).await.unwrap_err();
    assert_eq!(refused.code, "RESPONSE_SIGNATURE_INVALID");

    let sent = requests(task).await;
    let params = alipay_params(&sent[0]);
    assert_eq!(params["method"], "alipay.trade.query");
    let biz: Value = serde_json::from_str(&params["biz_content"]).unwrap();
    assert_eq!(biz, serde_json::json!({ "out_trade_no": PAYMENT_ID }));
    assert!(merchant_signed(
        alipay_content(&params, &["sign"]).as_bytes(),
        &params["sign"]
    ));
}

#[tokio::test]
async fn alipay_refund_answers_succeed_only_when_funds_moved() {
    let (base, task) = serve(vec![
        alipay_answer("alipay/refund_response.json"),
        alipay_answer("alipay/refund_unconfirmed_response.json"),
    ])
    .await;
    let channel = alipay_channel(&base);
    let p = payment(Money::new(1000, currency("CNY")), Method::QrCode, "");
    let refund = refund_of(&p, Money::new(300, currency("CNY")));
    let provider_refund_id = Some(format!("2013112011001004330000121536:{}", refund.id));
    assert_eq!(
        channel.refund(&p, &refund).await.unwrap(),
        RefundState::Succeeded {
            provider_refund_id: provider_refund_id.clone()
        }
    );
    // fund_change "N" (or none): taken, but not known to be done; the refund query says.
    assert_eq!(
        channel.refund(&p, &refund).await.unwrap(),
        RefundState::Pending { provider_refund_id }
    );

    let sent = requests(task).await;
    let params = alipay_params(&sent[0]);
    assert_eq!(params["method"], "alipay.trade.refund");
    let biz: Value = serde_json::from_str(&params["biz_content"]).unwrap();
    assert_eq!(biz["out_trade_no"], PAYMENT_ID);
    assert_eq!(biz["refund_amount"], "3.00", "yuan, as a string");
    assert_eq!(biz["out_request_no"], refund.id.as_str());
    assert_eq!(biz["refund_reason"], "正常退款");
    assert!(merchant_signed(
        alipay_content(&params, &["sign"]).as_bytes(),
        &params["sign"]
    ));
}

#[test]
fn alipay_notification_verifies_and_reads_as_paid() {
    let pairs: Vec<(String, String)> = vector("alipay/notify.txt")
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect();
    let params: BTreeMap<String, String> = pairs.iter().cloned().collect();
    assert_eq!(
        alipay_content(&params, &["sign", "sign_type"]),
        vector("alipay/notify_content.txt").trim_end(),
        "the sample's signature covers everything but sign and sign_type"
    );
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    let channel = alipay_channel("http://127.0.0.1:1");
    assert_eq!(
        channel
            .verify_notification(&HeaderMap::new(), body.as_bytes(), at(NOW))
            .unwrap(),
        Notification::Paid {
            payment_id: PAYMENT_ID.parse::<PaymentId>().unwrap(),
            transaction_id: "2015061121001004400068549373".into(),
            amount: Money::new(1000, currency("CNY")),
            // gmt_payment 2015-06-11 22:33:59, China time.
            paid_at: at(1_434_033_239),
        }
    );
    let tampered = body.replace("total_amount=10.00", "total_amount=100.00");
    assert_eq!(
        channel.verify_notification(&HeaderMap::new(), tampered.as_bytes(), at(NOW)),
        Err(Rejected::BadSignature)
    );
    let ack = channel.acknowledgement();
    assert_eq!((ack.status, ack.body.as_str()), (200, "success"));
}

/// A gateway answer wrapping `inner` (a documented sample with the download host made
/// loopback), signed with the platform key over exactly that text.
fn alipay_signed_answer(method: &str, inner: &str) -> Answer {
    let platform = SigningKey::<Sha256>::new(
        keys::private_key(&key_text("alipay_platform_pkcs1.pem")).unwrap(),
    );
    let name = format!("{}_response", method.replace('.', "_"));
    let body = format!(
        r#"{{"{name}":{inner},"sign":"{}"}}"#,
        keys::sign(&platform, inner.as_bytes())
    );
    Answer::new(200, "application/json;charset=utf-8", Vec::new(), &body)
}

const BILL_METHOD: &str = "alipay.data.dataservice.bill.downloadurl.query";

#[tokio::test]
async fn alipay_trade_bill_zip_reads_as_the_documented_lines() {
    use paycore::domain::Day;
    use paycore::provider::statement::{LineKind, ProviderTotals};

    let zip = std::fs::read(format!("{VECTORS}/alipay/bill_trade.zip")).unwrap();
    let (files, download) = serve(vec![Answer {
        status: 200,
        headers: vec![("Content-Type".into(), "application/octet-stream".into())],
        body: zip,
    }])
    .await;
    let inner = vector("alipay/bill_downloadurl_inner.json")
        .trim_end()
        .replace("http://dwbillcenter.alipay.com", &files);
    let (base, gateway) = serve(vec![alipay_signed_answer(BILL_METHOD, &inner)]).await;
    let channel = alipay_channel(&base);
    let day = Day::parse("2026-11-22").unwrap();
    let mut reader = channel.statement(day).await.unwrap();
    let mut lines = Vec::new();
    loop {
        let batch = reader.next_batch(100).await.unwrap();
        if batch.is_empty() {
            break;
        }
        lines.extend(batch);
    }
    let summary: Vec<_> = lines
        .iter()
        .map(|l| {
            (
                l.number,
                l.kind.clone(),
                l.transaction_id.as_deref().unwrap(),
                l.payment_id.as_deref().unwrap(),
                l.refund_id.as_deref(),
                l.amount_minor,
                l.fee_minor,
                l.at.unwrap().as_secs(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            // 完成时间 2026-11-22 12:00:04, China time.
            (
                6,
                LineKind::Payment,
                "2026112222001004330000121536",
                PAYMENT_ID,
                None,
                1000,
                6,
                NOW + 4
            ),
            (
                7,
                LineKind::Payment,
                "2026112222001004720299453898",
                "cd6ece976b514130977cb06048359684",
                None,
                2000,
                12,
                NOW + 12 * 3600 - 1
            ),
            (
                8,
                LineKind::Refund,
                "2026112222001004330000121536",
                PAYMENT_ID,
                Some("rfd_01KAQ8ZB00CX2N6H4DGT5RJ3VY"),
                300,
                -2,
                NOW + 1801
            ),
        ]
    );
    assert_eq!(
        reader.totals(),
        Some(ProviderTotals {
            payments: 2,
            payment_minor: 3000,
            refunds: 1,
            refund_minor: 300,
            fee_minor: 16,
        })
    );

    let sent = requests(gateway).await;
    let params = alipay_params(&sent[0]);
    assert_eq!(params["method"], BILL_METHOD);
    let biz: Value = serde_json::from_str(&params["biz_content"]).unwrap();
    assert_eq!(
        biz,
        serde_json::json!({ "bill_type": "trade", "bill_date": "2026-11-22" })
    );
    assert!(merchant_signed(
        alipay_content(&params, &["sign"]).as_bytes(),
        &params["sign"]
    ));
    let fetched = requests(download).await;
    assert_eq!(fetched[0].method, "GET");
    assert!(
        fetched[0]
            .target
            .starts_with("/downloadBillFile.resource?bizType=trade&"),
        "{}",
        fetched[0].target
    );
    assert!(fetched[0].body.is_empty());
}

#[tokio::test]
async fn alipay_bill_not_exist_is_not_ready_and_a_forged_url_is_refused() {
    use paycore::domain::Day;
    use paycore::provider::StatementError;

    let inner = vector("alipay/bill_downloadurl_inner.json");
    let forged = alipay_signed_answer(BILL_METHOD, inner.trim_end());
    let mut forged_body = String::from_utf8(forged.body).unwrap();
    forged_body = forged_body.replace("dwbillcenter.alipay.com", "dwbillcenter.alipay.com.evil");
    let (base, _task) = serve(vec![
        alipay_signed_answer(
            BILL_METHOD,
            vector("alipay/bill_not_exist_inner.json").trim_end(),
        ),
        Answer::new(200, "application/json", Vec::new(), &forged_body),
    ])
    .await;
    let channel = alipay_channel(&base);
    let day = Day::parse("2026-11-22").unwrap();
    let not_ready = channel.statement(day).await.err().unwrap();
    assert_eq!(not_ready.code, StatementError::NOT_READY, "{not_ready}");
    assert!(not_ready.message.contains("isp.bill_not_exist"));
    let refused = channel.statement(day).await.err().unwrap();
    assert_eq!(refused.code, StatementError::PROVIDER_ERROR, "{refused}");
    assert!(refused.message.contains("RESPONSE_SIGNATURE_INVALID"));
}
