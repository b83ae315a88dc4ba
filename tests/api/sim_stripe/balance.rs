//! The simulator's balance transactions: one for each charge and refund it makes (and for
//! the payouts and foreign charges a test adds), listed as `GET /v1/balance_transactions`
//! lists them, with switches for the ways a listing goes wrong.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{Inner, StripeSim, error};
use crate::support::unix_now;

/// How the balance transaction list goes wrong.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PageFault {
    None,
    /// The answer is cut off inside its JSON.
    Truncated,
    /// `has_more` with no items.
    EmptyWithMore,
    /// The first item's `net` is not its amount less its fee.
    WrongNet,
    /// `starting_after` is ignored: every request gets the first page.
    SamePage,
}

/// Stripe's standard card fee: 2.9% + 30 (rounded to the minor unit).
fn card_fee(amount: i64) -> i64 {
    (amount * 29 + 500) / 1000 + 30
}

impl Inner {
    pub(super) fn add_transaction(
        &mut self,
        known_as: &str,
        kind: &str,
        amount: i64,
        fee: i64,
        currency: &Value,
        source: &str,
    ) -> String {
        let id = format!("txn_{:024}", self.balance.len() + 1);
        let created = unix_now();
        let txn = json!({"id": id, "object": "balance_transaction", "amount": amount,
            "available_on": created + 2 * 86_400, "created": created, "currency": currency,
            "description": null, "exchange_rate": null, "fee": fee,
            "fee_details": if fee == 0 { json!([]) } else {
                json!([{"amount": fee, "application": null, "currency": currency,
                        "description": "Stripe processing fees", "type": "stripe_fee"}]) },
            "net": amount - fee, "reporting_category": kind, "source": source,
            "status": "pending", "type": kind});
        self.balance.push((known_as.to_owned(), txn));
        id
    }

    /// The charge of an intent that succeeded (once), with its balance transaction. The
    /// intent's metadata is copied to the charge, as Stripe does when the intent confirms.
    pub(super) fn charge(&mut self, intent: &Value) {
        let pi = intent["id"].as_str().unwrap_or_default().to_owned();
        if self
            .charges
            .values()
            .any(|c| c["payment_intent"] == pi.as_str())
        {
            return;
        }
        let id = format!("ch_{:024}", self.charges.len() + 1);
        let amount = intent["amount"].as_i64().unwrap_or(0);
        let txn = self.add_transaction(
            &pi,
            "charge",
            amount,
            card_fee(amount),
            &intent["currency"],
            &id,
        );
        self.charges.insert(
            id.clone(),
            json!({"id": id, "object": "charge", "amount": amount,
            "amount_captured": amount, "amount_refunded": 0, "balance_transaction": txn,
            "captured": true, "created": unix_now(), "currency": intent["currency"].clone(),
            "metadata": intent["metadata"].clone(), "paid": true, "payment_intent": pi,
            "status": "succeeded"}),
        );
    }

    /// A transaction's source as an object.
    fn expanded(&self, source: &str) -> Value {
        self.charges
            .get(source)
            .or_else(|| self.refunds.get(source))
            .or_else(|| self.payouts.get(source))
            .cloned()
            .unwrap_or_else(|| json!(source))
    }
}

impl StripeSim {
    /// Sets when the balance transactions of a PaymentIntent, refund or payout were created.
    pub fn set_created(&self, known_as: &str, created: i64) {
        let mut inner = self.inner.lock().unwrap();
        let mut found = false;
        for (_, txn) in inner.balance.iter_mut().filter(|(k, _)| k == known_as) {
            txn["created"] = json!(created);
            found = true;
        }
        assert!(found, "no balance transaction for {known_as}");
    }

    /// A charge paycore never made (taken on the dashboard, say), created at `created`;
    /// its PaymentIntent's id.
    pub fn inject_charge(&self, amount: i64, currency: &str, created: i64) -> String {
        let pi = format!(
            "pi_elsewhere_{:012}",
            self.inner.lock().unwrap().balance.len() + 1
        );
        let intent = json!({"id": pi, "amount": amount, "currency": currency, "metadata": {}});
        self.inner.lock().unwrap().charge(&intent);
        self.set_created(&pi, created);
        pi
    }

    /// A payout of `amount` to the bank, created at `created`; its id.
    pub fn add_payout(&self, amount: i64, currency: &str, created: i64) -> String {
        let mut inner = self.inner.lock().unwrap();
        let id = format!("po_{:024}", inner.payouts.len() + 1);
        inner.payouts.insert(
            id.clone(),
            json!({"id": id, "object": "payout", "amount": amount,
            "currency": currency, "status": "paid", "type": "bank_account"}),
        );
        inner.add_transaction(&id, "payout", -amount, 0, &json!(currency), &id);
        inner.balance.last_mut().unwrap().1["created"] = json!(created);
        id
    }

    /// Lists give at most `n` items a page.
    pub fn set_page_size(&self, n: usize) {
        self.inner.lock().unwrap().page_size = n;
    }

    pub fn set_page_fault(&self, fault: PageFault) {
        self.inner.lock().unwrap().page_fault = fault;
    }

    /// The decoded query of every balance transaction list request so far.
    pub fn listings(&self) -> Vec<Vec<(String, String)>> {
        self.inner.lock().unwrap().listings.clone()
    }
}

/// `GET /v1/balance_transactions`: `created[gte]`/`created[lt]`, `limit`, `starting_after`,
/// and `expand[]=data.source`, newest first.
pub(super) fn balance_transactions(sim: &StripeSim, query: &str) -> Response {
    let reply = |(status, value): (u16, Value)| {
        (StatusCode::from_u16(status).unwrap(), value.to_string()).into_response()
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let bound = |key: &str, default: i64| get(key).map_or(Some(default), |v| v.parse().ok());
    let (Some(gte), Some(lt)) = (
        bound("created[gte]", i64::MIN),
        bound("created[lt]", i64::MAX),
    ) else {
        return reply(error(
            400,
            "invalid_request_error",
            "parameter_invalid_integer",
            "Invalid created",
        ));
    };
    let limit = match get("limit").map_or(Some(10), |v| v.parse::<usize>().ok()) {
        Some(l @ 1..=100) => l,
        _ => {
            return reply(error(
                400,
                "invalid_request_error",
                "parameter_invalid_integer",
                "Invalid integer: limit must be between 1 and 100",
            ));
        }
    };
    let expand = pairs
        .iter()
        .any(|(k, v)| k.starts_with("expand[") && v == "data.source");
    let mut inner = sim.inner.lock().unwrap();
    inner.listings.push(pairs.clone());
    let mut listed: Vec<&Value> = inner
        .balance
        .iter()
        .map(|(_, t)| t)
        .filter(|t| (gte..lt).contains(&t["created"].as_i64().unwrap()))
        .collect();
    listed.sort_by_key(|t| std::cmp::Reverse((t["created"].as_i64(), t["id"].as_str())));
    let mut rest = listed.as_slice();
    let cursor = get("starting_after").filter(|_| inner.page_fault != PageFault::SamePage);
    if let Some(after) = cursor {
        let Some(i) = rest.iter().position(|t| t["id"] == after) else {
            return reply(error(
                404,
                "invalid_request_error",
                "resource_missing",
                &format!("No such balance transaction: '{after}'"),
            ));
        };
        rest = &rest[i + 1..];
    }
    let size = limit.min(inner.page_size);
    let has_more = rest.len() > size;
    let mut data: Vec<Value> = rest
        .iter()
        .take(size)
        .map(|t| {
            let mut t = (*t).clone();
            if expand {
                t["source"] = inner.expanded(t["source"].as_str().unwrap());
            }
            t
        })
        .collect();
    let page = |data: Vec<Value>, has_more: bool| json!({"object": "list", "url": "/v1/balance_transactions", "has_more": has_more, "data": data});
    match inner.page_fault {
        PageFault::None | PageFault::SamePage => reply((200, page(data, has_more))),
        PageFault::Truncated => {
            let text = page(data, has_more).to_string();
            (StatusCode::OK, text[..text.len() / 2].to_owned()).into_response()
        }
        PageFault::EmptyWithMore => reply((200, page(Vec::new(), true))),
        PageFault::WrongNet => {
            if let Some(first) = data.first_mut() {
                first["net"] = json!(first["net"].as_i64().unwrap() + 1);
            }
            reply((200, page(data, has_more)))
        }
    }
}
