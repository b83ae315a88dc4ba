//! Compiles `proto/` into Rust with protox (a pure-Rust protobuf compiler, so building paycore
//! needs no protoc) and keeps the descriptor set for gRPC reflection.

use std::path::PathBuf;

const PROTOS: &[&str] = &[
    "paycore/v1/common.proto",
    "paycore/v1/payment.proto",
    "paycore/v1/admin.proto",
    "paycore/v1/notify.proto",
    "paycore/v1/refund.proto",
    "paycore/v1/reconciliation.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto");
    let descriptors = protox::compile(PROTOS, ["proto"])?;
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(
        out_dir.join("paycore_descriptor.bin"),
        prost::Message::encode_to_vec(&descriptors),
    )?;
    tonic_prost_build::configure()
        // Sorted maps make encoding deterministic, which request fingerprints rely on.
        .btree_map(".")
        .compile_fds(descriptors)?;
    Ok(())
}
