//! Sending one webhook request: only to addresses the guard permits, through a client
//! whose resolver is the guard, with a failure reduced to a stable code a merchant may see
//! and the detail an operator needs.

use std::sync::Arc;
use std::time::Duration;

use super::guard::{self, Guard, Target};
use crate::provider::executor::{Executor, Request, Response};

/// A request that got no answer.
#[derive(Debug)]
pub struct Failure {
    /// Stable and free of addresses and resolver messages: `URL_NOT_ALLOWED`,
    /// `UNRESOLVABLE`, `CONNECT_FAILED`, `TLS_FAILED`, `TRANSPORT_ERROR`...
    pub code: String,
    /// For the server log only: it may name internal addresses.
    pub detail: String,
}

/// The code of a request refused before it was sent. Retrying will not change it.
pub const URL_NOT_ALLOWED: &str = "URL_NOT_ALLOWED";

/// The webhook sender.
pub struct Outbound {
    guard: Guard,
    executor: Executor,
}

impl Outbound {
    /// A client of its own, whose every connection goes to an address `guard` resolved and
    /// permitted.
    pub fn new(guard: Guard, connect_timeout: Duration) -> Result<Self, reqwest::Error> {
        let executor = Executor::with_resolver(connect_timeout, Arc::new(guard.clone()))?;
        Ok(Self { guard, executor })
    }

    /// Sends `request` if its URL may be reached. A name is resolved (and checked) by the
    /// client's resolver as it connects; an IP-literal host is resolved by no one, so it
    /// is checked here.
    pub async fn send(&self, request: Request) -> Result<Response, Failure> {
        let refused = |detail: String| Failure {
            code: URL_NOT_ALLOWED.into(),
            detail,
        };
        match guard::target(&request.url) {
            Err(e) => return Err(refused(e.to_string())),
            Ok(Target::Ip(ip)) => self.guard.check(ip).map_err(|r| refused(r.to_string()))?,
            Ok(Target::Name(_)) => {}
        }
        self.executor.send(request).await.map_err(|f| Failure {
            code: f.code,
            detail: f.message,
        })
    }
}

#[cfg(test)]
mod tests;
