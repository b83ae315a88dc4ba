//! One reconciliation run at scale: a fresh SQLite paycore with LINES items that succeeded
//! on one channel on one day, that channel's WeChat Pay trade bill (ALL) for the day with
//! LINES lines, and `Reconciler::run` over them, timed. Prints one JSON line: lines per
//! second, the differences found (and the number the data was built to hold), and the
//! process's resident memory after setup and at its peak during the run.
//!
//!     reconcile LINES DIR
//!
//! DIR holds the database. The data: 98% of the lines are payments and 2% refunds; of the
//! payments, one in 200 is on the statement with one fen more than paycore has, and one in
//! 400 is missing from it, its place taken by a payment paycore never saw. Everything else
//! matches exactly. The gzipped statement is built before the run and held in memory, as
//! WeChat Pay's download is.

use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use http::HeaderMap;
use paycore::config::Config;
use paycore::domain::reconciliation::{RunStatus, Trigger};
use paycore::domain::time::{CHINA_OFFSET_SECS, china_time};
use paycore::domain::{
    AttemptId, ChannelId, Clock, Day, MerchantId, Method, Payment, Refund, SystemClock, Timestamp,
};
use paycore::provider::statement::Parsed;
use paycore::provider::wechatpay::statement::parse_tradebill;
use paycore::provider::{
    ChannelFailure, FailureKind, Notification, OrderState, Placed, Provider, RefundState, Rejected,
    Reply, StatementError, StatementReader,
};
use paycore::routing::Channel;
use paycore::service::Services;
use sha1::{Digest, Sha1};

type Error = Box<dyn std::error::Error + Send + Sync>;

const CHANNEL: &str = "wechatpay-bench";
/// Payments are paid over the day's first 23 hours, clear of the last `carry_minutes`
/// (whose absences wait for the next day instead of counting).
const SPAN_MICROS: i64 = 23 * 3600 * 1_000_000;
/// One refund for every this many payments.
const REFUND_EVERY: u64 = 49;
/// Marks the sequence numbers of payments only the statement knows.
const UNKNOWN: u64 = 1 << 40;

/// The trade bill's columns (the current ALL layout) and its summary's.
const HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,\
    交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,\
    充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const SUMMARY_HEADER: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

/// What happens to payment `i` on the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Listed,
    /// Listed with one fen more.
    WrongAmount,
    /// Not listed; a payment paycore does not know is listed instead.
    Swapped,
}

fn fate(i: u64) -> Fate {
    if i % 400 == 13 {
        Fate::Swapped
    } else if i % 200 == 7 {
        Fate::WrongAmount
    } else {
        Fate::Listed
    }
}

/// The data set: `payments` payments, and a refund of every `REFUND_EVERY`th of them.
#[derive(Debug, Clone, Copy)]
struct Shape {
    payments: u64,
    refunds: u64,
    day_start: i64,
}

impl Shape {
    fn new(lines: u64, day: Day) -> Self {
        let payments = lines - lines / 50;
        Self {
            payments,
            refunds: payments.div_ceil(REFUND_EVERY),
            day_start: day.start(CHINA_OFFSET_SECS).as_micros(),
        }
    }

    fn lines(&self) -> u64 {
        self.payments + self.refunds
    }

    fn paid_at(&self, i: u64) -> i64 {
        let offset = i128::from(i) * i128::from(SPAN_MICROS) / i128::from(self.payments);
        self.day_start + i64::try_from(offset).unwrap_or(0)
    }

    /// The differences a correct run finds: one per wrong amount, two per swap.
    fn expected_differences(&self) -> u64 {
        (0..self.payments)
            .map(|i| match fate(i) {
                Fate::Listed => 0,
                Fate::WrongAmount => 1,
                Fate::Swapped => 2,
            })
            .sum()
    }
}

fn amount(i: u64) -> i64 {
    100 + (i * 7919 % 99_900) as i64
}

/// The fee WeChat Pay writes for `minor` fen at 0.6%, in 1e-5 yuan.
fn fee_units(minor: i64) -> i64 {
    minor * 6
}

/// A paycore id (`prefix` + 26 Crockford base32 characters: 48 bits of milliseconds, then
/// `seq`), made the same way every time so the statement and the database agree without
/// keeping a million ids around.
fn id(prefix: &str, unix_ms: i64, seq: u64) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let value = (u128::from(unix_ms as u64 & 0xFFFF_FFFF_FFFF) << 80) | u128::from(seq);
    let mut s = String::with_capacity(prefix.len() + 26);
    s.push_str(prefix);
    for i in (0..26).rev() {
        s.push(char::from(ALPHABET[((value >> (5 * i)) & 0x1F) as usize]));
    }
    s
}

fn payment_id(shape: &Shape, i: u64) -> String {
    id("pay_", (shape.paid_at(i) - 60_000_000) / 1000, i)
}

fn refund_id(shape: &Shape, k: u64) -> String {
    id("rfd_", refunded_at(shape, k) / 1000, k)
}

fn transaction_id(i: u64) -> String {
    format!("4200{i:024}")
}

fn provider_refund_id(k: u64) -> String {
    format!("5030{k:025}")
}

/// Refund `k` is of payment `k * REFUND_EVERY`, half of it, ten minutes after it was paid.
fn refunded_at(shape: &Shape, k: u64) -> i64 {
    shape.paid_at(k * REFUND_EVERY) + 600_000_000
}

fn yuan(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

fn fee_text(units: i64) -> String {
    let sign = if units < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:05}",
        units.abs() / 100_000,
        units.abs() % 100_000
    )
}

/// Inserts the payments and refunds in one transaction, as paycore would have stored them
/// once they succeeded.
fn insert(db: &Path, merchant: &MerchantId, shape: &Shape) -> Result<(), Error> {
    let mut conn = rusqlite::Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    let tx = conn.transaction()?;
    {
        let mut payment = tx.prepare(
            "INSERT INTO payments (id, merchant_id, merchant_order_id, fingerprint, \
             amount_minor, currency, description, method, status, channel_id, \
             provider_transaction_id, refunded_minor, metadata, created_at, updated_at, \
             paid_at, expires_at, version) VALUES (?1, ?2, ?3, ?4, ?5, 'CNY', 'bench order', \
             'qr_code', 'succeeded', ?6, ?7, ?8, '{}', ?9, ?10, ?10, ?11, 2)",
        )?;
        for i in 0..shape.payments {
            let paid = shape.paid_at(i);
            let refunded = if i % REFUND_EVERY == 0 {
                amount(i) / 2
            } else {
                0
            };
            payment.execute(rusqlite::params![
                payment_id(shape, i),
                merchant.as_str(),
                format!("order-{i}"),
                i.to_le_bytes().as_slice(),
                amount(i),
                CHANNEL,
                transaction_id(i),
                refunded,
                paid - 60_000_000,
                paid,
                paid + 7_200_000_000,
            ])?;
        }
        let mut refund = tx.prepare(
            "INSERT INTO refunds (id, merchant_id, payment_id, merchant_refund_id, fingerprint, \
             amount_minor, currency, reason, status, channel_id, provider_refund_id, \
             created_at, updated_at, succeeded_at, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, \
             'CNY', 'bench', 'succeeded', ?7, ?8, ?9, ?10, ?10, 2)",
        )?;
        for k in 0..shape.refunds {
            let i = k * REFUND_EVERY;
            let at = refunded_at(shape, k);
            refund.execute(rusqlite::params![
                refund_id(shape, k),
                merchant.as_str(),
                payment_id(shape, i),
                format!("refund-{k}"),
                k.to_le_bytes().as_slice(),
                amount(i) / 2,
                CHANNEL,
                provider_refund_id(k),
                at - 1_000_000,
                at,
            ])?;
        }
    }
    tx.commit()?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

/// Writes lines of the bill to its gzip while hashing the uncompressed bytes.
struct Bill {
    gz: flate2::write::GzEncoder<Vec<u8>>,
    sha1: Sha1,
    line: String,
}

impl Bill {
    /// Writes one line of backticked values (`plain`: the header lines, without).
    fn row(&mut self, values: &[&str], plain: bool) -> std::io::Result<()> {
        self.line.clear();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            if !plain {
                self.line.push('`');
            }
            self.line.push_str(v);
        }
        self.line.push_str("\r\n");
        self.sha1.update(self.line.as_bytes());
        self.gz.write_all(self.line.as_bytes())
    }
}

/// The channel's ALL trade bill of the day, gzipped, and the SHA-1 (hex) of its
/// uncompressed bytes.
fn statement(shape: &Shape) -> Result<(Vec<u8>, String), Error> {
    let mut bill = Bill {
        gz: flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default()),
        sha1: Sha1::new(),
        line: String::new(),
    };
    bill.row(&[HEADER], true)?;
    let (mut settled, mut refunded, mut fees) = (0i64, 0i64, 0i64);
    let mut text = String::new();
    for i in 0..shape.payments {
        let whole = amount(i);
        let (pay, tx, listed) = match fate(i) {
            Fate::Listed => (payment_id(shape, i), transaction_id(i), whole),
            Fate::WrongAmount => (payment_id(shape, i), transaction_id(i), whole + 1),
            Fate::Swapped => (
                payment_id(shape, UNKNOWN | i),
                transaction_id(UNKNOWN | i),
                whole,
            ),
        };
        let (value, fee) = (yuan(listed), fee_units(listed));
        text.clear();
        text.push_str(&china_time(Timestamp::from_micros(shape.paid_at(i)), ' '));
        bill.row(
            &[
                &text,
                "wx0000000000bench",
                "1900000001",
                "0",
                "",
                &tx,
                &pay,
                "obench0000000000000000000000",
                "NATIVE",
                "SUCCESS",
                "OTHERS",
                "CNY",
                &value,
                "0.00",
                "0",
                "0",
                "0.00",
                "0.00",
                "",
                "",
                "bench order",
                "",
                &fee_text(fee),
                "0.60%",
                &value,
                "0.00",
                "",
            ],
            false,
        )?;
        settled += listed;
        fees += fee;
        if i % REFUND_EVERY == 0 {
            let k = i / REFUND_EVERY;
            let part = whole / 2;
            let fee = -fee_units(part);
            text.clear();
            text.push_str(&china_time(
                Timestamp::from_micros(refunded_at(shape, k)),
                ' ',
            ));
            bill.row(
                &[
                    &text,
                    "wx0000000000bench",
                    "1900000001",
                    "0",
                    "",
                    &transaction_id(i),
                    &payment_id(shape, i),
                    "obench0000000000000000000000",
                    "NATIVE",
                    "REFUND",
                    "OTHERS",
                    "CNY",
                    "0.00",
                    "0.00",
                    &provider_refund_id(k),
                    &refund_id(shape, k),
                    &yuan(part),
                    "0.00",
                    "ORIGINAL",
                    "SUCCESS",
                    "bench order",
                    "",
                    &fee_text(fee),
                    "0.60%",
                    &yuan(whole),
                    &yuan(part),
                    "",
                ],
                false,
            )?;
            refunded += part;
            fees += fee;
        }
    }
    bill.row(&[SUMMARY_HEADER], true)?;
    bill.row(
        &[
            &shape.lines().to_string(),
            &yuan(settled),
            &yuan(refunded),
            "0.00",
            &fee_text(fees),
            &yuan(settled),
            &yuan(refunded),
        ],
        false,
    )?;
    let hash = hex::encode(bill.sha1.finalize());
    Ok((bill.gz.finish()?, hash))
}

/// A WeChat Pay channel that has one statement, handed over once; it takes no payments.
struct Bench {
    bill: Mutex<Option<(Vec<u8>, String)>>,
}

fn refused() -> ChannelFailure {
    ChannelFailure::new(
        FailureKind::NotProcessed,
        "BENCH",
        "the bench channel only has a statement",
    )
}

#[async_trait]
impl Provider for Bench {
    fn provider_name(&self) -> &'static str {
        "wechatpay"
    }

    fn supported_methods(&self) -> &'static [Method] {
        &[Method::QrCode]
    }

    async fn create(&self, _: &Payment, _: &AttemptId) -> Result<Placed, ChannelFailure> {
        Err(refused())
    }

    async fn query(&self, _: &Payment) -> Result<OrderState, ChannelFailure> {
        Err(refused())
    }

    async fn close(&self, _: &Payment) -> Result<OrderState, ChannelFailure> {
        Err(refused())
    }

    async fn refund(&self, _: &Payment, _: &Refund) -> Result<RefundState, ChannelFailure> {
        Err(refused())
    }

    async fn query_refund(&self, _: &Payment, _: &Refund) -> Result<RefundState, ChannelFailure> {
        Err(refused())
    }

    fn verify_notification(
        &self,
        _: &HeaderMap,
        _: &[u8],
        _: Timestamp,
    ) -> Result<Notification, Rejected> {
        Err(Rejected::Malformed("the bench channel takes none".into()))
    }

    fn acknowledgement(&self) -> Reply {
        Reply {
            status: 200,
            content_type: "text/plain",
            body: String::new(),
        }
    }

    async fn statement(&self, day: Day) -> Result<Box<dyn StatementReader>, StatementError> {
        let taken = self.bill.lock().ok().and_then(|mut b| b.take());
        let Some((gzipped, sha1)) = taken else {
            return Err(StatementError::new(
                StatementError::NOT_READY,
                format!("the bench statement of {day} was already read"),
            ));
        };
        Ok(Box::new(Parsed(parse_tradebill(gzipped, Some(sha1)))))
    }

    fn statement_offset_secs(&self) -> i64 {
        CHINA_OFFSET_SECS
    }
}

/// A line of /proc/self/status, in KiB.
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn mib(bytes: f64) -> f64 {
    (bytes / (1024.0 * 1024.0) * 10.0).round() / 10.0
}

fn round(v: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (v * scale).round() / scale
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(lines), Some(dir)) = (args.get(1), args.get(2)) else {
        return Err("usage: reconcile LINES DIR".into());
    };
    let lines: u64 = lines.parse()?;
    let db = Path::new(dir).join("paycore.db");
    let setup = Instant::now();

    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let day = Day::of(clock.now(), CHINA_OFFSET_SECS).minus(1);
    let shape = Shape::new(lines, day);
    let toml = format!("[database]\nurl = \"sqlite://{}\"\n", db.display());
    let mut config = Config::parse(&toml, Vec::new())?;
    let mut section = config
        .channels
        .first()
        .cloned()
        .ok_or("no default channel")?;
    section.id = CHANNEL.into();
    section.provider = "wechatpay".into();
    config.channels = vec![section.clone()];
    let store = paycore::storage::open(&config.database).await?;
    let (gzipped, sha1) = statement(&shape)?;
    let statement_bytes = gzipped.len();
    let provider = Arc::new(Bench {
        bill: Mutex::new(Some((gzipped, sha1))),
    });
    let channel = Channel::new(&section, vec![Method::QrCode], provider);
    let services = Services::new(&config, store, vec![channel], clock)?;
    let merchant = services.merchants.create("bench merchant", None).await?;
    insert(&db, &merchant.merchant.id, &shape)?;
    let setup_secs = setup.elapsed().as_secs_f64();

    // The run's peak, not setup's: "5" resets the high-water mark (Linux 4.0 and later).
    let peak_reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before_kib = status_kib("VmRSS:");
    let channel_id = ChannelId::parse(CHANNEL).ok_or("bad channel id")?;
    let started = Instant::now();
    let run = services
        .reconciler
        .run(&channel_id, day, Trigger::Operator)
        .await?;
    let secs = started.elapsed().as_secs_f64();
    let peak_kib = status_kib("VmHWM:");
    if run.status != RunStatus::Completed {
        return Err(format!("the run ended {}: {:?}", run.status.as_str(), run.error).into());
    }
    let s = &run.summary;
    println!(
        "{}",
        serde_json::json!({
            "lines": s.lines,
            "payments": s.payments,
            "refunds": s.refunds,
            "seconds": round(secs, 2),
            "lines_per_sec": (s.lines as f64 / secs).round(),
            "matched": s.matched,
            "differences": s.differences + s.carried,
            "expected_differences": shape.expected_differences(),
            "statement_gzip_mib": mib(statement_bytes as f64),
            "rss_before_mib": mib(before_kib as f64 * 1024.0),
            "peak_rss_mib": mib(peak_kib as f64 * 1024.0),
            "peak_is_the_runs": peak_reset,
            "setup_seconds": round(setup_secs, 1),
        })
    );
    if s.lines != shape.lines() || s.differences + s.carried != shape.expected_differences() {
        return Err("the run did not find what the data holds".into());
    }
    Ok(())
}
