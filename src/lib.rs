//! paycore: a payment core. One gRPC API (payments, refunds, notifications) in front of
//! Alipay, WeChat Pay, Stripe and a built-in sandbox, with routing and failover between
//! channels that never charges a buyer twice. See DESIGN.md for how the pieces fit.

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod grpc;
pub mod http;
pub mod metrics;
pub mod proto;
pub mod provider;
pub mod routing;
pub mod service;
pub mod storage;
pub mod telemetry;

#[cfg(test)]
mod layers;
