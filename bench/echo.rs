//! The load tests' baseline: a bare tonic server answering `grpc.health.v1.Health/Check`
//! from memory, with reflection, so ghz drives it with the same flags as paycore. Whatever
//! paycore does beyond this is paycore's own cost.
//!
//! Usage: `echo 127.0.0.1:PORT`

// A load tool that cannot go on stops with a message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr: SocketAddr = std::env::args().nth(1).ok_or("usage: echo ADDR")?.parse()?;
    let (_reporter, health) = tonic_health::server::health_reporter();
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    tonic::transport::Server::builder()
        .add_service(health)
        .add_service(reflection)
        .serve(addr)
        .await?;
    Ok(())
}
