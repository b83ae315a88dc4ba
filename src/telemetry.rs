//! Logs and traces: the `tracing` subscriber paycore runs under.
//!
//! Log lines go to stderr, human or JSON, filtered by `server.log`. When
//! `tracing.otlp_endpoint` is set, the spans of paycore's own code (each RPC, its routing,
//! placement and attempts, provider HTTP calls, database transactions, webhook deliveries)
//! are also exported over OTLP/gRPC in batches, sampled by `tracing.sample_ratio` unless the
//! caller's W3C `traceparent` already decided. Spans of the libraries underneath (tonic, h2,
//! sqlx, the exporter itself) are never exported.

use std::io::IsTerminal;

use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, filter::Targets};

use crate::config::{LogFormat, ServerConfig, TracingConfig};

/// The running exporter, if traces are on. Dropping it does not flush: call `shutdown`.
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

/// Installs the global subscriber. With traces on it must run inside the Tokio runtime,
/// which carries the exporter's connection.
pub fn init(server: &ServerConfig, tracing: &TracingConfig) -> Result<Telemetry, String> {
    let filter = EnvFilter::try_new(&server.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let logs = match server.log_format {
        LogFormat::Human => logs.with_ansi(std::io::stderr().is_terminal()).boxed(),
        // One JSON object a line, with the fields of the spans it was written in (the
        // request id among them).
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .boxed(),
    };
    let provider = match &tracing.otlp_endpoint {
        Some(endpoint) => Some(provider(endpoint, tracing)?),
        None => None,
    };
    let traces = provider.as_ref().map(|p| {
        tracing_opentelemetry::layer()
            .with_tracer(p.tracer("paycore"))
            .with_filter(Targets::new().with_target("paycore", tracing::Level::INFO))
    });
    tracing_subscriber::registry()
        .with(logs.with_filter(filter))
        .with(traces)
        .try_init()
        .map_err(|e| format!("cannot install the log subscriber: {e}"))?;
    Ok(Telemetry { provider })
}

fn provider(endpoint: &str, config: &TracingConfig) -> Result<SdkTracerProvider, String> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_tonic()
        .with_endpoint(endpoint)
        .with_timeout(std::time::Duration::from_secs(5))
        .build()
        .map_err(|e| format!("tracing.otlp_endpoint: {e}"))?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_sampler(Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(
            config.sample_ratio,
        ))))
        .with_resource(
            opentelemetry_sdk::Resource::builder()
                .with_service_name(config.service_name.clone())
                .build(),
        )
        .build())
}

impl Telemetry {
    /// Exports the spans still queued. Call it before the runtime stops.
    pub fn shutdown(self) {
        if let Some(provider) = self.provider
            && let Err(e) = provider.shutdown()
        {
            eprintln!("paycore: traces not flushed: {e}");
        }
    }
}

/// Makes `span` continue the caller's trace when `headers` carry a W3C `traceparent`.
pub fn continue_trace(span: &tracing::Span, headers: &http::HeaderMap) {
    if headers.contains_key("traceparent") {
        continue_from(span, &Headers(headers));
    }
}

/// Makes `span` a child of the work that wrote `traceparent` (stored with an event).
pub fn continue_traceparent(span: &tracing::Span, traceparent: Option<&str>) {
    if let Some(traceparent) = traceparent {
        continue_from(span, &Traceparent(traceparent));
    }
}

fn continue_from(span: &tracing::Span, carrier: &dyn Extractor) {
    let parent = TraceContextPropagator::new().extract(carrier);
    // Fails only when no trace layer is installed: then there is nothing to continue.
    let _ = span.set_parent(parent);
}

/// The W3C trace context of the current span, as headers for an outbound request: none when
/// traces are off.
pub fn trace_headers() -> Vec<(&'static str, String)> {
    let context = tracing::Span::current().context();
    let mut headers = Outbound(Vec::new());
    TraceContextPropagator::new().inject_context(&context, &mut headers);
    headers.0
}

/// The current span's W3C `traceparent`, to store with what it writes: none when traces
/// are off.
pub fn traceparent() -> Option<String> {
    trace_headers()
        .into_iter()
        .find_map(|(name, value)| (name == "traceparent").then_some(value))
}

struct Traceparent<'a>(&'a str);

impl Extractor for Traceparent<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        (key == "traceparent").then_some(self.0)
    }

    fn keys(&self) -> Vec<&str> {
        vec!["traceparent"]
    }
}

struct Headers<'a>(&'a http::HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(http::HeaderName::as_str).collect()
    }
}

struct Outbound(Vec<(&'static str, String)>);

impl Injector for Outbound {
    fn set(&mut self, key: &str, value: String) {
        // The W3C propagator writes only these two.
        let name = match key {
            "traceparent" => "traceparent",
            "tracestate" => "tracestate",
            _ => return,
        };
        self.0.push((name, value));
    }
}
