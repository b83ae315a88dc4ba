//! ReconciliationService: decoding channel ids, days and filters, and encoding runs and
//! differences. A page token is the last item's id.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use crate::domain::reconciliation::{
    Difference, DifferenceKind, DifferenceStatus, Run, RunStatus, Trigger,
};
use crate::domain::{ChannelId, Day, DifferenceId, RunId};
use crate::proto::{timestamp, v1};
use crate::service::Error;
use crate::service::reconciliation::Reconciler;
use crate::storage::reconciliation::{DifferenceFilter, RunFilter};

pub struct ReconciliationApi {
    reconciler: Arc<Reconciler>,
}

impl ReconciliationApi {
    pub fn new(reconciler: Arc<Reconciler>) -> Self {
        Self { reconciler }
    }
}

fn channel_id(s: &str) -> Result<ChannelId, Error> {
    ChannelId::parse(s).ok_or(Error::ChannelNotFound)
}

fn optional_channel(s: &str) -> Result<Option<ChannelId>, Error> {
    (!s.is_empty()).then(|| channel_id(s)).transpose()
}

fn day(s: &str) -> Result<Day, Error> {
    Day::parse(s).ok_or_else(|| Error::invalid("day", "INVALID_DAY", "must be a date, YYYY-MM-DD"))
}

fn optional_day(s: &str) -> Result<Option<Day>, Error> {
    (!s.is_empty()).then(|| day(s)).transpose()
}

fn token<T: std::str::FromStr>(s: &str) -> Result<Option<T>, Error> {
    (!s.is_empty())
        .then(|| {
            s.parse().map_err(|_| {
                Error::invalid(
                    "page_token",
                    "INVALID_PAGE_TOKEN",
                    "not a token this list gave",
                )
            })
        })
        .transpose()
}

fn run_status(s: RunStatus) -> v1::RunStatus {
    match s {
        RunStatus::Running => v1::RunStatus::Running,
        RunStatus::Completed => v1::RunStatus::Completed,
        RunStatus::Failed => v1::RunStatus::Failed,
    }
}

/// Each kind with its protobuf value, in one place for both directions.
const KINDS: &[(DifferenceKind, v1::DifferenceKind)] = &[
    (
        DifferenceKind::MissingInPaycore,
        v1::DifferenceKind::MissingInPaycore,
    ),
    (
        DifferenceKind::NotSucceededInPaycore,
        v1::DifferenceKind::NotSucceededInPaycore,
    ),
    (
        DifferenceKind::MissingAtProvider,
        v1::DifferenceKind::MissingAtProvider,
    ),
    (
        DifferenceKind::AmountMismatch,
        v1::DifferenceKind::AmountMismatch,
    ),
    (
        DifferenceKind::CurrencyMismatch,
        v1::DifferenceKind::CurrencyMismatch,
    ),
    (
        DifferenceKind::StatusMismatch,
        v1::DifferenceKind::StatusMismatch,
    ),
    (DifferenceKind::Duplicate, v1::DifferenceKind::Duplicate),
];

const STATUSES: &[(DifferenceStatus, v1::DifferenceStatus)] = &[
    (DifferenceStatus::Open, v1::DifferenceStatus::Open),
    (DifferenceStatus::Carried, v1::DifferenceStatus::Carried),
    (DifferenceStatus::Resolved, v1::DifferenceStatus::Resolved),
    (DifferenceStatus::Cleared, v1::DifferenceStatus::Cleared),
];

fn to_proto<D: PartialEq + Copy, P: Copy>(table: &[(D, P)], d: D, unspecified: P) -> P {
    table
        .iter()
        .find(|(x, _)| *x == d)
        .map_or(unspecified, |(_, p)| *p)
}

fn from_proto<D: Copy>(table: &[(D, i32)], field: &str, value: i32) -> Result<D, Error> {
    table
        .iter()
        .find(|(_, p)| *p == value)
        .map(|(d, _)| *d)
        .ok_or_else(|| Error::invalid(field, "INVALID_ENUM", "not a value this field takes"))
}

pub fn run(r: &Run) -> v1::Run {
    let s = &r.summary;
    let (error_code, error_message) = r.error.clone().unwrap_or_default();
    v1::Run {
        id: r.id.to_string(),
        channel_id: r.channel_id.to_string(),
        day: r.day.to_string(),
        trigger: r.trigger.as_str().to_owned(),
        status: run_status(r.status).into(),
        error_code,
        error_message,
        summary: Some(v1::RunSummary {
            lines: s.lines,
            matched: s.matched,
            ignored: s.ignored,
            pending: s.pending,
            payments: s.payments,
            payment_minor: s.payment_minor,
            refunds: s.refunds,
            refund_minor: s.refund_minor,
            fee_minor: s.fee_minor,
            net_minor: s.net_minor(),
            carried: s.carried,
            differences: s.differences,
            healed: s.healed,
            provider_totals: s.provider.map(|t| v1::StatementTotals {
                payments: t.payments,
                payment_minor: t.payment_minor,
                refunds: t.refunds,
                refund_minor: t.refund_minor,
                fee_minor: t.fee_minor,
            }),
        }),
        started_at: Some(timestamp(r.started_at)),
        finished_at: r.finished_at.map(timestamp),
    }
}

pub fn difference(d: &Difference) -> v1::Difference {
    let (resolution, e) = (d.resolution.as_ref(), &d.evidence);
    v1::Difference {
        id: d.id.to_string(),
        channel_id: d.channel_id.to_string(),
        day: d.day.to_string(),
        kind: to_proto(KINDS, d.kind, v1::DifferenceKind::Unspecified).into(),
        item: d.item.clone(),
        run_id: d.run_id.to_string(),
        status: to_proto(STATUSES, d.status, v1::DifferenceStatus::Unspecified).into(),
        payment_id: e.payment_id.clone().unwrap_or_default(),
        refund_id: e.refund_id.clone().unwrap_or_default(),
        transaction_id: e.transaction_id.clone().unwrap_or_default(),
        currency: e.currency.clone().unwrap_or_default(),
        paycore_amount_minor: e.paycore_amount_minor,
        provider_amount_minor: e.provider_amount_minor,
        fee_minor: e.fee_minor,
        line: e.line,
        detail: d.detail.clone(),
        created_at: Some(timestamp(d.created_at)),
        updated_at: Some(timestamp(d.updated_at)),
        resolved_by: resolution.map(|r| r.by.clone()).unwrap_or_default(),
        resolved_at: resolution.map(|r| timestamp(r.at)),
        resolution: resolution.map(|r| r.note.clone()).unwrap_or_default(),
    }
}

fn difference_filter(req: &v1::ListDifferencesRequest) -> Result<DifferenceFilter, Error> {
    let kinds: Vec<(DifferenceKind, i32)> = KINDS.iter().map(|(d, p)| (*d, *p as i32)).collect();
    let statuses: Vec<(DifferenceStatus, i32)> =
        STATUSES.iter().map(|(d, p)| (*d, *p as i32)).collect();
    Ok(DifferenceFilter {
        channel: optional_channel(&req.channel_id)?,
        day: optional_day(&req.day)?,
        statuses: req
            .statuses
            .iter()
            .map(|s| from_proto(&statuses, "statuses", *s))
            .collect::<Result<_, _>>()?,
        kinds: req
            .kinds
            .iter()
            .map(|k| from_proto(&kinds, "kinds", *k))
            .collect::<Result<_, _>>()?,
        after: token::<DifferenceId>(&req.page_token)?,
    })
}

/// The next page's token: the last item's id when the page was full.
fn next_token(full: bool, last: Option<String>) -> String {
    if full {
        last.unwrap_or_default()
    } else {
        String::new()
    }
}

#[tonic::async_trait]
impl v1::reconciliation_service_server::ReconciliationService for ReconciliationApi {
    async fn run_reconciliation(
        &self,
        req: Request<v1::RunReconciliationRequest>,
    ) -> Result<Response<v1::RunReconciliationResponse>, Status> {
        let req = req.into_inner();
        let channel = channel_id(&req.channel_id)?;
        let day = day(&req.day)?;
        // The run goes on if the caller goes away: its result is stored either way.
        let reconciler = self.reconciler.clone();
        let ended =
            tokio::spawn(async move { reconciler.run(&channel, day, Trigger::Operator).await })
                .await
                .map_err(|e| Error::Internal(format!("reconciliation task: {e}")))??;
        Ok(Response::new(v1::RunReconciliationResponse {
            run: Some(run(&ended)),
        }))
    }

    async fn get_run(
        &self,
        req: Request<v1::GetRunRequest>,
    ) -> Result<Response<v1::GetRunResponse>, Status> {
        let id: RunId = req
            .into_inner()
            .id
            .parse()
            .map_err(|_| Error::RunNotFound)?;
        let found = self.reconciler.get_run(&id).await?;
        Ok(Response::new(v1::GetRunResponse {
            run: Some(run(&found)),
        }))
    }

    async fn list_runs(
        &self,
        req: Request<v1::ListRunsRequest>,
    ) -> Result<Response<v1::ListRunsResponse>, Status> {
        let req = req.into_inner();
        let filter = RunFilter {
            channel: optional_channel(&req.channel_id)?,
            day: optional_day(&req.day)?,
            before: token::<RunId>(&req.page_token)?,
        };
        let (runs, full) = self.reconciler.list_runs(&filter, req.page_size).await?;
        Ok(Response::new(v1::ListRunsResponse {
            next_page_token: next_token(full, runs.last().map(|r| r.id.to_string())),
            runs: runs.iter().map(run).collect(),
        }))
    }

    async fn list_differences(
        &self,
        req: Request<v1::ListDifferencesRequest>,
    ) -> Result<Response<v1::ListDifferencesResponse>, Status> {
        let req = req.into_inner();
        let filter = difference_filter(&req)?;
        let (found, full) = self
            .reconciler
            .list_differences(&filter, req.page_size)
            .await?;
        Ok(Response::new(v1::ListDifferencesResponse {
            next_page_token: next_token(full, found.last().map(|d| d.id.to_string())),
            differences: found.iter().map(difference).collect(),
        }))
    }

    async fn resolve_difference(
        &self,
        req: Request<v1::ResolveDifferenceRequest>,
    ) -> Result<Response<v1::ResolveDifferenceResponse>, Status> {
        let req = req.into_inner();
        let id: DifferenceId = req.id.parse().map_err(|_| Error::DifferenceNotFound)?;
        let resolved = self
            .reconciler
            .resolve(&id, &req.resolved_by, &req.note)
            .await?;
        Ok(Response::new(v1::ResolveDifferenceResponse {
            difference: Some(difference(&resolved)),
        }))
    }
}
