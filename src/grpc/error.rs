//! The one mapping from paycore's errors to gRPC statuses. Every status carries
//! `google.rpc.ErrorInfo{reason, domain: "paycore"}`; some add `BadRequest` or `RetryInfo`.
//!
//! | condition                               | code                | reason                      | details    |
//! |-----------------------------------------|---------------------|-----------------------------|------------|
//! | a request field is invalid              | INVALID_ARGUMENT    | INVALID_REQUEST             | BadRequest |
//! | no API key                              | UNAUTHENTICATED     | MISSING_API_KEY             |            |
//! | unknown, revoked or expired API key     | UNAUTHENTICATED     | INVALID_API_KEY             |            |
//! | key bound to other client certificates  | PERMISSION_DENIED   | CLIENT_CERTIFICATE_NOT_ALLOWED |         |
//! | AdminService without the operator key   | UNAUTHENTICATED     | INVALID_OPERATOR_KEY        |            |
//! | AdminService with no operator key set   | PERMISSION_DENIED   | ADMIN_DISABLED              |            |
//! | payment absent or another merchant's    | NOT_FOUND           | PAYMENT_NOT_FOUND           |            |
//! | merchant_order_id reused, other params  | ALREADY_EXISTS      | IDEMPOTENCY_CONFLICT        |            |
//! | refund of a payment not refundable      | FAILED_PRECONDITION | PAYMENT_NOT_REFUNDABLE      |            |
//! | refund larger than what is left         | FAILED_PRECONDITION | REFUND_EXCEEDS_AVAILABLE    | metadata   |
//! | redelivery of an unknown event          | NOT_FOUND           | EVENT_NOT_FOUND             |            |
//! | refund absent or another merchant's     | NOT_FOUND           | REFUND_NOT_FOUND            |            |
//! | close of a succeeded payment            | FAILED_PRECONDITION | PAYMENT_ALREADY_SUCCEEDED   |            |
//! | a channel call for it is still running  | ABORTED             | PAYMENT_IN_PROGRESS         | RetryInfo  |
//! | no channel could take the payment       | UNAVAILABLE         | CHANNELS_UNAVAILABLE        | RetryInfo  |
//! | the payment's channel failed (close/sync)| UNAVAILABLE        | CHANNEL_ERROR               | RetryInfo  |
//! | AdminService names no such channel      | NOT_FOUND           | CHANNEL_NOT_FOUND           |            |
//! | AdminService names no such merchant     | NOT_FOUND           | MERCHANT_NOT_FOUND          |            |
//! | ... or no such key of the merchant      | NOT_FOUND           | API_KEY_NOT_FOUND           |            |
//! | faults for a channel that is no sandbox | FAILED_PRECONDITION | NOT_A_SANDBOX_CHANNEL       |            |
//! | no such reconciliation run              | NOT_FOUND           | RUN_NOT_FOUND               |            |
//! | no such difference                      | NOT_FOUND           | DIFFERENCE_NOT_FOUND        |            |
//! | resolving a difference that is not open | FAILED_PRECONDITION | DIFFERENCE_NOT_OPEN         |            |
//! | a run of the same channel and day is on | ABORTED             | RECONCILIATION_RUNNING      | RetryInfo  |
//! | approve/reject of a payment not in review | FAILED_PRECONDITION | PAYMENT_NOT_IN_REVIEW     |            |
//! | no such risk rule (a runtime one: delete) | NOT_FOUND         | RISK_RULE_NOT_FOUND         |            |
//! | no such risk list                       | NOT_FOUND           | RISK_LIST_NOT_FOUND         |            |
//! | a merchant over its request quota       | RESOURCE_EXHAUSTED  | RATE_LIMITED                | RetryInfo  |
//! | a merchant's event streams at the cap   | RESOURCE_EXHAUSTED  | TOO_MANY_STREAMS            | metadata   |
//! | keyless streams (health, reflection) at the cap | RESOURCE_EXHAUSTED | TOO_MANY_STREAMS  | metadata   |
//! | the database is unreachable             | UNAVAILABLE         | STORAGE_UNAVAILABLE         | RetryInfo  |
//! | a body that is not the method's protobuf| INVALID_ARGUMENT    | MALFORMED_REQUEST           |            |
//! | a bug (illegal transition, task panic)  | INTERNAL            | INTERNAL                    |            |
//! | anything else (logged with context)     | INTERNAL            | INTERNAL                    |            |

use std::collections::HashMap;
use std::time::Duration;

use prost::Message;
use tonic::{Code, Status};
use tonic_types::pb;

use super::auth::AuthError;
use super::keyless::TooManyKeyless;
use super::quota::OverQuota;
use crate::service::{Error, StoreError, Violation};

/// The `ErrorInfo.domain` of every paycore error.
pub const DOMAIN: &str = "paycore";

/// How long a client should wait before retrying, in RetryInfo, unless the error knows.
const RETRY_AFTER: Duration = Duration::from_secs(1);

fn any(type_name: &str, message: &impl Message) -> prost_types::Any {
    prost_types::Any {
        type_url: format!("type.googleapis.com/google.rpc.{type_name}"),
        value: message.encode_to_vec(),
    }
}

/// Builds the status with its `google.rpc.Status` details. (The details are encoded here
/// rather than with tonic-types' builder, which drops `FieldViolation.reason`.)
fn status(
    code: Code,
    reason: &str,
    message: impl Into<String>,
    metadata: HashMap<String, String>,
    retry: Option<Duration>,
    violations: Vec<Violation>,
) -> Status {
    let message = message.into();
    let mut details = vec![any(
        "ErrorInfo",
        &pb::ErrorInfo {
            reason: reason.to_owned(),
            domain: DOMAIN.to_owned(),
            metadata,
        },
    )];
    if let Some(delay) = retry {
        details.push(any(
            "RetryInfo",
            &pb::RetryInfo {
                retry_delay: prost_types::Duration::try_from(delay).ok(),
            },
        ));
    }
    if !violations.is_empty() {
        let field_violations = violations
            .into_iter()
            .map(|v| pb::bad_request::FieldViolation {
                field: v.field,
                description: v.description,
                reason: v.reason.to_owned(),
                localized_message: None,
            })
            .collect();
        details.push(any("BadRequest", &pb::BadRequest { field_violations }));
    }
    let encoded = pb::Status {
        code: code as i32,
        message: message.clone(),
        details,
    }
    .encode_to_vec();
    Status::with_details(code, message, encoded.into())
}

fn plain(code: Code, reason: &str, message: impl Into<String>) -> Status {
    status(code, reason, message, HashMap::new(), None, Vec::new())
}

fn retry(code: Code, reason: &str, message: impl Into<String>) -> Status {
    status(
        code,
        reason,
        message,
        HashMap::new(),
        Some(RETRY_AFTER),
        Vec::new(),
    )
}

/// The answer to a request body that is not the method's protobuf message (tonic's own
/// answer is INTERNAL, which would blame paycore).
pub fn malformed_request() -> Status {
    plain(
        Code::InvalidArgument,
        "MALFORMED_REQUEST",
        "the request body is not a valid protobuf message of the method's request type",
    )
}

impl From<Error> for Status {
    fn from(e: Error) -> Self {
        match e {
            Error::InvalidRequest(violations) => {
                let message = violations
                    .iter()
                    .map(|v| format!("{}: {}", v.field, v.description))
                    .collect::<Vec<_>>()
                    .join("; ");
                status(
                    Code::InvalidArgument,
                    "INVALID_REQUEST",
                    message,
                    HashMap::new(),
                    None,
                    violations,
                )
            }
            Error::PaymentNotFound => {
                plain(Code::NotFound, "PAYMENT_NOT_FOUND", "payment not found")
            }
            Error::IdempotencyConflict => plain(
                Code::AlreadyExists,
                "IDEMPOTENCY_CONFLICT",
                "merchant_order_id was already used with different parameters",
            ),
            Error::RuleNotFound(message) => plain(Code::NotFound, "RISK_RULE_NOT_FOUND", message),
            Error::ListNotFound(message) => plain(Code::NotFound, "RISK_LIST_NOT_FOUND", message),
            Error::PaymentNotInReview(status) => plain(
                Code::FailedPrecondition,
                "PAYMENT_NOT_IN_REVIEW",
                format!("the payment is not held for review; it is {status}"),
            ),
            Error::PaymentAlreadySucceeded => plain(
                Code::FailedPrecondition,
                "PAYMENT_ALREADY_SUCCEEDED",
                "the payment has already succeeded",
            ),
            Error::PaymentInProgress => retry(
                Code::Aborted,
                "PAYMENT_IN_PROGRESS",
                "the payment is being placed at a channel; retry shortly",
            ),
            Error::ChannelsUnavailable => retry(
                Code::Unavailable,
                "CHANNELS_UNAVAILABLE",
                "no channel could take the payment; retry with the same merchant_order_id",
            ),
            Error::Channel(f) => status(
                Code::Unavailable,
                "CHANNEL_ERROR",
                format!("the channel failed: {}", f.message),
                HashMap::from([("channel_code".to_owned(), f.code)]),
                Some(RETRY_AFTER),
                Vec::new(),
            ),
            Error::RefundNotFound => plain(Code::NotFound, "REFUND_NOT_FOUND", "refund not found"),
            Error::EventNotFound => plain(
                Code::NotFound,
                "EVENT_NOT_FOUND",
                "no such event, or no webhook URL to send it to",
            ),
            Error::PaymentNotRefundable(why) => {
                plain(Code::FailedPrecondition, "PAYMENT_NOT_REFUNDABLE", why)
            }
            Error::RefundExceedsAvailable { available_minor } => status(
                Code::FailedPrecondition,
                "REFUND_EXCEEDS_AVAILABLE",
                format!(
                    "the refund exceeds what is left to refund ({available_minor} minor units)"
                ),
                HashMap::from([("available_minor".to_owned(), available_minor.to_string())]),
                None,
                Vec::new(),
            ),
            Error::ChannelNotFound => plain(Code::NotFound, "CHANNEL_NOT_FOUND", "no such channel"),
            Error::MerchantNotFound => {
                plain(Code::NotFound, "MERCHANT_NOT_FOUND", "no such merchant")
            }
            Error::ApiKeyNotFound => plain(
                Code::NotFound,
                "API_KEY_NOT_FOUND",
                "the merchant has no such API key",
            ),
            Error::NotASandboxChannel => plain(
                Code::FailedPrecondition,
                "NOT_A_SANDBOX_CHANNEL",
                "faults can only be injected into sandbox channels",
            ),
            Error::RunNotFound => plain(
                Code::NotFound,
                "RUN_NOT_FOUND",
                "no such reconciliation run",
            ),
            Error::DifferenceNotFound => {
                plain(Code::NotFound, "DIFFERENCE_NOT_FOUND", "no such difference")
            }
            Error::DifferenceNotOpen(status) => plain(
                Code::FailedPrecondition,
                "DIFFERENCE_NOT_OPEN",
                format!("the difference is {status}; only an open one can be resolved"),
            ),
            Error::ReconciliationRunning => retry(
                Code::Aborted,
                "RECONCILIATION_RUNNING",
                "a run of this channel and day is under way; look at its result with ListRuns",
            ),
            // No RetryInfo: a slot frees only when one of the merchant's streams ends.
            Error::TooManyStreams { limit } => status(
                Code::ResourceExhausted,
                "TOO_MANY_STREAMS",
                format!(
                    "the merchant has {limit} event streams open on this node, the most \
                     allowed; end one first"
                ),
                HashMap::from([("max_streams".to_owned(), limit.to_string())]),
                None,
                Vec::new(),
            ),
            Error::Internal(context) => {
                tracing::error!(error = %context, "internal error");
                plain(Code::Internal, "INTERNAL", "internal error")
            }
            Error::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for Status {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(_) => {
                tracing::warn!(error = %e, "database unavailable");
                retry(
                    Code::Unavailable,
                    "STORAGE_UNAVAILABLE",
                    "the database is unavailable",
                )
            }
            StoreError::Conflict(_)
            | StoreError::Corrupt(_)
            | StoreError::Other(_)
            | StoreError::Config(_)
            | StoreError::Migrate(_) => {
                tracing::error!(error = %e, "storage error");
                plain(Code::Internal, "INTERNAL", "internal error")
            }
        }
    }
}

impl From<AuthError> for Status {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::MissingApiKey => plain(
                Code::Unauthenticated,
                "MISSING_API_KEY",
                "send `authorization: Bearer <api key>`",
            ),
            AuthError::InvalidApiKey => {
                plain(Code::Unauthenticated, "INVALID_API_KEY", "unknown API key")
            }
            AuthError::InvalidOperatorKey => plain(
                Code::Unauthenticated,
                "INVALID_OPERATOR_KEY",
                "AdminService needs `authorization: Bearer <operator key>`",
            ),
            AuthError::AdminDisabled => plain(
                Code::PermissionDenied,
                "ADMIN_DISABLED",
                "no operator key is configured (server.operator_key)",
            ),
            AuthError::ClientNotAllowed => plain(
                Code::PermissionDenied,
                "CLIENT_CERTIFICATE_NOT_ALLOWED",
                "this key may be used only by clients with a certificate issued for it",
            ),
            AuthError::Store(e) => e.into(),
        }
    }
}

impl From<TooManyKeyless> for Status {
    fn from(e: TooManyKeyless) -> Self {
        // No RetryInfo: a slot frees only when one of those streams ends.
        status(
            Code::ResourceExhausted,
            "TOO_MANY_STREAMS",
            format!(
                "this node holds {} streams opened without a key (health Watch, reflection), \
                 the most allowed",
                e.limit
            ),
            HashMap::from([("max_streams".to_owned(), e.limit.to_string())]),
            None,
            Vec::new(),
        )
    }
}

impl From<OverQuota> for Status {
    fn from(e: OverQuota) -> Self {
        // Never advise an immediate retry: at least a millisecond.
        let after = e.retry_after.max(Duration::from_millis(1));
        status(
            Code::ResourceExhausted,
            "RATE_LIMITED",
            format!("request quota exceeded; retry in {} ms", after.as_millis()),
            HashMap::new(),
            Some(after),
            Vec::new(),
        )
    }
}
