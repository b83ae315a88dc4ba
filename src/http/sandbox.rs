//! The sandbox buyer: a checkout page a person can open from the QR code and pay with one
//! click, and the `POST /sandbox/pay/{payment_id}` it submits to.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::Edge;
use crate::domain::{Payment, PaymentStatus};
use crate::service::notify::SandboxPayError;

pub async fn checkout(State(edge): State<Edge>, Path(id): Path<String>) -> Response {
    match edge.notify.sandbox_payment(&id).await {
        Ok(p) => Html(page(&p)).into_response(),
        Err(e) => error(e),
    }
}

/// Pays the payment. A form post from the checkout page is sent back to it; any other
/// caller gets JSON.
pub async fn pay(State(edge): State<Edge>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let from_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    match edge.notify.sandbox_pay(&id).await {
        Ok(_) if from_form => Redirect::to(&format!("/sandbox/checkout/{id}")).into_response(),
        Ok(p) => axum::Json(serde_json::json!({
            "payment_id": p.id.to_string(),
            "status": p.status.as_str(),
        }))
        .into_response(),
        Err(e) => error(e),
    }
}

fn error(e: SandboxPayError) -> Response {
    let code = match &e {
        SandboxPayError::NotFound => StatusCode::NOT_FOUND,
        SandboxPayError::Buyer(_) => StatusCode::CONFLICT,
        SandboxPayError::Notify(n) => {
            StatusCode::from_u16(n.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }
    };
    (code, e.to_string()).into_response()
}

fn escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '&' => "&amp;".into(),
            '"' => "&quot;".into(),
            '\'' => "&#39;".into(),
            c => c.to_string(),
        })
        .collect()
}

fn page(p: &Payment) -> String {
    let action = match p.status {
        PaymentStatus::Pending | PaymentStatus::Unknown => format!(
            r#"<form method="post" action="/sandbox/pay/{id}"><button type="submit">Pay {amount}</button></form>"#,
            id = p.id,
            amount = p.amount,
        ),
        PaymentStatus::Succeeded => "<p class=\"done\">Paid. Thank you.</p>".into(),
        other => format!(
            "<p>This payment is {} and cannot be paid.</p>",
            other.as_str()
        ),
    };
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>paycore sandbox checkout</title>
<style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}}
.amount{{font-size:2rem;margin:.5rem 0}}button{{font-size:1.2rem;padding:.6rem 1.4rem}}
.done{{color:#17803d;font-weight:600}}small{{color:#666}}</style></head>
<body><h1>Sandbox checkout</h1>
<p class="amount">{amount}</p><p>{description}</p>
{action}
<p><small>Payment {id} · no real money moves in the sandbox.</small></p>
</body></html>
"#,
        amount = p.amount,
        description = escape(&p.description),
        id = p.id,
    )
}
