//! `paycore reconcile`: one channel's day reconciled from the host, in this process, against
//! the configured database and the channel's provider (the same run a node's schedule or
//! ReconciliationService makes, under the same lease), then a summary and the day's open
//! differences. Exit code 3 when differences are open, 1 when the run failed.

use std::fmt::Write as _;
use std::sync::Arc;

use serde_json::json;

use super::BadValue;
use crate::app;
use crate::config::Config;
use crate::domain::reconciliation::{Difference, DifferenceStatus, Run, RunStatus, Trigger};
use crate::domain::{ChannelId, Clock, Day, SystemClock};
use crate::proto::json::rfc3339;
use crate::service::{self, Services};
use crate::storage::reconciliation::DifferenceFilter;

#[derive(clap::Args)]
pub struct ReconcileArgs {
    /// The channel to reconcile, by its id in the configuration.
    #[arg(long, value_name = "ID")]
    channel: String,
    /// The provider's day, YYYY-MM-DD (Asia/Shanghai for Alipay and WeChat Pay, UTC for
    /// Stripe; default: yesterday there).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = day)]
    date: Option<Day>,
    /// Print one JSON object instead of text (default: text for a person).
    #[arg(long)]
    json: bool,
}

fn day(s: &str) -> Result<Day, String> {
    Day::parse(s).ok_or_else(|| "not a date (YYYY-MM-DD)".to_owned())
}

/// The run completed and differences of the day are open (exit code 3).
#[derive(Debug, thiserror::Error)]
#[error("{0} differences are open for the day")]
pub struct OpenDifferences(pub usize);

/// The run failed (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("the run failed: {0}: {1}")]
pub struct RunFailed(String, String);

pub async fn run(config: &Config, args: ReconcileArgs) -> Result<(), super::BoxError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let Some(channel) = config.channels.iter().find(|c| c.id == args.channel) else {
        return Err(BadValue(format!(
            "no channel {:?} in the configuration",
            args.channel
        ))
        .into());
    };
    if channel.provider == "sandbox" {
        // Its orders live in the serving process, not in the database.
        return Err(BadValue(
            "a sandbox channel's statement is made by the server that holds its orders: call \
             ReconciliationService/RunReconciliation on it"
                .into(),
        )
        .into());
    }
    let id = ChannelId::parse(&channel.id)
        .ok_or_else(|| BadValue(format!("not a channel id: {:?}", channel.id)))?;
    let public_url = config.server.public_url_for(config.server.http_addr);
    let channels = service::build_channels(config, &public_url, &clock)?;
    let services = Services::new(
        config,
        app::open_store(config).await?,
        channels,
        clock.clone(),
    )?;
    let reconciler = &services.reconciler;
    let offset = reconciler.offset_secs(&id).unwrap_or(0);
    let day = args
        .date
        .unwrap_or_else(|| Day::of(clock.now(), offset).minus(1));
    let ended = reconciler.run(&id, day, Trigger::Operator).await?;
    let filter = DifferenceFilter {
        channel: Some(id),
        day: Some(day),
        statuses: vec![DifferenceStatus::Open],
        ..DifferenceFilter::default()
    };
    let (open, _) = reconciler.list_differences(&filter, 1000).await?;
    if args.json {
        println!("{}", as_json(&ended, &open));
    } else {
        print!("{}", as_text(&ended, &open));
    }
    match (&ended.error, open.len()) {
        (Some((code, message)), _) => Err(RunFailed(code.clone(), message.clone()).into()),
        (None, 0) => Ok(()),
        (None, n) => Err(OpenDifferences(n).into()),
    }
}

fn as_text(run: &Run, open: &[Difference]) -> String {
    let s = &run.summary;
    let mut out = format!(
        "run {} {} channel {} day {}\n",
        run.id,
        run.status.as_str(),
        run.channel_id,
        run.day
    );
    if let Some((code, message)) = &run.error {
        let _ = writeln!(out, "error {code}: {message}");
    }
    if run.status == RunStatus::Completed {
        let _ = writeln!(
            out,
            "lines {}  matched {}  ignored {}  pending {}  carried {}  differences {}  healed {}",
            s.lines, s.matched, s.ignored, s.pending, s.carried, s.differences, s.healed
        );
        let _ = writeln!(
            out,
            "payments {} ({} minor)  refunds {} ({} minor)  fees {}  net {}",
            s.payments,
            s.payment_minor,
            s.refunds,
            s.refund_minor,
            s.fee_minor,
            s.net_minor()
        );
        if let Some(t) = &s.provider {
            let _ = writeln!(
                out,
                "the statement's totals: payments {} ({} minor)  refunds {} ({} minor)",
                t.payments, t.payment_minor, t.refunds, t.refund_minor
            );
        }
        let _ = writeln!(out, "open differences of the day: {}", open.len());
    }
    for d in open {
        let line = d
            .evidence
            .line
            .map(|n| format!(" line {n}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {} {}{line}: {}",
            d.id,
            d.kind.as_str(),
            d.item,
            d.detail
        );
    }
    out
}

fn as_json(run: &Run, open: &[Difference]) -> serde_json::Value {
    json!({
        "run": {
            "id": run.id.to_string(),
            "channel_id": run.channel_id.to_string(),
            "day": run.day.to_string(),
            "status": run.status.as_str(),
            "error": run.error.as_ref().map(|(code, message)| json!({"code": code, "message": message})),
            "summary": run.summary,
            "net_minor": run.summary.net_minor(),
            "started_at": rfc3339(run.started_at),
            "finished_at": run.finished_at.map(rfc3339),
        },
        "open_differences": open.iter().map(|d| json!({
            "id": d.id.to_string(),
            "kind": d.kind.as_str(),
            "item": d.item,
            "payment_id": d.evidence.payment_id,
            "refund_id": d.evidence.refund_id,
            "transaction_id": d.evidence.transaction_id,
            "currency": d.evidence.currency,
            "paycore_amount_minor": d.evidence.paycore_amount_minor,
            "provider_amount_minor": d.evidence.provider_amount_minor,
            "fee_minor": d.evidence.fee_minor,
            "line": d.evidence.line,
            "detail": d.detail,
        })).collect::<Vec<_>>(),
    })
}
