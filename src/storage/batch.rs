//! Group commit. Every durable commit waits for the disk (an fsync), so concurrent write
//! transactions queue up here and run back to back inside one transaction on one
//! connection, and share one commit. Each caller hears its result only after that commit:
//! durability is unchanged, fsyncs are shared. SQLite has one writer anyway; on PostgreSQL
//! it also means the outbox lock is taken once per batch rather than once per write.
//!
//! One job's failure must roll back only that job. Jobs rarely fail, and a savepoint per job
//! costs (SQLite copies each page a job first touches into its statement journal), so a
//! batch first runs without savepoints; when a job fails, the batch is rolled back and runs
//! again, each job in its own savepoint. Jobs are therefore written to be run more than
//! once: a job is a function of its data and the connection.
//!
//! A job's outbox events are not inserted one by one: each job hands them to its [`JobTx`],
//! and the batch inserts them together, in job order, in one statement just before its
//! commit (after each job, when jobs run in savepoints). On PostgreSQL that saves a round
//! trip per job that adds an event. Events get their `seq` at that insert, after every job
//! of the batch ran, so no job of a batch sees another's events.
//!
//! After a commit that added events, the batcher announces whose they were ([`Committed`]),
//! so event streams read again at once instead of polling the outbox.

use std::any::Any;
use std::borrow::Cow;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;

use tokio::sync::{broadcast, mpsc, oneshot};
use tracing::Instrument;

use super::rows;
use super::sql::Tx;
use crate::domain::{Event, MerchantId};
use crate::storage::{Committed, StoreError};

/// Most jobs sharing one commit.
const MAX_BATCH: usize = 64;

/// Commit announcements a subscriber may fall behind by; one further behind is told it
/// lagged (and reads again, which is what an announcement asks for anyway).
const ANNOUNCEMENTS: usize = 256;

/// A boxed future borrowing the connection for `'c`.
pub(crate) type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;
type Output = Box<dyn Any + Send>;

/// The batch's transaction as one job sees it (for `'c`): the connection, and the events the
/// job adds to the outbox, which the batch inserts (see the module's documentation). An event
/// in the job's data (which lives for `'d`) is added without a copy.
pub(crate) struct JobTx<'c, 'd, C> {
    conn: &'c mut C,
    events: &'c mut Vec<Cow<'d, Event>>,
}

impl<'d, C> JobTx<'_, 'd, C> {
    /// Adds `event` to the outbox in this job's transaction.
    pub(crate) fn add_event(&mut self, event: Cow<'d, Event>) {
        self.events.push(event);
    }
}

impl<C> Deref for JobTx<'_, '_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.conn
    }
}

impl<C> DerefMut for JobTx<'_, '_, C> {
    fn deref_mut(&mut self) -> &mut C {
        self.conn
    }
}

/// Adds the merchants of `events` to `merchants`, each once.
fn note_merchants(events: &[Cow<'_, Event>], merchants: &mut Vec<MerchantId>) {
    for event in events {
        if !merchants.contains(&event.merchant_id) {
            merchants.push(event.merchant_id.clone());
        }
    }
}

/// Tells the subscribers whose events a batch just committed, if it committed any.
fn announce(commits: &broadcast::Sender<Committed>, merchants: Vec<MerchantId>) {
    if !merchants.is_empty() {
        // Having no subscriber (no stream open) is no failure.
        let _ = commits.send(Committed::new(merchants));
    }
}

/// Inserts the events the batch's jobs added, and empties the list.
async fn insert_events<C: Tx>(
    conn: &mut C,
    events: &mut Vec<Cow<'_, Event>>,
) -> Result<(), StoreError> {
    for chunk in events.chunks(rows::MAX_EVENTS_PER_INSERT) {
        conn.execute(&rows::insert_events(chunk.iter().map(|e| &**e)))
            .await?;
    }
    events.clear();
    Ok(())
}

/// A job's work, which may run more than once (see the module's documentation).
trait Work<C>: Send + Sync {
    fn run<'c, 'd: 'c>(&'d self, tx: JobTx<'c, 'd, C>)
    -> BoxFuture<'c, Result<Output, StoreError>>;
}

/// Work as a function of its data and the connection.
struct Task<D, F> {
    data: D,
    f: F,
}

impl<C, D, F, T> Work<C> for Task<D, F>
where
    D: Send + Sync,
    T: Send + 'static,
    F: for<'c, 'd> Fn(JobTx<'c, 'd, C>, &'d D) -> BoxFuture<'c, Result<T, StoreError>>
        + Send
        + Sync,
{
    fn run<'c, 'd: 'c>(
        &'d self,
        tx: JobTx<'c, 'd, C>,
    ) -> BoxFuture<'c, Result<Output, StoreError>> {
        let work = (self.f)(tx, &self.data);
        Box::pin(async move { work.await.map(|t| Box::new(t) as Output) })
    }
}

type Reply = oneshot::Sender<Result<Output, StoreError>>;

struct Job<C> {
    work: Box<dyn Work<C>>,
    reply: Reply,
}

/// Where the batcher gets a connection: PostgreSQL's pool, or SQLite's file.
pub(crate) trait Connect: Send + Sync + 'static {
    /// Whether the connection does network I/O (and needs the runtime's drivers for it).
    const NETWORKED: bool;
    type Tx: Tx + 'static;
    type Conn: DerefMut<Target = Self::Tx> + Send;
    fn connect(&self) -> impl Future<Output = Result<Self::Conn, StoreError>> + Send;
}

/// Hands write jobs to the batching task, and hears of its commits.
pub(crate) struct Batcher<C> {
    jobs: mpsc::Sender<Job<C>>,
    commits: broadcast::Sender<Committed>,
}

impl<C> Clone for Batcher<C> {
    fn clone(&self) -> Self {
        Self {
            jobs: self.jobs.clone(),
            commits: self.commits.clone(),
        }
    }
}

impl<C> Batcher<C> {
    /// Announcements of the commits that add events, from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Committed> {
        self.commits.subscribe()
    }
}

fn failed(why: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("write batch failed: {why}").into())
}

impl StoreError {
    /// The same failure again, for every job of a batch that failed as a whole.
    fn clone_message(&self) -> StoreError {
        match self {
            // Already a batch failure (every caller's is): the same words, not wrapped again.
            StoreError::Unavailable(cause) => StoreError::Unavailable(cause.to_string().into()),
            other => failed(other),
        }
    }
}

impl<C: Tx + 'static> Batcher<C> {
    /// The batcher, and the batching task for the caller to run. The `begin` statements
    /// (`;`-separated) open a batch.
    pub(crate) fn new<S: Connect<Tx = C>>(
        source: S,
        begin: &'static str,
    ) -> (Self, impl Future<Output = ()> + Send) {
        let (jobs, rx) = mpsc::channel(1024);
        let (commits, _) = broadcast::channel(ANNOUNCEMENTS);
        let batches = run(source, begin, rx, commits.clone());
        (Self { jobs, commits }, batches)
    }

    /// The batcher, its batching task run on a thread of its own named `thread` (with a
    /// Tokio runtime of its own): a batch's round trips to PostgreSQL do not queue behind
    /// the gRPC server's tasks, and SQLite's statements block no Tokio worker. The thread
    /// ends when the last handle to the batcher is dropped.
    pub(crate) fn start<S: Connect<Tx = C>>(
        source: S,
        begin: &'static str,
        thread: &str,
    ) -> Result<Self, StoreError> {
        let (batcher, batches) = Self::new(source, begin);
        let mut runtime = tokio::runtime::Builder::new_current_thread();
        if S::NETWORKED {
            runtime.enable_all();
        }
        let runtime = runtime
            .build()
            .map_err(|e| StoreError::Unavailable(e.into()))?;
        std::thread::Builder::new()
            .name(thread.into())
            .spawn(move || runtime.block_on(batches))
            .map_err(|e| StoreError::Unavailable(e.into()))?;
        Ok(batcher)
    }

    /// Runs `work` on `data` inside a shared transaction; returns once it is committed.
    /// `work` may run more than once, each time on a fresh transaction. `operation` names it
    /// in traces.
    pub(crate) async fn write<D, T, F>(
        &self,
        operation: &'static str,
        data: D,
        work: F,
    ) -> Result<T, StoreError>
    where
        D: Send + Sync + 'static,
        T: Send + 'static,
        F: for<'c, 'd> Fn(JobTx<'c, 'd, C>, &'d D) -> BoxFuture<'c, Result<T, StoreError>>
            + Send
            + Sync
            + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let work: Box<dyn Work<C>> = Box::new(Task { data, f: work });
        let span = tracing::info_span!(
            "db.transaction",
            otel.name = operation,
            otel.kind = "client",
            db.system.name = C::SYSTEM,
            db.operation.name = operation,
        );
        let output = async {
            self.jobs
                .send(Job { work, reply })
                .await
                .map_err(|_| failed("the writer has stopped"))?;
            answer
                .await
                .map_err(|_| failed("the writer dropped the job"))?
        }
        .instrument(span)
        .await?;
        output
            .downcast::<T>()
            .map(|t| *t)
            .map_err(|_| failed("unexpected result type"))
    }
}

async fn run<S: Connect>(
    source: S,
    begin: &'static str,
    mut jobs: mpsc::Receiver<Job<S::Tx>>,
    commits: broadcast::Sender<Committed>,
) {
    // The connection is kept from batch to batch and given back only after a batch failed
    // as a whole, when it may be broken.
    let mut held: Option<S::Conn> = None;
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let kept = held.take();
        let was_kept = kept.is_some();
        let Some((mut conn, batch)) = connect(&source, &mut jobs, kept, batch).await else {
            continue;
        };
        let (batch, e) = match execute(&mut *conn, begin, batch, &commits).await {
            Ok(fit) => {
                held = fit.then_some(conn);
                continue;
            }
            Err(not_started) => not_started,
        };
        drop(conn);
        if !was_kept {
            fail(batch, &e);
            continue;
        }
        // A kept connection can go stale while idle (the server restarted, a proxy cut it).
        // No job has run yet, so the batch runs once more on a fresh connection.
        let Some((mut conn, batch)) = connect(&source, &mut jobs, None, batch).await else {
            continue;
        };
        match execute(&mut *conn, begin, batch, &commits).await {
            Ok(fit) => held = fit.then_some(conn),
            Err((batch, e)) => fail(batch, &e),
        }
    }
}

/// The kept connection, or a new one. When none comes in time, the batch fails, and so
/// does every job that came while it waited (they have waited as long), so no call waits
/// for the database longer than the pool's acquire timeout.
async fn connect<S: Connect>(
    source: &S,
    jobs: &mut mpsc::Receiver<Job<S::Tx>>,
    kept: Option<S::Conn>,
    mut batch: Vec<Job<S::Tx>>,
) -> Option<(S::Conn, Vec<Job<S::Tx>>)> {
    if let Some(conn) = kept {
        return Some((conn, batch));
    }
    match source.connect().await {
        Ok(conn) => Some((conn, batch)),
        Err(e) => {
            while let Ok(job) = jobs.try_recv() {
                batch.push(job);
            }
            fail(batch, &failed(&e));
            None
        }
    }
}

fn fail<C>(batch: Vec<Job<C>>, e: &StoreError) {
    for job in batch {
        let _ = job.reply.send(Err(e.clone_message()));
    }
}

/// Runs a batch in one transaction: without savepoints, and again with them if a job
/// failed. Whether the connection is fit for the next batch; or, when the transaction could
/// not even begin (no job has run), the batch untouched.
async fn execute<C: Tx>(
    conn: &mut C,
    begin: &'static str,
    batch: Vec<Job<C>>,
    commits: &broadcast::Sender<Committed>,
) -> Result<bool, (Vec<Job<C>>, StoreError)> {
    if let Err(e) = conn.batch(begin).await {
        // Nothing may stay open on a connection that goes back to the pool.
        let _ = conn.batch("ROLLBACK").await;
        return Err((batch, failed(e)));
    }
    let mut outputs = Vec::with_capacity(batch.len());
    let mut events = Vec::new();
    let mut failure = None;
    for job in &batch {
        let tx = JobTx {
            conn: &mut *conn,
            events: &mut events,
        };
        match job.work.run(tx).await {
            Ok(output) => outputs.push(output),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let mut merchants = Vec::new();
    if failure.is_none() {
        note_merchants(&events, &mut merchants);
        if let Err(e) = insert_events(conn, &mut events).await {
            failure = Some(e);
        }
    }
    let Some(e) = failure else {
        return Ok(match conn.batch("COMMIT").await {
            Ok(()) => {
                conn.committed();
                announce(commits, merchants);
                for (job, output) in batch.into_iter().zip(outputs) {
                    let _ = job.reply.send(Ok(output));
                }
                true
            }
            Err(e) => {
                let e = failed(e);
                let _ = conn.batch("ROLLBACK").await;
                fail(batch, &e);
                false
            }
        });
    };
    if let Err(e) = conn.batch("ROLLBACK").await {
        fail(batch, &failed(e));
        return Ok(false);
    }
    if batch.len() == 1 {
        // Alone, the job's failure was its own, and is rolled back.
        if let Some(job) = batch.into_iter().next() {
            let _ = job.reply.send(Err(e));
        }
        return Ok(true);
    }
    with_savepoints(conn, begin, batch, commits).await
}

/// Runs a batch in one transaction, each job in its own savepoint, so a job's failure rolls
/// back that job alone. Statements that only steer the batch are sent together, one round
/// trip between jobs.
async fn with_savepoints<C: Tx>(
    conn: &mut C,
    begin: &'static str,
    batch: Vec<Job<C>>,
    commits: &broadcast::Sender<Committed>,
) -> Result<bool, (Vec<Job<C>>, StoreError)> {
    if let Err(e) = conn.batch(&format!("{begin}; SAVEPOINT job")).await {
        let _ = conn.batch("ROLLBACK").await;
        return Err((batch, failed(e)));
    }
    let mut done: Vec<(Reply, Result<Output, StoreError>)> = Vec::with_capacity(batch.len());
    let mut merchants = Vec::new();
    for (i, job) in batch.into_iter().enumerate() {
        if i > 0
            && let Err(e) = conn.batch("RELEASE job; SAVEPOINT job").await
        {
            let e = failed(e);
            let _ = conn.batch("ROLLBACK").await;
            let _ = job.reply.send(Err(e.clone_message()));
            // The jobs after this one are dropped unanswered, which fails them too.
            fail_done(done, &e);
            return Ok(false);
        }
        let mut events = Vec::new();
        let tx = JobTx {
            conn: &mut *conn,
            events: &mut events,
        };
        let mut result = job.work.run(tx).await;
        let noted = merchants.len();
        if result.is_ok() {
            note_merchants(&events, &mut merchants);
            if let Err(e) = insert_events(conn, &mut events).await {
                result = Err(e);
            }
        }
        if result.is_err() {
            // Its events roll back with it, and so do the merchants first noted for it.
            merchants.truncate(noted);
            if let Err(e) = conn.batch("ROLLBACK TO job").await {
                result = Err(failed(e));
            }
        }
        done.push((job.reply, result));
    }
    match conn.batch("RELEASE job; COMMIT").await {
        Ok(()) => {
            conn.committed();
            announce(commits, merchants);
            for (reply, result) in done {
                let _ = reply.send(result);
            }
            Ok(true)
        }
        Err(e) => {
            let e = failed(e);
            let _ = conn.batch("ROLLBACK").await;
            fail_done(done, &e);
            Ok(false)
        }
    }
}

fn fail_done(done: Vec<(Reply, Result<Output, StoreError>)>, e: &StoreError) {
    for (reply, _) in done {
        let _ = reply.send(Err(e.clone_message()));
    }
}

#[cfg(test)]
mod tests;
