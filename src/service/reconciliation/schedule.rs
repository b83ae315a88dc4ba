//! The daily schedule: every node looks every `check_secs` for a channel whose time of day
//! has come and whose day has no completed run yet; a lease per channel and day lets one
//! node at a time look and run, so a day is reconciled once however many nodes there are. A
//! run that failed (e.g. the statement is not ready yet) is tried again after `RETRY`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::Reconciler;
use crate::config::ScheduleConfig;
use crate::domain::reconciliation::{RunStatus, Trigger};
use crate::domain::{ChannelId, Day, Timestamp};
use crate::service::Error;
use crate::storage::reconciliation::RunFilter;

/// How long after a failed scheduled run the day is tried again.
const RETRY: Duration = Duration::from_secs(15 * 60);

/// Runs the schedule until `stop` turns true.
pub async fn run(reconciler: Arc<Reconciler>, mut stop: watch::Receiver<bool>) {
    let every = Duration::from_secs(reconciler.config.check_secs);
    loop {
        for entry in &reconciler.config.schedule {
            if let Err(e) = due(&reconciler, entry).await {
                tracing::warn!(channel = entry.channel, error = %e, "scheduled reconciliation");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Runs `entry`'s day when it is due and nobody has.
async fn due(reconciler: &Reconciler, entry: &ScheduleConfig) -> Result<(), Error> {
    let Some(channel) = ChannelId::parse(&entry.channel) else {
        return Ok(());
    };
    let (Some(offset), Some(at)) = (reconciler.offset_secs(&channel), entry.seconds_of_day())
    else {
        return Ok(());
    };
    let now = reconciler.clock.now();
    let today = Day::of(now, offset);
    if now.since(today.start(offset)) < Duration::from_secs(at.unsigned_abs()) {
        return Ok(());
    }
    let day = today.minus(i64::from(entry.days_back));
    let lease = format!("schedule:{channel}:{day}");
    let hold = Duration::from_secs(reconciler.config.timeout_secs) + Duration::from_secs(120);
    let store = &reconciler.store;
    if !store
        .acquire_lease(&lease, &reconciler.node, now, now.saturating_add(hold))
        .await?
    {
        return Ok(());
    }
    let outcome = run_unless_done(reconciler, &channel, day, now).await;
    store.release_lease(&lease, &reconciler.node).await?;
    outcome
}

async fn run_unless_done(
    reconciler: &Reconciler,
    channel: &ChannelId,
    day: Day,
    now: Timestamp,
) -> Result<(), Error> {
    let filter = RunFilter {
        channel: Some(channel.clone()),
        day: Some(day),
        before: None,
    };
    let runs = reconciler.store.list_runs(&filter, 20).await?;
    if runs.iter().any(|r| r.status == RunStatus::Completed) {
        return Ok(());
    }
    let failed_lately = runs.iter().any(|r| {
        r.trigger == Trigger::Schedule
            && r.status == RunStatus::Failed
            && r.finished_at.is_some_and(|t| now.since(t) < RETRY)
    });
    if failed_lately {
        return Ok(());
    }
    match reconciler.run(channel, day, Trigger::Schedule).await {
        Ok(_) | Err(Error::ReconciliationRunning) => Ok(()),
        Err(e) => Err(e),
    }
}
