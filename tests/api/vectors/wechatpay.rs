//! WeChat Pay v3: the Native order request, query answers, a paid notification.

use super::*;
use paycore::provider::wechatpay;

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
