//! Merchant API keys, merchant isolation, and the operator-only AdminService.

use paycore::proto::v1;
use tonic::Code;

use crate::support::*;

#[tokio::test]
async fn calls_need_a_known_api_key() {
    let t = TestServer::start().await;
    let mut none = t.client_with("").await;
    let err = none
        .create_payment(create_request("auth-1", None))
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "MISSING_API_KEY");

    let mut wrong = t.client_with("pk_not_a_real_key").await;
    let err = wrong
        .list_payments(v1::ListPaymentsRequest::default())
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "INVALID_API_KEY");

    // Nothing was created by the refused calls.
    let mut c = t.client().await;
    let listed = c
        .list_payments(v1::ListPaymentsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(listed.payments.is_empty());
    t.stop().await;
}

/// A key known to a node is used without asking the database for `KNOWN_FOR`; a revocation
/// made elsewhere (here, by hand in the database) takes effect within that.
#[tokio::test]
async fn a_revoked_key_stops_working_within_the_cache_lifetime() {
    use paycore::service::merchants::KNOWN_FOR;
    use std::sync::Arc;

    let clock = Arc::new(ShiftedClock::default());
    let t = TestServer::start_with_clock("", clock.clone()).await;
    let mut c = t.client().await;
    let list = v1::ListPaymentsRequest::default();
    c.list_payments(list.clone()).await.unwrap();

    t.execute_sql("UPDATE api_keys SET revoked_at = 1").await;
    c.list_payments(list.clone()).await.unwrap();

    clock.advance(KNOWN_FOR + std::time::Duration::from_secs(1));
    let err = c.list_payments(list.clone()).await.unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "INVALID_API_KEY");
    // Refused keys are not remembered either.
    let err = c.list_payments(list).await.unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "INVALID_API_KEY");
    t.stop().await;
}

#[tokio::test]
async fn a_merchant_cannot_see_another_merchants_payments() {
    let t = TestServer::start().await;
    let mut mine = t.client().await;
    let p = create(&mut mine, create_request("secret-order", None)).await;

    let other = t.other_merchant().await;
    let mut theirs = t.client_with(&other).await;
    let err = theirs
        .get_payment(v1::GetPaymentRequest {
            lookup: Some(v1::get_payment_request::Lookup::Id(p.id.clone())),
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::NotFound, "PAYMENT_NOT_FOUND");
    let err = theirs
        .get_payment(v1::GetPaymentRequest {
            lookup: Some(v1::get_payment_request::Lookup::MerchantOrderId(
                "secret-order".into(),
            )),
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::NotFound, "PAYMENT_NOT_FOUND");
    for err in [
        theirs
            .close_payment(v1::ClosePaymentRequest {
                id: p.id.clone(),
                ..Default::default()
            })
            .await
            .unwrap_err(),
        theirs
            .sync_payment(v1::SyncPaymentRequest {
                id: p.id.clone(),
                ..Default::default()
            })
            .await
            .unwrap_err(),
    ] {
        assert_reason(&err, Code::NotFound, "PAYMENT_NOT_FOUND");
    }
    let listed = theirs
        .list_payments(v1::ListPaymentsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(listed.payments.is_empty());
    // And the owner's payment is untouched.
    assert_eq!(
        status_of(&get(&mut mine, &p.id).await),
        v1::PaymentStatus::Pending
    );
    t.stop().await;
}

#[tokio::test]
async fn admin_needs_the_operator_key() {
    let t = TestServer::start().await;
    let mut as_merchant = t.admin(&t.api_key).await;
    let err = as_merchant
        .list_channels(v1::ListChannelsRequest {})
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "INVALID_OPERATOR_KEY");
    let mut anonymous = t.admin("").await;
    let err = anonymous
        .list_channels(v1::ListChannelsRequest {})
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "INVALID_OPERATOR_KEY");

    let mut operator = t.admin(OPERATOR_KEY).await;
    let channels = operator
        .list_channels(v1::ListChannelsRequest {})
        .await
        .unwrap()
        .into_inner()
        .channels;
    assert_eq!(channels.len(), 1);
    assert_eq!(channels[0].id, "sandbox");
    assert_eq!(channels[0].provider, "sandbox");
    assert!(channels[0].enabled);
    assert!(
        channels[0]
            .methods
            .contains(&i32::from(v1::PaymentMethod::QrCode))
    );

    // The operator key is not a merchant key.
    let mut c = t.client_with(OPERATOR_KEY).await;
    let err = c
        .list_payments(v1::ListPaymentsRequest::default())
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "INVALID_API_KEY");
    t.stop().await;
}

#[tokio::test]
async fn admin_is_disabled_without_an_operator_key_and_health_is_open() {
    let t = TestServer::start().await;
    // Health needs no key.
    let mut health = tonic_health::pb::health_client::HealthClient::new(t.channel().await);
    let resp = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: "paycore.v1.PaymentService".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        resp.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
    t.stop().await;

    let dir = tempfile::tempdir().unwrap();
    let config = paycore::config::Config::load(
        None,
        [
            ("PAYCORE_GRPC_ADDR", "127.0.0.1:0"),
            ("PAYCORE_HTTP_ADDR", "127.0.0.1:0"),
            ("PAYCORE_DATABASE_URL", &database_url(dir.path())),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    )
    .unwrap();
    let server = paycore::app::start(&config, std::sync::Arc::new(paycore::domain::SystemClock))
        .await
        .unwrap();
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", server.grpc_addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut admin = v1::admin_service_client::AdminServiceClient::with_interceptor(
        channel,
        Bearer::for_key(OPERATOR_KEY),
    );
    let err = admin
        .list_channels(v1::ListChannelsRequest {})
        .await
        .unwrap_err();
    assert_reason(&err, Code::PermissionDenied, "ADMIN_DISABLED");
    server
        .shutdown(std::time::Duration::from_secs(5))
        .await
        .unwrap();
}

#[tokio::test]
async fn reflection_lists_every_service_without_a_key() {
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

    let t = TestServer::start().await;
    let mut client = ServerReflectionClient::new(t.channel().await);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = client
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    let reply = stream.message().await.unwrap().unwrap();
    let Some(MessageResponse::ListServicesResponse(list)) = reply.message_response else {
        panic!("expected a service list");
    };
    let mut names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "paycore.v1.AdminService",
            "paycore.v1.NotifyService",
            "paycore.v1.PaymentService",
            "paycore.v1.ReconciliationService",
            "paycore.v1.RefundService"
        ]
    );
    t.stop().await;
}
