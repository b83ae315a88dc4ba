//! PostgreSQL going away and coming back, with paycore running. Needs the throwaway server of
//! `scripts/with-postgres` (which `scripts/test` runs this under): it stops and restarts it.

#[allow(dead_code)]
#[path = "api/support.rs"]
mod support;

use std::process::Command;
use std::time::Duration;

use tonic::Code;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use support::*;

fn postgres(action: &str) {
    let ctl = std::env::var("TEST_POSTGRES_CTL")
        .expect("run under scripts/with-postgres, which starts the PostgreSQL this test stops");
    let status = Command::new(ctl).arg(action).status().unwrap();
    assert!(status.success(), "postgres {action}");
}

async fn health(t: &TestServer) -> ServingStatus {
    let resp = HealthClient::new(t.channel().await)
        .check(HealthCheckRequest {
            service: "paycore.v1.PaymentService".into(),
        })
        .await
        .unwrap()
        .into_inner();
    ServingStatus::try_from(resp.status).unwrap()
}

#[tokio::test]
async fn while_postgres_is_down_calls_fail_unavailable_and_paycore_recovers_without_restart() {
    assert!(
        std::env::var("TEST_POSTGRES_URL").is_ok(),
        "run under scripts/with-postgres"
    );
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let before = create(&mut c, create_request("before-outage", Some("succeed"))).await;
    assert_eq!(health(&t).await, ServingStatus::Serving);

    postgres("stop");
    let err = c
        .create_payment(create_request("during-outage", Some("succeed")))
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unavailable, "STORAGE_UNAVAILABLE");
    let err = c
        .get_payment(paycore::proto::v1::GetPaymentRequest {
            lookup: Some(paycore::proto::v1::get_payment_request::Lookup::Id(
                before.id.clone(),
            )),
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unavailable, "STORAGE_UNAVAILABLE");
    eventually(|| async { (health(&t).await == ServingStatus::NotServing).then_some(()) }).await;
    let (status, _) = http(t.http_addr(), "GET", "/readyz", &[], b"").await;
    assert_eq!(status, 503);

    postgres("start");
    eventually(|| async { (health(&t).await == ServingStatus::Serving).then_some(()) }).await;
    let (status, _) = http(t.http_addr(), "GET", "/readyz", &[], b"").await;
    assert_eq!(status, 200);
    // Nothing of the refused create was written; retried, it is placed once.
    assert_eq!(get(&mut c, &before.id).await, before);
    let after = create(&mut c, create_request("during-outage", Some("succeed"))).await;
    assert_eq!(after.attempts.len(), 1);
    assert_eq!(
        t.events(&after.id).await,
        ["payment.created", "payment.succeeded"]
    );
    tokio::time::timeout(Duration::from_secs(10), t.stop())
        .await
        .unwrap();
}
