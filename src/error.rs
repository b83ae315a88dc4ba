//! The one mapping from paycore's errors to gRPC statuses. Every status carries
//! `google.rpc.ErrorInfo{reason, domain: "paycore"}`; some add `BadRequest` or `RetryInfo`.
//!
//! | condition                               | code                | reason                      | details    |
//! |-----------------------------------------|---------------------|-----------------------------|------------|
//! | a request field is invalid              | INVALID_ARGUMENT    | INVALID_REQUEST             | BadRequest |
//! | no API key                              | UNAUTHENTICATED     | MISSING_API_KEY             |            |
//! | unknown API key                         | UNAUTHENTICATED     | INVALID_API_KEY             |            |
//! | AdminService without the operator key   | UNAUTHENTICATED     | INVALID_OPERATOR_KEY        |            |
//! | AdminService with no operator key set   | PERMISSION_DENIED   | ADMIN_DISABLED              |            |
//! | payment absent or another merchant's    | NOT_FOUND           | PAYMENT_NOT_FOUND           |            |
//! | merchant_order_id reused, other params  | ALREADY_EXISTS      | IDEMPOTENCY_CONFLICT        |            |
//! | close of a succeeded payment            | FAILED_PRECONDITION | PAYMENT_ALREADY_SUCCEEDED   |            |
//! | a channel call for it is still running  | ABORTED             | PAYMENT_IN_PROGRESS         | RetryInfo  |
//! | no channel could take the payment       | UNAVAILABLE         | CHANNELS_UNAVAILABLE        | RetryInfo  |
//! | the payment's channel failed (close/sync)| UNAVAILABLE        | CHANNEL_ERROR               | RetryInfo  |
//! | the database is unreachable             | UNAVAILABLE         | STORAGE_UNAVAILABLE         | RetryInfo  |
//! | anything else (logged with context)     | INTERNAL            | INTERNAL                    |            |

use std::collections::HashMap;
use std::time::Duration;

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

use crate::grpc::auth::AuthError;
use crate::service::Error;
use crate::storage::StoreError;

/// The `ErrorInfo.domain` of every paycore error.
pub const DOMAIN: &str = "paycore";

const RETRY_AFTER: Duration = Duration::from_secs(1);

fn status(code: Code, reason: &str, message: impl Into<String>, details: ErrorDetails) -> Status {
    let mut details = details;
    details.set_error_info(reason, DOMAIN, HashMap::new());
    Status::with_error_details(code, message, details)
}

fn plain(code: Code, reason: &str, message: impl Into<String>) -> Status {
    status(code, reason, message, ErrorDetails::new())
}

fn retry(code: Code, reason: &str, message: impl Into<String>) -> Status {
    status(
        code,
        reason,
        message,
        ErrorDetails::with_retry_info(Some(RETRY_AFTER)),
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
                let violations: Vec<FieldViolation> = violations
                    .into_iter()
                    .map(|v| FieldViolation {
                        field: v.field,
                        description: v.description,
                        reason: v.reason.to_owned(),
                        localized_message: None,
                    })
                    .collect();
                status(
                    Code::InvalidArgument,
                    "INVALID_REQUEST",
                    message,
                    ErrorDetails::with_bad_request(violations),
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
            Error::Channel(f) => {
                let mut details = ErrorDetails::with_retry_info(Some(RETRY_AFTER));
                details.set_error_info(
                    "CHANNEL_ERROR",
                    DOMAIN,
                    HashMap::from([("channel_code".to_owned(), f.code.clone())]),
                );
                Status::with_error_details(
                    Code::Unavailable,
                    format!("the channel failed: {}", f.message),
                    details,
                )
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
            AuthError::Store(e) => e.into(),
        }
    }
}
