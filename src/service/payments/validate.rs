//! Validation of CreatePayment: every bad field is reported, by its path in the request.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::config::PaymentsConfig;
use crate::domain::risk::canonical_ip;
use crate::domain::{ChannelId, Currency, Method, Money, Payer, Secret};
use crate::proto::{self, v1};
use crate::routing::Router;
use crate::service::Violation;

pub const MAX_DESCRIPTION: usize = 128;
pub const MAX_METADATA_ENTRIES: usize = 20;
pub const MAX_METADATA_KEY: usize = 40;
pub const MAX_METADATA_VALUE: usize = 500;
pub const MAX_URL: usize = 2048;
pub const MAX_BUYER_ID: usize = 128;
pub const MAX_TAG: usize = 64;

/// A create request that passed validation.
#[derive(Debug)]
pub struct NewPayment {
    pub merchant_order_id: String,
    pub amount: Money,
    pub description: String,
    pub method: Method,
    pub metadata: BTreeMap<String, String>,
    pub expires_in: Duration,
    pub payer: Payer,
    pub return_url: Option<String>,
    pub routing_tag: Option<String>,
    pub preferred_channel: Option<ChannelId>,
    pub excluded_channels: Vec<ChannelId>,
}

/// Whether `s` is a valid merchant_order_id (also used for lookups).
pub fn valid_order_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

pub fn create(
    req: &v1::CreatePaymentRequest,
    config: &PaymentsConfig,
    router: &Router,
) -> Result<NewPayment, Vec<Violation>> {
    let mut bad = Vec::new();
    let mut v = |field: &str, reason: &'static str, msg: String| {
        bad.push(Violation::new(field, reason, msg));
    };

    if !valid_order_id(&req.merchant_order_id) {
        v(
            "merchant_order_id",
            "INVALID_MERCHANT_ORDER_ID",
            "must be 1-64 characters of A-Z, a-z, 0-9, _ and -".into(),
        );
    }

    let mut amount = None;
    match &req.amount {
        None => v("amount", "REQUIRED", "is required".into()),
        Some(m) => {
            let currency = Currency::parse(&m.currency);
            if currency.is_none() {
                v(
                    "amount.currency",
                    "INVALID_CURRENCY",
                    format!("{:?} is not a supported ISO 4217 code", m.currency),
                );
            }
            if m.amount_minor <= 0 {
                v(
                    "amount.amount_minor",
                    "INVALID_AMOUNT",
                    "must be positive".into(),
                );
            } else if m.amount_minor > config.max_amount_minor {
                v(
                    "amount.amount_minor",
                    "AMOUNT_TOO_LARGE",
                    format!("must be at most {}", config.max_amount_minor),
                );
            }
            amount = currency.map(|c| Money::new(m.amount_minor, c));
        }
    }

    if chars(&req.description) > MAX_DESCRIPTION {
        v(
            "description",
            "TOO_LONG",
            format!("must be at most {MAX_DESCRIPTION} characters"),
        );
    }

    let method = match v1::PaymentMethod::try_from(req.method)
        .ok()
        .and_then(proto::from_method)
    {
        None => {
            v(
                "method",
                "REQUIRED",
                "must be a known payment method".into(),
            );
            None
        }
        Some(m) if !router.supports_method(m) => {
            v(
                "method",
                "METHOD_NOT_SUPPORTED",
                format!("no enabled channel takes {}", m.as_str()),
            );
            None
        }
        Some(m) => Some(m),
    };

    if req.metadata.len() > MAX_METADATA_ENTRIES {
        v(
            "metadata",
            "TOO_MANY_ENTRIES",
            format!("must have at most {MAX_METADATA_ENTRIES} entries"),
        );
    }
    for (key, value) in &req.metadata {
        if key.is_empty() || chars(key) > MAX_METADATA_KEY {
            v(
                "metadata",
                "INVALID_METADATA_KEY",
                format!("keys must be 1-{MAX_METADATA_KEY} characters"),
            );
        }
        if chars(value) > MAX_METADATA_VALUE {
            v(
                &format!("metadata[{key:?}]"),
                "TOO_LONG",
                format!("must be at most {MAX_METADATA_VALUE} characters"),
            );
        }
    }

    let expires_in = match &req.expires_in {
        None => Some(Duration::from_secs(config.default_expiry_secs)),
        Some(d) => match Duration::try_from(*d) {
            Ok(d) if (60..=config.max_expiry_secs).contains(&d.as_secs()) => Some(d),
            _ => {
                v(
                    "expires_in",
                    "INVALID_EXPIRY",
                    format!("must be between 60 s and {} s", config.max_expiry_secs),
                );
                None
            }
        },
    };

    let payer = req.payer.clone().unwrap_or_default();
    if chars(&payer.buyer_id) > MAX_BUYER_ID {
        v(
            "payer.buyer_id",
            "TOO_LONG",
            format!("must be at most {MAX_BUYER_ID} characters"),
        );
    }
    // Kept in its canonical text, so one address is one buyer to the risk counters.
    let client_ip = match payer.client_ip.parse::<std::net::IpAddr>() {
        Ok(ip) => Some(canonical_ip(ip).to_string()),
        Err(_) if payer.client_ip.is_empty() => None,
        Err(_) => {
            v(
                "payer.client_ip",
                "INVALID_IP",
                "must be an IPv4 or IPv6 address".into(),
            );
            None
        }
    };
    if chars(&payer.device_id) > MAX_BUYER_ID {
        v(
            "payer.device_id",
            "TOO_LONG",
            format!("must be at most {MAX_BUYER_ID} characters"),
        );
    }
    if chars(&payer.payment_method) > MAX_BUYER_ID {
        v(
            "payer.payment_method",
            "TOO_LONG",
            format!("must be at most {MAX_BUYER_ID} characters"),
        );
    }
    if method == Some(Method::Card) && payer.payment_method.is_empty() {
        v(
            "payer.payment_method",
            "REQUIRED",
            "is required for CARD payments (the provider's payment method token)".into(),
        );
    }
    if method == Some(Method::Jsapi) && payer.buyer_id.is_empty() {
        v(
            "payer.buyer_id",
            "REQUIRED",
            "is required for JSAPI payments (the buyer's openid or buyer_id)".into(),
        );
    }

    if !req.return_url.is_empty()
        && (req.return_url.len() > MAX_URL
            || !(req.return_url.starts_with("https://") || req.return_url.starts_with("http://")))
    {
        v(
            "return_url",
            "INVALID_URL",
            format!("must be an http(s) URL of at most {MAX_URL} bytes"),
        );
    }

    if req.routing_tag.len() > MAX_TAG {
        v(
            "routing_tag",
            "TOO_LONG",
            format!("must be at most {MAX_TAG} bytes"),
        );
    }
    let mut channel = |field: &str, id: &str| match ChannelId::parse(id) {
        Some(c) if router.channel(&c).is_some() => Some(c),
        _ => {
            v(
                field,
                "UNKNOWN_CHANNEL",
                format!("{id:?} is not a configured channel"),
            );
            None
        }
    };
    let preferred_channel = (!req.preferred_channel_id.is_empty())
        .then(|| channel("preferred_channel_id", &req.preferred_channel_id))
        .flatten();
    let excluded_channels: Vec<ChannelId> = req
        .excluded_channel_ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| channel(&format!("excluded_channel_ids[{i}]"), id))
        .collect();

    match (amount, method, expires_in) {
        (Some(amount), Some(method), Some(expires_in)) if bad.is_empty() => Ok(NewPayment {
            merchant_order_id: req.merchant_order_id.clone(),
            amount,
            description: req.description.clone(),
            method,
            metadata: req.metadata.clone(),
            expires_in,
            payer: Payer {
                buyer_id: (!payer.buyer_id.is_empty()).then(|| Secret::new(payer.buyer_id)),
                client_ip: client_ip.map(Secret::new),
                payment_method: (!payer.payment_method.is_empty())
                    .then(|| Secret::new(payer.payment_method)),
                device_id: (!payer.device_id.is_empty()).then(|| Secret::new(payer.device_id)),
            },
            return_url: (!req.return_url.is_empty()).then(|| req.return_url.clone()),
            routing_tag: (!req.routing_tag.is_empty()).then(|| req.routing_tag.clone()),
            preferred_channel,
            excluded_channels,
        }),
        _ => Err(bad),
    }
}
