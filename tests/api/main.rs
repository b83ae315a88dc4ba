//! Integration tests: the real server on port 0 with a temporary database, driven through
//! its gRPC and HTTP ports. One test binary, so the crate links once.

// A test that fails panics: unwrap, expect and panic are how it says so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;
mod sweeper;

mod alipay;
mod auth;
mod cli;
mod config;
mod edges;
mod events;
mod health;
mod idempotency;
mod keys;
mod metrics;
mod nodes;
mod parsers;
mod payments;
mod process;
mod property;
mod reconciliation;
mod reconciliation_providers;
mod refunds;
mod risk;
mod routing;
mod sandbox;
mod sim_alipay;
mod sim_stripe;
mod sim_wechatpay;
mod statement_alipay;
mod statement_stripe;
mod statement_wechatpay;
mod stripe;
mod tls;
mod traces;
mod validation;
mod vectors;
mod webhooks;
mod wechatpay;
