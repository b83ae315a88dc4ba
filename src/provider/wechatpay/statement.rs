//! WeChat Pay's trade bill (交易账单) as a statement: the signed request for a day's bill, the
//! download of its gzip (whose answer is not signed, so its SHA1 is checked instead), and a
//! streaming parser of the backtick-prefixed CSV inside, usable on its own for any statement
//! written in this format.
//!
//! Decisions the format leaves open:
//! - A payment line's amount is 应结订单金额 (总金额 in the legacy layout): the money settled
//!   to the merchant, the one amount every layout has and the one the summary totals. It is
//!   below 订单金额 only when a merchant-funded (免充值) coupon paid part of the order.
//! - A refund line's amount is 退款金额 for the same reason (申请退款金额 minus the
//!   merchant-funded coupon part).
//! - The summary is checked as column totals: 总交易单数 counts every detail row, 应结订单总金额
//!   and 退款总金额 sum their columns over every row (refund rows carry 0.00 in the first,
//!   payment rows 0.00 in the second), and 手续费总金额 sums the fees exactly, in 1e-5 yuan.
//! - The totals given are the summary's: `payments` counts the SUCCESS and REVOKED rows that
//!   应结订单总金额 sums, and `fee_minor` is 手续费总金额 rounded to fen, so it can differ from
//!   the sum of the lines' rounded fees by up to half a fen a line.
//! - 退款状态 is a snapshot taken when the bill was made: PROCESSING (and v2's NOTSURE) read as
//!   processing; FAIL, REFUNDCLOSE, CLOSED, CHANGE and ABNORMAL (the original route failed, the
//!   money went back to the merchant) as failed; any other value is malformed.

mod tradebill;

pub use tradebill::{TradeBill, parse_tradebill};

use serde_json::Value;

use super::Wechatpay;
use crate::domain::Day;
use crate::provider::executor::Request;
use crate::provider::statement::{MAX_STATEMENT_BYTES, StatementError};

fn error(code: &'static str, message: impl Into<String>) -> StatementError {
    StatementError::new(code, message)
}

impl Wechatpay {
    /// Asks for `day`'s ALL bill, downloads it and returns its parser.
    pub(super) async fn trade_bill(&self, day: Day) -> Result<TradeBill, StatementError> {
        let path = format!("/v3/bill/tradebill?bill_date={day}&bill_type=ALL&tar_type=GZIP");
        let (_, answer) = self
            .call(http::Method::GET, &path, None)
            .await
            .map_err(|f| {
                let code = match f.code.as_str() {
                    // Not made yet (before about 10:00 China time the next day) or being made.
                    "NO_STATEMENT_EXIST" | "STATEMENT_CREATING" => StatementError::NOT_READY,
                    _ => StatementError::PROVIDER_ERROR,
                };
                error(
                    code,
                    format!("WeChat Pay's bill for {day}: {}: {}", f.code, f.message),
                )
            })?;
        let (hash, url) = bill_location(&answer).map_err(|what| {
            error(
                StatementError::PROVIDER_ERROR,
                format!("WeChat Pay's answer for the bill of {day}: {what}"),
            )
        })?;
        let body = self.download(&url).await?;
        Ok(parse_tradebill(body, Some(hash)))
    }

    /// GETs the bill file: signed like every request, but its answer carries no platform
    /// signature (the hash from the signed answer stands for it).
    async fn download(&self, url: &str) -> Result<Vec<u8>, StatementError> {
        let parsed = reqwest::Url::parse(url).map_err(|e| {
            error(
                StatementError::PROVIDER_ERROR,
                format!("WeChat Pay gave an unusable download_url: {e}"),
            )
        })?;
        let target = match parsed.query() {
            Some(query) => format!("{}?{query}", parsed.path()),
            None => parsed.path().to_owned(),
        };
        let request = Request {
            method: http::Method::GET,
            url: parsed.to_string(),
            headers: vec![
                ("authorization", self.authorization("GET", &target, "")),
                ("accept", "*/*".into()),
            ],
            body: Vec::new(),
        };
        let response = self
            .executor
            .send_limited(request, MAX_STATEMENT_BYTES)
            .await
            .map_err(|f| StatementError::download("WeChat Pay's bill", &f))?;
        if !(200..300).contains(&response.status) {
            // An expired link (about 30 s) answers 400 INVALID_REQUEST.
            let code = serde_json::from_slice::<Value>(&response.body)
                .ok()
                .and_then(|v| v.get("code").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_default();
            return Err(error(
                StatementError::DOWNLOAD_FAILED,
                format!(
                    "WeChat Pay answered the bill download with HTTP {} {code}; the link lives \
                     about 30 seconds, ask for the bill again",
                    response.status
                ),
            ));
        }
        Ok(response.body)
    }
}

/// The SHA1 (hex) and the download URL from the answer to the bill request.
fn bill_location(answer: &Value) -> Result<(String, String), String> {
    let field = |k: &str| answer.get(k).and_then(Value::as_str);
    match field("hash_type") {
        Some("SHA1") => {}
        other => return Err(format!("hash_type {other:?}, not SHA1")),
    }
    let hash = field("hash_value").unwrap_or_default();
    if hash.len() != 40 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("hash_value {hash:?} is not a SHA1"));
    }
    let url = field("download_url").ok_or("no download_url")?;
    Ok((hash.to_owned(), url.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bill_request_answer_names_a_sha1_and_a_url() {
        let answer = serde_json::json!({
            "hash_type": "SHA1",
            "hash_value": "79bb0f45fc4c42234a918000b2668d689e2bde04",
            "download_url": " https://api.mch.weixin.qq.com/v3/billdownload/file?token=xxx",
        });
        assert_eq!(
            bill_location(&answer).unwrap(),
            (
                "79bb0f45fc4c42234a918000b2668d689e2bde04".to_owned(),
                "https://api.mch.weixin.qq.com/v3/billdownload/file?token=xxx".to_owned()
            )
        );
        let mut md5 = answer.clone();
        md5["hash_type"] = "MD5".into();
        assert!(bill_location(&md5).is_err());
        let mut short = answer.clone();
        short["hash_value"] = "79bb".into();
        assert!(bill_location(&short).is_err());
        let mut none = answer;
        none.as_object_mut().unwrap().remove("download_url");
        assert!(bill_location(&none).is_err());
    }
}
