//! Reconciliation end to end against the loopback provider simulators: a server with one
//! Alipay, WeChat Pay or Stripe channel, payments made through it and paid at the simulator,
//! and ReconciliationService runs of the provider's day (China days for Alipay and WeChat
//! Pay, UTC days for Stripe) on the statement the simulator serves, good or broken.

mod alipay;
mod stripe;
mod wechatpay;

use std::sync::Arc;
use std::time::Duration;

use paycore::domain::{Clock, Day};
use paycore::proto::v1;
use paycore::proto::v1::reconciliation_service_client::ReconciliationServiceClient;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use crate::support::*;

/// ReconciliationService as the operator, for one channel.
pub struct Recon {
    client: ReconciliationServiceClient<InterceptedService<Channel, Bearer>>,
    channel: String,
}

impl Recon {
    pub async fn new(t: &TestServer, channel: &str) -> Self {
        Self {
            client: ReconciliationServiceClient::with_interceptor(
                t.channel().await,
                Bearer::for_key(OPERATOR_KEY),
            ),
            channel: channel.to_owned(),
        }
    }

    /// RunReconciliation of `day`, expected to be answered with a run.
    pub async fn run(&mut self, day: Day) -> v1::Run {
        self.try_run(day).await.unwrap()
    }

    pub async fn try_run(&mut self, day: Day) -> Result<v1::Run, tonic::Status> {
        Ok(self
            .client
            .run_reconciliation(v1::RunReconciliationRequest {
                channel_id: self.channel.clone(),
                day: day.to_string(),
            })
            .await?
            .into_inner()
            .run
            .unwrap())
    }

    pub async fn get(&mut self, id: &str) -> v1::Run {
        self.client
            .get_run(v1::GetRunRequest { id: id.into() })
            .await
            .unwrap()
            .into_inner()
            .run
            .unwrap()
    }

    /// The channel's runs of `day`, newest first.
    pub async fn runs(&mut self, day: Day) -> Vec<v1::Run> {
        self.client
            .list_runs(v1::ListRunsRequest {
                channel_id: self.channel.clone(),
                day: day.to_string(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .runs
    }

    /// The channel's differences of `day`, oldest first.
    pub async fn differences(&mut self, day: Day) -> Vec<v1::Difference> {
        self.client
            .list_differences(v1::ListDifferencesRequest {
                channel_id: self.channel.clone(),
                day: day.to_string(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .differences
    }

    /// Runs `day`, expects it COMPLETED, and gives its summary.
    pub async fn completed(&mut self, day: Day) -> (v1::Run, v1::RunSummary) {
        let run = self.run(day).await;
        assert_eq!(run.status, v1::RunStatus::Completed as i32, "{run:#?}");
        assert!(run.error_code.is_empty(), "{run:#?}");
        let summary = run.summary.unwrap();
        (run, summary)
    }

    /// Runs `day`, expects it FAILED with `code`, and checks the stored run says the same.
    pub async fn failed(&mut self, day: Day, code: &str) -> v1::Run {
        let run = self.run(day).await;
        assert_eq!(
            (
                v1::RunStatus::try_from(run.status).unwrap(),
                run.error_code.as_str()
            ),
            (v1::RunStatus::Failed, code),
            "{run:#?}"
        );
        assert!(!run.error_message.is_empty(), "{run:#?}");
        assert_eq!(self.get(&run.id).await, run);
        run
    }
}

/// A difference's kind and what it names, for comparing sets of them.
pub fn kinds(found: &[v1::Difference]) -> Vec<(v1::DifferenceKind, String)> {
    let mut kinds: Vec<_> = found
        .iter()
        .map(|d| {
            (
                v1::DifferenceKind::try_from(d.kind).unwrap(),
                d.item.clone(),
            )
        })
        .collect();
    kinds.sort();
    kinds
}

pub fn status(d: &v1::Difference) -> v1::DifferenceStatus {
    v1::DifferenceStatus::try_from(d.status).unwrap()
}

/// A server with `channels` whose clock the test moves.
pub async fn server(channels: &str) -> (TestServer, Arc<ShiftedClock>) {
    let clock = Arc::new(ShiftedClock::default());
    let t = TestServer::start_with_clock(channels, clock.clone()).await;
    (t, clock)
}

/// Moves the server's clock a minute past the end of `day` in the time zone `offset_secs`
/// east of UTC, if it is not past it already: the day a statement is asked for must have
/// ended.
pub fn end_of(clock: &ShiftedClock, day: Day, offset_secs: i64) {
    let end = day.next().start(offset_secs).as_micros() + 60_000_000;
    let now = clock.now().as_micros();
    if now < end {
        clock.advance(Duration::from_micros((end - now) as u64));
    }
}
