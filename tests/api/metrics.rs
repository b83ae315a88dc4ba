//! `GET /metrics`: valid OpenMetrics text whose counters equal what happened, as the test
//! saw it (its own calls and their answers) and as paycore stored it (attempts, deliveries).

use std::collections::BTreeMap;

use paycore::proto::v1;
use tonic::Code;

use crate::support::*;
use crate::webhooks::{Receiver, hooked_merchant};

const CONFIG: &str = r#"
[webhooks]
allow_private = true
schedule_ms = [0, 100]
jitter = 0.0
poll_ms = 20
[limits]
merchant = { per_second = 1, burst = 12 }
[[channels]]
id = "primary"
provider = "sandbox"
priority = 1
rate_limit = { per_second = 1, burst = 2 }
[[channels]]
id = "backup"
provider = "sandbox"
priority = 2
"#;

/// Every sample of an OpenMetrics text, by `name{labels}`; panics on a malformed line.
pub fn parse(text: &str) -> BTreeMap<String, f64> {
    assert!(
        text.ends_with("# EOF\n"),
        "OpenMetrics text ends with # EOF"
    );
    let mut samples = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').expect("a sample is `series value`");
        let name_end = series.find('{').unwrap_or(series.len());
        let name = &series[..name_end];
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "metric name in {line:?}"
        );
        if name_end < series.len() {
            assert!(series.ends_with('}'), "labels in {line:?}");
            for pair in series[name_end + 1..series.len() - 1].split(',') {
                let (key, value) = pair.split_once('=').expect("label=value");
                assert!(key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
                assert!(value.starts_with('"') && value.ends_with('"'), "{line:?}");
            }
        }
        samples.insert(series.to_owned(), value.parse().expect("a numeric value"));
    }
    samples
}

#[tokio::test]
async fn metrics_count_what_happened() {
    let t = TestServer::start_with(CONFIG).await;
    let (receiver, addr) = Receiver::start(&[]).await;
    let hooked = hooked_merchant(&t, format!("http://{addr}/hooks")).await;
    let mut c = t.client_with(&hooked.key).await;
    let mut admin = t.admin(OPERATOR_KEY).await;

    // What the test sees of its own calls: method → code → count.
    let mut calls: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    let mut count = |method, code: Code| {
        let code = match code {
            Code::Ok => "OK",
            Code::InvalidArgument => "INVALID_ARGUMENT",
            Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
            other => panic!("unexpected {other:?}"),
        };
        *calls.entry((method, code)).or_default() += 1;
    };

    // The primary fails every call for a while: failover to the backup.
    admin
        .set_channel_faults(v1::SetChannelFaultsRequest {
            channel_id: "primary".into(),
            faults: Some(v1::ChannelFaults {
                failure_rate: 1.0,
                added_latency: None,
                mode: v1::FaultMode::Unavailable.into(),
                duration: None,
            }),
        })
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (i, outcome) in ["succeed", "decline", "succeed", "succeed"]
        .iter()
        .enumerate()
    {
        if i == 2 {
            admin
                .set_channel_faults(v1::SetChannelFaultsRequest {
                    channel_id: "primary".into(),
                    faults: Some(v1::ChannelFaults::default()),
                })
                .await
                .unwrap();
        }
        let p = create(&mut c, create_request(&format!("m-{i}"), Some(outcome))).await;
        count("paycore.v1.PaymentService/CreatePayment", Code::Ok);
        ids.push(p.id);
    }
    let mut bad = create_request("m-bad", Some("succeed"));
    bad.amount.as_mut().unwrap().amount_minor = -1;
    let status = c.create_payment(bad).await.unwrap_err();
    count("paycore.v1.PaymentService/CreatePayment", status.code());
    // Over the merchant's quota (12 calls at once, refilled at 1/s).
    for _ in 0..12 {
        let result = c
            .get_payment(v1::GetPaymentRequest {
                lookup: Some(v1::get_payment_request::Lookup::Id(ids[0].clone())),
            })
            .await;
        count(
            "paycore.v1.PaymentService/GetPayment",
            result.err().map_or(Code::Ok, |s| s.code()),
        );
    }
    assert!(calls.contains_key(&("paycore.v1.PaymentService/GetPayment", "RESOURCE_EXHAUSTED")));

    // Every event is delivered before the metrics are read.
    let mut events = 0;
    for id in &ids {
        events += t.events(id).await.len();
    }
    eventually(|| {
        let r = receiver.clone();
        async move { (r.got().len() >= events).then_some(()) }
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;

    // What paycore stored of the attempts, read from the store (not through the API, so
    // reading them does not change the RPC counts).
    let mut attempts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for id in &ids {
        let p = t
            .server
            .services
            .store
            .payment_by_id(&id.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        for a in p.attempts {
            *attempts
                .entry((a.channel_id.to_string(), a.outcome.as_str().to_owned()))
                .or_default() += 1;
        }
    }
    let rate_limited_at_primary = attempts
        .get(&("primary".into(), "skipped".into()))
        .copied()
        .unwrap_or(0);

    let (status, text) = http(t.http_addr(), "GET", "/metrics", &[], b"").await;
    assert_eq!(status, 200);
    let m = parse(&text);
    let get = |series: String| m.get(&series).copied().unwrap_or(0.0);
    for ((method, code), n) in &calls {
        assert_eq!(
            get(format!(
                "paycore_grpc_requests_total{{method=\"{method}\",code=\"{code}\"}}"
            )),
            *n as f64,
            "{method} {code}"
        );
    }
    assert_eq!(
        get("paycore_grpc_requests_total{method=\"paycore.v1.AdminService/SetChannelFaults\",code=\"OK\"}".into()),
        2.0
    );
    for ((channel, outcome), n) in &attempts {
        assert_eq!(
            get(format!(
                "paycore_channel_attempts_total{{channel=\"{channel}\",outcome=\"{outcome}\"}}"
            )),
            *n as f64,
            "{channel} {outcome}"
        );
    }
    assert!(attempts.contains_key(&("primary".into(), "not_processed".into())));
    assert_eq!(
        get("paycore_channel_limiter_rejections_total{channel=\"primary\"}".into()),
        rate_limited_at_primary as f64
    );
    let called: u64 = attempts
        .iter()
        .filter(|((channel, outcome), _)| channel == "backup" && outcome != "skipped")
        .map(|(_, n)| n)
        .sum();
    assert_eq!(
        get("paycore_channel_attempt_duration_seconds_count{channel=\"backup\"}".into()),
        called as f64
    );
    let over_quota = calls
        .iter()
        .filter(|((_, code), _)| *code == "RESOURCE_EXHAUSTED")
        .map(|(_, n)| n)
        .sum::<u64>();
    assert_eq!(
        get(format!(
            "paycore_merchant_rate_limited_total{{merchant=\"{}\"}}",
            hooked.id
        )),
        over_quota as f64
    );
    assert_eq!(
        get("paycore_webhook_deliveries_total{outcome=\"delivered\"}".into()),
        receiver.got().len() as f64
    );
    assert_eq!(
        get("paycore_channel_breaker_state{channel=\"backup\"}".into()),
        0.0
    );
    // Everything was delivered: nothing waits.
    assert_eq!(m.get("paycore_webhook_backlog"), Some(&0.0));
    assert_eq!(m.get("paycore_webhook_oldest_pending_seconds"), Some(&0.0));
    t.stop().await;
}

#[tokio::test]
async fn the_webhook_backlog_counts_deliveries_still_waiting() {
    let t = TestServer::start_with(
        "[webhooks]\nallow_private = true\nschedule_ms = [0, 60000]\njitter = 0.0\npoll_ms = 20\n",
    )
    .await;
    // The endpoint fails the first try of each event; the next is a minute away.
    let (receiver, addr) = Receiver::start(&[500, 500]).await;
    let hooked = hooked_merchant(&t, format!("http://{addr}/hooks")).await;
    let mut c = t.client_with(&hooked.key).await;
    create(&mut c, create_request("waiting", Some("succeed"))).await;
    eventually(|| {
        let r = receiver.clone();
        async move { (r.got().len() >= 2).then_some(()) }
    })
    .await;
    let m = eventually(|| async {
        let (_, text) = http(t.http_addr(), "GET", "/metrics", &[], b"").await;
        let m = parse(&text);
        (m.get("paycore_webhook_deliveries_total{outcome=\"retry\"}") == Some(&2.0)).then_some(m)
    })
    .await;
    assert_eq!(m.get("paycore_webhook_backlog"), Some(&2.0));
    assert!(m["paycore_webhook_oldest_pending_seconds"] > 0.0);
    t.stop().await;
}

/// A body that is not the method's message is the caller's mistake, not paycore's: it is
/// INVALID_ARGUMENT with a reason (tonic alone says INTERNAL, which pages on-call). A call
/// the client gives up on is still counted.
#[tokio::test]
async fn malformed_bodies_and_abandoned_calls_are_counted_as_the_callers() {
    /// Field 1 of CreatePaymentRequest is a string; a varint there cannot decode.
    #[derive(Clone, PartialEq, prost::Message)]
    struct NotACreate {
        #[prost(int64, tag = "1")]
        merchant_order_id: i64,
    }
    let t = TestServer::start().await;
    let mut grpc = tonic::client::Grpc::new(t.channel().await);
    grpc.ready().await.unwrap();
    let mut request = tonic::Request::new(NotACreate {
        merchant_order_id: 7,
    });
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {}", t.api_key).parse().unwrap(),
    );
    let err = grpc
        .unary::<_, v1::CreatePaymentResponse, _>(
            request,
            "/paycore.v1.PaymentService/CreatePayment".parse().unwrap(),
            tonic_prost::ProstCodec::default(),
        )
        .await
        .unwrap_err();
    assert_reason(&err, tonic::Code::InvalidArgument, "MALFORMED_REQUEST");

    let mut c = t.client().await;
    let mut slow = create_request("given-up", Some("succeed"));
    slow.metadata
        .insert("sandbox_delay_ms".into(), "1000".into());
    let mut request = tonic::Request::new(slow);
    request.set_timeout(std::time::Duration::from_millis(100));
    c.create_payment(request).await.unwrap_err();

    let counted = |text: &str, code: &str| {
        parse(text)
            .get(&format!(
                "paycore_grpc_requests_total{{method=\"paycore.v1.PaymentService/CreatePayment\",code=\"{code}\"}}"
            ))
            .copied()
            .unwrap_or(0.0)
    };
    let text = eventually(|| async {
        let (_, text) = http(t.http_addr(), "GET", "/metrics", &[], b"").await;
        (counted(&text, "CANCELLED") + counted(&text, "DEADLINE_EXCEEDED") == 1.0).then_some(text)
    })
    .await;
    assert_eq!(counted(&text, "INVALID_ARGUMENT"), 1.0);
    assert_eq!(counted(&text, "INTERNAL"), 0.0);
    t.stop().await;
}
