//! The load tests' trace collector: accepts OTLP/gRPC trace exports on loopback and counts
//! the spans, so tracing's cost is measured with a real exporter and a real receiver that
//! does no work of its own. Writes the running total to `COUNT_FILE` after each export.
//!
//! Usage: `otlp_sink 127.0.0.1:PORT COUNT_FILE`

// A load tool that cannot go on stops with a message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};

struct Sink {
    spans: AtomicUsize,
    count_file: PathBuf,
}

#[tonic::async_trait]
impl TraceService for Sink {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let got: usize = request
            .into_inner()
            .resource_spans
            .iter()
            .flat_map(|r| &r.scope_spans)
            .map(|s| s.spans.len())
            .sum();
        let total = self.spans.fetch_add(got, Ordering::Relaxed) + got;
        std::fs::write(&self.count_file, total.to_string())
            .map_err(|e| tonic::Status::internal(e.to_string()))?;
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: otlp_sink ADDR COUNT_FILE";
    let addr: SocketAddr = args.next().ok_or(usage)?.parse()?;
    let count_file = PathBuf::from(args.next().ok_or(usage)?);
    std::fs::write(&count_file, "0")?;
    let sink = Sink {
        spans: AtomicUsize::new(0),
        count_file,
    };
    tonic::transport::Server::builder()
        .add_service(TraceServiceServer::new(sink))
        .serve(addr)
        .await?;
    Ok(())
}
