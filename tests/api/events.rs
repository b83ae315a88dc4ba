//! WatchEvents: ordered, resumable, filtered, per merchant; woken by commits rather than
//! polling, and capped per merchant.

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

/// `paycore_event_stream_reads_total`: the outbox reads WatchEvents streams made.
async fn stream_reads(t: &TestServer) -> u64 {
    let (_, text) = http(t.http_addr(), "GET", "/metrics", &[], b"").await;
    text.lines()
        .find_map(|l| l.strip_prefix("paycore_event_stream_reads_total "))
        .expect("the counter is exported")
        .parse()
        .unwrap()
}

/// Waits until the node's streams made at least `reads` reads: each has read once, and
/// is idle or about to be.
async fn streams_read(t: &TestServer, reads: u64) {
    eventually(|| async { (stream_reads(t).await >= reads).then_some(()) }).await;
}

/// The next event within five seconds; far less than the poll of the tests that use it,
/// far more than a wake takes.
async fn next_soon(stream: &mut tonic::Streaming<v1::WatchEventsResponse>) -> v1::Event {
    tokio::time::timeout(Duration::from_secs(5), stream.message())
        .await
        .expect("an event in 5 s")
        .unwrap()
        .unwrap()
        .event
        .unwrap()
}

#[tokio::test]
async fn a_commit_wakes_an_idle_stream_without_waiting_for_the_poll() {
    let t = TestServer::start_with("[events]\npoll_ms = 60000\n").await;
    let mut stream = watch(&t, &t.api_key, "", &[]).await;
    streams_read(&t, 1).await;

    let p = create(&mut t.client().await, create_request("woken", None)).await;
    let e = next_soon(&mut stream).await;
    assert_eq!(e.r#type, "payment.created");
    let Some(v1::event::Object::Payment(seen)) = e.object else {
        panic!("a payment event")
    };
    assert_eq!(seen.id, p.id);
    t.stop().await;
}

#[tokio::test]
async fn a_stream_on_another_node_sees_the_event_within_the_poll() {
    let a = TestServer::start_with("[events]\npoll_ms = 200\n").await;
    let b = a.another_node().await;
    let mut stream = watch(&b, &b.api_key, "", &[]).await;
    streams_read(&b, 1).await;

    // Committed on a: nothing announces it on b, b's poll finds it.
    let p = create(&mut a.client().await, create_request("elsewhere", None)).await;
    let e = next_soon(&mut stream).await;
    let Some(v1::event::Object::Payment(seen)) = e.object else {
        panic!("a payment event")
    };
    assert_eq!((e.r#type.as_str(), seen.id), ("payment.created", p.id));
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn a_merchant_holds_at_most_max_streams_and_an_ended_one_frees_its_slot() {
    // No poll in the test's time: a stream must see its client go without one.
    let t =
        TestServer::start_with("[events]\nmax_streams_per_merchant = 2\npoll_ms = 60000\n").await;
    let first = watch(&t, &t.api_key, "", &[]).await;
    let _second = watch(&t, &t.api_key, "0", &[]).await;

    let try_watch = |key: String| {
        let t = &t;
        async move {
            NotifyServiceClient::with_interceptor(t.channel().await, Bearer::for_key(&key))
                .watch_events(v1::WatchEventsRequest::default())
                .await
        }
    };
    let err = try_watch(t.api_key.clone()).await.unwrap_err();
    assert_reason(&err, Code::ResourceExhausted, "TOO_MANY_STREAMS");

    let other = t.other_merchant().await;
    let _theirs = try_watch(other.clone())
        .await
        .expect("another merchant's own slots");
    let _theirs_too = try_watch(other)
        .await
        .expect("another merchant's own slots");

    // The client goes away: its stream ends on the server and gives its slot back.
    drop(first);
    let _third = eventually(|| async { try_watch(t.api_key.clone()).await.ok() }).await;
    let err = try_watch(t.api_key.clone()).await.unwrap_err();
    assert_reason(&err, Code::ResourceExhausted, "TOO_MANY_STREAMS");
    t.stop().await;
}

#[tokio::test]
async fn idle_streams_do_not_read_the_outbox() {
    let t = TestServer::start_with("[events]\npoll_ms = 60000\n").await;
    let mut streams = Vec::new();
    for _ in 0..10 {
        streams.push(watch(&t, &t.api_key, "", &[]).await);
    }
    streams_read(&t, 10).await;
    let before = stream_reads(&t).await;

    // A second, an old poll's hundred reads; and another merchant's events wake none.
    let other = t.other_merchant().await;
    create(
        &mut t.client_with(&other).await,
        create_request("theirs", None),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = stream_reads(&t).await;
    assert!(
        after - before <= 2,
        "{} reads by idle streams",
        after - before
    );

    // The merchant's own event wakes each of its streams, one read each.
    create(&mut t.client().await, create_request("mine", None)).await;
    for stream in &mut streams {
        next_soon(stream).await;
    }
    assert!(stream_reads(&t).await >= after + 10);
    t.stop().await;
}
