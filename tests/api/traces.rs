//! Traces, exported over OTLP by a `paycore serve` process to a collector in the test: one
//! payment's spans form one tree from the RPC (continuing the caller's W3C `traceparent`)
//! through routing, placement and attempts to the provider's HTTP calls; a caller's "not
//! sampled" is obeyed; each webhook delivery joins the trace of the payment it reports and
//! its request carries the delivery span's `traceparent`; no attribute carries a credential,
//! the description or a payer field.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::trace::v1::{Span, span::SpanKind, status::StatusCode};
use paycore::proto::v1;

use crate::sim_stripe::StripeSim;
use crate::support::*;
use crate::webhooks::Receiver;

/// An OTLP/gRPC trace collector on loopback that keeps every span with its service name.
#[derive(Clone, Default)]
struct Collector {
    spans: Arc<Mutex<Vec<(String, Span)>>>,
}

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let mut spans = self.spans.lock().unwrap();
        for resource_spans in request.into_inner().resource_spans {
            let service = resource_spans
                .resource
                .iter()
                .flat_map(|r| &r.attributes)
                .find(|a| a.key == "service.name")
                .and_then(|a| text(a.value.as_ref()?.value.as_ref()?))
                .unwrap_or_default();
            for scope in resource_spans.scope_spans {
                spans.extend(scope.spans.into_iter().map(|s| (service.clone(), s)));
            }
        }
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}

impl Collector {
    async fn start() -> (Self, std::net::SocketAddr) {
        let incoming =
            tonic::transport::server::TcpIncoming::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = incoming.local_addr().unwrap();
        let collector = Self::default();
        let service = TraceServiceServer::new(collector.clone());
        tokio::spawn(
            tonic::transport::Server::builder()
                .add_service(service)
                .serve_with_incoming(incoming),
        );
        (collector, addr)
    }

    /// The spans of one trace.
    fn trace(&self, trace_id: &[u8]) -> Vec<Span> {
        self.spans
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, s)| s.trace_id == trace_id)
            .map(|(_, s)| s.clone())
            .collect()
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::StringValue(s) => Some(s.clone()),
        _ => None,
    }
}

/// A span's attribute as text (integers written out).
fn attr(span: &Span, key: &str) -> Option<String> {
    let value = span
        .attributes
        .iter()
        .find(|a| a.key == key)?
        .value
        .as_ref()?;
    match value.value.as_ref()? {
        Value::IntValue(i) => Some(i.to_string()),
        other => text(other),
    }
}

/// Request fields no span attribute may carry.
const DESCRIPTION: &str = "order for card 4111111111111111";
const BUYER: &str = "buyer-openid-5e1f0c";

/// A card payment sent with a W3C `traceparent` in its metadata.
async fn create_with_traceparent(c: &mut Client, order: &str, traceparent: &str) -> v1::Payment {
    let mut payment = card(order, "pm_card_visa");
    payment.description = DESCRIPTION.into();
    payment.payer.as_mut().unwrap().buyer_id = BUYER.into();
    let mut req = tonic::Request::new(payment);
    req.metadata_mut()
        .insert("traceparent", traceparent.parse().unwrap());
    c.create_payment(req)
        .await
        .unwrap()
        .into_inner()
        .payment
        .unwrap()
}

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

#[tokio::test]
async fn one_payment_is_one_trace_from_the_rpc_to_the_provider_call() {
    let (collector, collector_addr) = Collector::start().await;
    let sim = StripeSim::start().await;
    let (receiver, hooks_addr) = Receiver::start(&[]).await;
    // A port nothing listens on: the first channel cannot be reached, so the payment fails
    // over to the second.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);

    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let config = dir.path().join("paycore.toml");
    std::fs::write(
        &config,
        format!(
            "[tracing]\notlp_endpoint = \"http://{collector_addr}\"\nsample_ratio = 1.0\n\
             service_name = \"paycore-traced\"\n\
             [webhooks]\nallow_private = true\nschedule_ms = [0]\npoll_ms = 20\n{}{}",
            stripe_channel("down", &down, 1, dir.path()),
            stripe_channel("stripe", &sim.base_url(), 2, dir.path()),
        ),
    )
    .unwrap();
    // The server's configuration, which lets webhooks reach loopback.
    let out = paycore(&db)
        .arg("--config")
        .arg(&config)
        .args(["merchant", "create", "--name", "traced", "--webhook-url"])
        .arg(format!("http://{hooks_addr}/hooks"))
        .output()
        .unwrap();
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = created["api_key"].as_str().unwrap().to_owned();
    let merchant = created["merchant_id"].as_str().unwrap().to_owned();
    let node = Process::spawn(paycore(&db).env("OTEL_BSP_SCHEDULE_DELAY", "50").args([
        "--config",
        config.to_str().unwrap(),
        "serve",
    ]));
    let mut c = node.client(&key).await;

    // The caller did not sample this one: paycore records none of it.
    let unsampled_trace = "5b8efff798038103d269b633813fc60c";
    let untraced = format!("00-{unsampled_trace}-eee19b7ec3c1b174-00");
    let p = create_with_traceparent(&mut c, "untraced", &untraced).await;
    assert_eq!(p.status(), v1::PaymentStatus::Succeeded);

    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let caller_span = "00f067aa0ba902b7";
    let traced = format!("00-{trace}-{caller_span}-01");
    let p = create_with_traceparent(&mut c, "traced", &traced).await;
    assert_eq!(p.status(), v1::PaymentStatus::Succeeded);

    // A parent span ends after its children, so it is exported with them or later: once
    // the RPC's span and both deliveries' spans (payment.created, payment.succeeded) are in,
    // the whole trace is.
    let spans = eventually(|| {
        let collector = collector.clone();
        async move {
            let spans = collector.trace(&unhex(trace));
            let root = spans.iter().any(|s| s.parent_span_id == unhex(caller_span));
            let deliveries = spans.iter().filter(|s| s.name == "webhook.deliver").count();
            (root && deliveries >= 2).then_some(spans)
        }
    })
    .await;
    assert!(
        collector.trace(&unhex(unsampled_trace)).is_empty(),
        "an unsampled caller's trace is not recorded"
    );
    assert!(
        collector
            .spans
            .lock()
            .unwrap()
            .iter()
            .all(|(service, _)| service == "paycore-traced"),
        "every span names the configured service"
    );

    // One tree: a single root continuing the caller's span; every other parent in the trace.
    let by_id: HashMap<&[u8], &Span> = spans.iter().map(|s| (&s.span_id[..], s)).collect();
    let roots: Vec<&Span> = spans
        .iter()
        .filter(|s| s.parent_span_id == unhex(caller_span))
        .collect();
    assert_eq!(roots.len(), 1, "one root: {spans:#?}");
    let rpc = roots[0];
    assert_eq!(rpc.name, "paycore.v1.PaymentService/CreatePayment");
    assert_eq!(rpc.kind(), SpanKind::Server);
    assert_eq!(attr(rpc, "merchant").as_deref(), Some(merchant.as_str()));
    assert_eq!(attr(rpc, "rpc.grpc.status_code").as_deref(), Some("0"));
    for s in &spans {
        assert!(
            std::ptr::eq(s, rpc) || by_id.contains_key(&s.parent_span_id[..]),
            "span {} has its parent in the trace",
            s.name
        );
    }
    let path = |s: &Span| {
        let mut names = vec![s.name.clone()];
        let mut at = s;
        while let Some(parent) = by_id.get(&at.parent_span_id[..]) {
            names.push(parent.name.clone());
            at = parent;
        }
        names
    };
    let named = |name: &str| spans.iter().filter(|s| s.name == name).collect::<Vec<_>>();

    assert_eq!(
        attr(named("route")[0], "planned").as_deref(),
        Some("down,stripe")
    );
    let attempts = named("attempt");
    assert_eq!(attempts.len(), 2, "{attempts:#?}");
    let attempt_of = |channel: &str| {
        *attempts
            .iter()
            .find(|a| attr(a, "channel").as_deref() == Some(channel))
            .unwrap()
    };
    let failed = attempt_of("down");
    assert_eq!(attr(failed, "outcome").as_deref(), Some("not_processed"));
    assert_eq!(attr(failed, "reason").as_deref(), Some("CONNECT_FAILED"));
    let accepted = attempt_of("stripe");
    assert_eq!(attr(accepted, "outcome").as_deref(), Some("accepted"));

    // The provider calls, each under its attempt, under the placement, under the RPC.
    let calls: Vec<&Span> = spans
        .iter()
        .filter(|s| s.kind() == SpanKind::Client)
        .filter(|s| attr(s, "url.path").is_some_and(|p| p != "/hooks"))
        .collect();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    for call in &calls {
        let parent = by_id[&call.parent_span_id[..]];
        assert_eq!(parent.name, "attempt");
        assert_eq!(
            path(call)[1..],
            [
                "attempt".to_owned(),
                "place".to_owned(),
                "paycore.v1.PaymentService/CreatePayment".to_owned()
            ]
        );
    }
    let answered = calls
        .iter()
        .find(|c| c.parent_span_id == accepted.span_id)
        .unwrap();
    assert_eq!(
        attr(answered, "http.response.status_code").as_deref(),
        Some("200")
    );
    assert_eq!(
        attr(answered, "url.path").as_deref(),
        Some("/v1/payment_intents")
    );
    let refused = calls
        .iter()
        .find(|c| c.parent_span_id == failed.span_id)
        .unwrap();
    assert_eq!(
        refused.status.as_ref().map(|s| s.code()),
        Some(StatusCode::Error)
    );

    // The database transactions of the payment are in the tree too.
    let writes: Vec<String> = named("insert_payment")
        .into_iter()
        .chain(named("apply_payment"))
        .map(|s| path(s).join(" < "))
        .collect();
    assert!(
        writes
            .iter()
            .any(|w| w == "insert_payment < paycore.v1.PaymentService/CreatePayment"),
        "{writes:?}"
    );
    assert!(
        writes
            .iter()
            .any(|w| w.starts_with("apply_payment < place")),
        "{writes:?}"
    );
    // Only paycore's own spans: none of the libraries underneath.
    for s in &spans {
        assert!(
            [
                "paycore.v1.PaymentService/CreatePayment",
                "route",
                "place",
                "attempt",
                "POST",
                "insert_payment",
                "apply_payment",
                // The payment's webhook deliveries.
                "webhook.deliver",
            ]
            .contains(&s.name.as_str()),
            "unexpected span {}",
            s.name
        );
    }

    // Each webhook request carries the context of its delivery span, and a delivery joins
    // the trace of the payment whose event it delivers: under a span of that trace when the
    // caller sampled it, unrecorded (flags 00) when the caller did not.
    let delivered = eventually(|| {
        let receiver = receiver.clone();
        async move {
            let got = receiver.got();
            (got.len() >= 4).then_some(got)
        }
    })
    .await;
    for hook in delivered {
        let body: serde_json::Value = serde_json::from_str(&hook.body).unwrap();
        let order = body["data"]["merchantOrderId"].as_str().unwrap().to_owned();
        let header = hook.headers["traceparent"].to_str().unwrap().to_owned();
        let parts: Vec<&str> = header.split('-').collect();
        assert_eq!(parts.len(), 4, "{header}");
        if order == "untraced" {
            assert_eq!((parts[1], parts[3]), (unsampled_trace, "00"), "{header}");
            continue;
        }
        assert_eq!(
            (order.as_str(), parts[1], parts[3]),
            ("traced", trace, "01")
        );
        let delivery = eventually(|| {
            let collector = collector.clone();
            let span = unhex(parts[2]);
            async move {
                collector
                    .trace(&unhex(trace))
                    .into_iter()
                    .find(|s| s.span_id == span)
            }
        })
        .await;
        assert_eq!(delivery.name, "webhook.deliver");
        assert!(
            by_id.contains_key(&delivery.parent_span_id[..]),
            "the delivery hangs under a span of the payment's trace"
        );
        assert_eq!(attr(&delivery, "outcome").as_deref(), Some("delivered"));
        assert_eq!(
            attr(&delivery, "event").as_deref(),
            hook.headers["webhook-id"].to_str().ok()
        );
    }
    assert!(
        collector.trace(&unhex(unsampled_trace)).is_empty(),
        "nor are the unsampled payment's deliveries recorded"
    );

    // Attributes (of the deliveries too) carry ids and outcomes, never credentials or what
    // the payer and merchant wrote.
    let webhook_secret = created["webhook_secret"].as_str().unwrap();
    for (_, s) in collector.spans.lock().unwrap().iter() {
        for a in &s.attributes {
            let value = format!("{:?}", a.value);
            for secret in [
                key.as_str(),
                webhook_secret,
                crate::sim_stripe::SECRET_KEY,
                DESCRIPTION,
                "4111111111111111",
                BUYER,
            ] {
                assert!(!value.contains(secret), "{} carries a secret", a.key);
            }
        }
    }
}
