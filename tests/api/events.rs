//! WatchEvents: ordered, resumable, filtered, per merchant.

use std::time::Duration;

use paycore::proto::v1;
use paycore::proto::v1::notify_service_client::NotifyServiceClient;
use tonic::Code;

use crate::support::*;

async fn watch(
    t: &TestServer,
    key: &str,
    cursor: &str,
    types: &[&str],
) -> tonic::Streaming<v1::WatchEventsResponse> {
    let mut client = NotifyServiceClient::with_interceptor(t.channel().await, Bearer::for_key(key));
    client
        .watch_events(v1::WatchEventsRequest {
            cursor: cursor.to_owned(),
            types: types.iter().map(|t| (*t).to_owned()).collect(),
        })
        .await
        .unwrap()
        .into_inner()
}

async fn next(stream: &mut tonic::Streaming<v1::WatchEventsResponse>) -> v1::Event {
    tokio::time::timeout(Duration::from_secs(10), stream.message())
        .await
        .expect("an event in time")
        .unwrap()
        .unwrap()
        .event
        .unwrap()
}

#[tokio::test]
async fn a_consumer_that_reconnects_with_its_cursor_sees_every_event_once_in_order() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let mut expected = Vec::new();
    for i in 0..3 {
        let p = create(&mut c, create_request(&format!("ev-{i}"), Some("succeed"))).await;
        expected.push((p.id.clone(), "payment.created"));
        expected.push((p.id, "payment.succeeded"));
    }

    let mut stream = watch(&t, &t.api_key, "0", &[]).await;
    let mut seen = Vec::new();
    let mut cursor = String::new();
    for _ in 0..2 {
        let e = next(&mut stream).await;
        cursor = e.cursor.clone();
        seen.push(e);
    }
    drop(stream); // disconnect mid-stream

    // More happens while it is away.
    let p = create(&mut c, create_request("ev-later", None)).await;
    expected.push((p.id.clone(), "payment.created"));
    expected.push((p.id.clone(), "payment.pending"));

    let mut stream = watch(&t, &t.api_key, &cursor, &[]).await;
    while seen.len() < expected.len() {
        seen.push(next(&mut stream).await);
    }
    let got: Vec<(String, &str)> = seen
        .iter()
        .map(|e| {
            let Some(v1::event::Object::Payment(p)) = &e.object else {
                panic!("a payment event");
            };
            (
                p.id.clone(),
                expected.iter().find(|(_, t)| *t == e.r#type).unwrap().1,
            )
        })
        .collect();
    let want: Vec<(String, &str)> = expected.iter().map(|(id, t)| (id.clone(), *t)).collect();
    assert_eq!(got, want);
    let ids: std::collections::HashSet<&str> = seen.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), seen.len(), "no repeats");
    // The payload is the object as it was right after the change.
    let Some(v1::event::Object::Payment(pending)) = &seen.last().unwrap().object else {
        panic!()
    };
    assert_eq!(status_of(pending), v1::PaymentStatus::Pending);
    t.stop().await;
}

#[tokio::test]
async fn from_now_with_a_type_filter_and_only_the_callers_events() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    create(&mut c, create_request("before", Some("succeed"))).await;
    let mut stream = watch(
        &t,
        &t.api_key,
        "",
        &["payment.succeeded", "refund.succeeded"],
    )
    .await;

    let other = t.other_merchant().await;
    let mut theirs = t.client_with(&other).await;
    create(&mut theirs, create_request("theirs", Some("succeed"))).await;
    let mine = create(&mut c, create_request("after", Some("succeed"))).await;
    let mut refunds = crate::refunds::refunds(&t, &t.api_key).await;
    refunds
        .create_refund(crate::refunds::refund_request(&mine.id, "ev-r", Some(1)))
        .await
        .unwrap();

    let e = next(&mut stream).await;
    assert_eq!(e.r#type, "payment.succeeded");
    let Some(v1::event::Object::Payment(p)) = e.object else {
        panic!()
    };
    assert_eq!(
        p.id, mine.id,
        "not the earlier one, not the other merchant's"
    );
    let e = next(&mut stream).await;
    assert_eq!(e.r#type, "refund.succeeded");
    let Some(v1::event::Object::Refund(r)) = e.object else {
        panic!()
    };
    assert_eq!(r.payment_id, mine.id);

    let mut bad =
        NotifyServiceClient::with_interceptor(t.channel().await, Bearer::for_key(&t.api_key));
    let err = bad
        .watch_events(v1::WatchEventsRequest {
            cursor: "x".into(),
            types: vec![],
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    t.stop().await;
}
