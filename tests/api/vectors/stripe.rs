//! Stripe: the PaymentIntent create request, a retrieved intent, a webhook, and a day's
//! balance transactions as a statement.

use super::*;
use paycore::domain::Day;
use paycore::provider::statement::{LineKind, LineStatus, ProviderTotals, StatementLine};
use paycore::provider::{StatementError, stripe};

const STRIPE_KEY: &str = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
const INTENT: &str = "pi_3MtwBwLkdIwHu7ix28a3tqPa";

fn stripe_channel(base: &str) -> stripe::Stripe {
    stripe::Stripe::new(
        stripe::Settings {
            secret_key: Secret::new(STRIPE_KEY.into()),
            webhook_secret: Secret::new(vector("stripe/webhook_secret.txt").trim().into()),
            base_url: base.into(),
        },
        executor(),
        clock(),
    )
}

fn intent_answer() -> Answer {
    Answer::new(
        200,
        "application/json",
        vec![("Request-Id".into(), "req_vector".into())],
        &vector("stripe/payment_intent.json"),
    )
}

fn card_payment() -> Payment {
    let mut p = payment(Money::new(2000, currency("USD")), Method::Card, "");
    p.payer.payment_method = Some(Secret::new("pm_card_visa".into()));
    p
}

#[tokio::test]
async fn stripe_create_request_is_the_documented_form() {
    let (base, task) = serve(vec![intent_answer()]).await;
    let channel = stripe_channel(&base);
    let placed = channel.create(&card_payment(), &attempt()).await.unwrap();
    assert_eq!(
        placed,
        Placed::Paid {
            transaction_id: INTENT.into(),
            paid_at: at(NOW),
        }
    );

    let sent = requests(task).await;
    let create = &sent[0];
    assert_eq!(create.method, "POST");
    assert_eq!(create.target, "/v1/payment_intents");
    assert_eq!(
        create.header("authorization"),
        Some(format!("Bearer {STRIPE_KEY}").as_str())
    );
    assert_eq!(create.header("idempotency-key"), Some(attempt().as_str()));
    assert_eq!(create.header("stripe-version"), Some(stripe::API_VERSION));
    assert_eq!(
        create.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let mut sent_params: Vec<(String, String)> =
        form_urlencoded::parse(&create.body).into_owned().collect();
    sent_params.sort();
    let mut documented: Vec<(String, String)> = vector("stripe/create_request.form")
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect();
    documented.sort();
    assert_eq!(sent_params, documented);
}

#[tokio::test]
async fn stripe_retrieved_intent_reads_as_paid() {
    let (base, task) = serve(vec![intent_answer()]).await;
    let channel = stripe_channel(&base);
    let mut p = card_payment();
    p.provider_transaction_id = Some(INTENT.into());
    assert_eq!(
        channel.query(&p).await.unwrap(),
        OrderState::Paid {
            transaction_id: INTENT.into(),
            // The intent's `created`.
            paid_at: at(1_680_800_504),
        }
    );

    let sent = requests(task).await;
    let retrieve = &sent[0];
    assert_eq!(retrieve.method, "GET");
    assert_eq!(retrieve.target, format!("/v1/payment_intents/{INTENT}"));
    assert_eq!(
        retrieve.header("authorization"),
        Some(format!("Bearer {STRIPE_KEY}").as_str())
    );
    assert_eq!(retrieve.header("stripe-version"), Some(stripe::API_VERSION));
    assert!(retrieve.body.is_empty());
}

#[test]
fn stripe_webhook_verifies_and_reads_as_paid() {
    let mut headers = HeaderMap::new();
    headers.insert(
        "stripe-signature",
        HeaderValue::from_str(vector("stripe/event.signature").trim()).unwrap(),
    );
    let body = vector("stripe/event.json");
    let channel = stripe_channel("http://127.0.0.1:1");
    assert_eq!(
        channel
            .verify_notification(&headers, body.as_bytes(), at(NOW))
            .unwrap(),
        Notification::Paid {
            payment_id: PAYMENT_ID.parse::<PaymentId>().unwrap(),
            transaction_id: INTENT.into(),
            amount: Money::new(2000, currency("USD")),
            // The event's `created`.
            paid_at: at(1_686_089_970),
        }
    );
    assert_eq!(
        channel.verify_notification(&headers, body.as_bytes(), at(NOW + 301)),
        Err(Rejected::Stale),
        "outside the 300 s tolerance"
    );
    let tampered = body.replacen("\"amount\": 2000", "\"amount\": 2001", 1);
    assert_eq!(
        channel.verify_notification(&headers, tampered.as_bytes(), at(NOW)),
        Err(Rejected::BadSignature)
    );
    assert!((200..300).contains(&channel.acknowledgement().status));
}

/// The UTC day of the statement vectors: 2026-11-21, over by [`NOW`].
const STATEMENT_DAY: &str = "2026-11-21";

fn page_answer(name: &str) -> Answer {
    Answer::new(200, "application/json", Vec::new(), &vector(name))
}

#[tokio::test]
async fn stripe_statement_reads_the_documented_pages() {
    let (base, task) = serve(vec![
        page_answer("stripe/balance_transactions_1.json"),
        page_answer("stripe/balance_transactions_2.json"),
    ])
    .await;
    let channel = stripe_channel(&base);
    let day = Day::parse(STATEMENT_DAY).unwrap();
    let mut reader = channel.statement(day).await.unwrap();
    let mut lines = Vec::new();
    loop {
        let batch = reader.next_batch(2).await.unwrap();
        if batch.is_empty() {
            break;
        }
        lines.extend(batch);
    }
    let line = |number, kind, amount_minor, fee_minor, at_secs| StatementLine {
        number,
        kind,
        transaction_id: None,
        payment_id: None,
        refund_id: None,
        provider_refund_id: None,
        amount_minor,
        currency: "USD".into(),
        fee_minor,
        status: LineStatus::Succeeded,
        at: Some(at(at_secs)),
    };
    assert_eq!(
        lines,
        [
            StatementLine {
                transaction_id: Some(INTENT.into()),
                refund_id: Some("rfd_01KAQ8ZB00CX2N6H4DGT5RJ3VY".into()),
                provider_refund_id: Some("re_1Nispe2eZvKYlo2Cd31jOCgZ".into()),
                ..line(1, LineKind::Refund, 500, 0, 1_795_291_000)
            },
            StatementLine {
                transaction_id: Some(INTENT.into()),
                payment_id: Some(PAYMENT_ID.into()),
                ..line(2, LineKind::Payment, 2000, 88, 1_795_290_000)
            },
            line(3, LineKind::Other("transfer".into()), 400, 0, 1_795_220_000),
        ]
    );
    // Stripe states no totals: they are the lines' sums.
    assert_eq!(
        reader.totals(),
        Some(ProviderTotals {
            payments: 1,
            payment_minor: 2000,
            refunds: 1,
            refund_minor: 500,
            fee_minor: 88,
        })
    );

    let sent = requests(task).await;
    assert_eq!(sent.len(), 2);
    let mut day_query = vec![
        ("created[gte]", "1795219200"),
        ("created[lt]", "1795305600"),
        ("limit", "100"),
        ("expand[]", "data.source"),
    ];
    for (i, request) in sent.iter().enumerate() {
        assert_eq!(request.method, "GET");
        let (path, query) = request.target.split_once('?').unwrap();
        assert_eq!(path, "/v1/balance_transactions");
        let mut params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        params.sort();
        if i == 1 {
            // After the first page's last (oldest) transaction, the charge.
            day_query.push(("starting_after", "txn_3MmlLrLkdIwHu7ix0uke3Ezy"));
        }
        let mut expected: Vec<(String, String)> = day_query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        expected.sort();
        assert_eq!(params, expected, "request {i}");
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {STRIPE_KEY}").as_str())
        );
        assert_eq!(request.header("stripe-version"), Some(stripe::API_VERSION));
        assert!(request.body.is_empty());
    }
}

#[tokio::test]
async fn stripe_statement_of_a_day_not_over_is_not_ready() {
    // The vectors' clock is inside 2026-11-22 UTC.
    let day = Day::of(at(NOW), 0);
    let err = stripe_channel("http://127.0.0.1:1")
        .statement(day)
        .await
        .err()
        .unwrap();
    assert_eq!(err.code, StatementError::NOT_READY);
}
