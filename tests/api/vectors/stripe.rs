//! Stripe: the PaymentIntent create request, a retrieved intent, a webhook.

use super::*;
use paycore::provider::stripe;

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
