//! Group commit. Every durable commit waits for the disk (an fsync), so concurrent write
//! transactions queue up here and run back to back inside one transaction on one
//! connection, each in its own savepoint (one job's failure rolls back only that job), and
//! share one commit. Each caller hears its result only after that commit: durability is
//! unchanged, fsyncs are shared. SQLite has one writer anyway; on PostgreSQL it also means
//! the outbox lock is taken once per batch rather than once per write.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;

use sqlx::pool::PoolConnection;
use sqlx::{Database, Executor, Pool};
use tokio::sync::{mpsc, oneshot};
use tracing::Instrument;

use crate::storage::StoreError;

/// Most jobs sharing one commit.
const MAX_BATCH: usize = 64;

/// A boxed future borrowing the connection for `'c`.
pub(crate) type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;
type Output = Box<dyn Any + Send>;
type Work<C> =
    Box<dyn for<'c> FnOnce(&'c mut C) -> BoxFuture<'c, Result<Output, StoreError>> + Send>;

type Reply = oneshot::Sender<Result<Output, StoreError>>;

struct Job<C> {
    work: Work<C>,
    reply: Reply,
}

/// Hands write jobs to the batching task.
pub(crate) struct Batcher<DB: Database> {
    jobs: mpsc::Sender<Job<DB::Connection>>,
}

impl<DB: Database> Clone for Batcher<DB> {
    fn clone(&self) -> Self {
        Self {
            jobs: self.jobs.clone(),
        }
    }
}

fn failed(why: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(sqlx::Error::Protocol(format!("write batch failed: {why}")))
}

impl StoreError {
    /// The same failure again, for every job of a batch that failed as a whole.
    fn clone_message(&self) -> StoreError {
        failed(self)
    }
}

impl<DB> Batcher<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// Starts the batching task on `pool`; the `begin` statements (`;`-separated) open a
    /// batch.
    pub(crate) fn start(pool: Pool<DB>, begin: &'static str) -> Self {
        let (jobs, rx) = mpsc::channel(1024);
        tokio::spawn(run(pool, begin, rx));
        Self { jobs }
    }

    /// Runs `work` inside a shared transaction; returns once it is committed. `operation`
    /// names it in traces.
    pub(crate) async fn write<T, F>(
        &self,
        operation: &'static str,
        work: F,
    ) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut DB::Connection) -> BoxFuture<'c, Result<T, StoreError>>
            + Send
            + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let work: Work<DB::Connection> = Box::new(move |conn| {
            Box::pin(async move { work(conn).await.map(|t| Box::new(t) as Output) })
        });
        let span = tracing::info_span!(
            "db.transaction",
            otel.name = operation,
            otel.kind = "client",
            db.system.name = DB::NAME,
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

async fn run<DB>(pool: Pool<DB>, begin: &'static str, mut jobs: mpsc::Receiver<Job<DB::Connection>>)
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    // The connection is kept from batch to batch (no pool round trip each time) and given
    // back only after a batch failed as a whole, when it may be broken.
    let mut held: Option<PoolConnection<DB>> = None;
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
        let Some((mut conn, batch)) = connect(&pool, &mut jobs, kept, batch).await else {
            continue;
        };
        let (batch, e) = match execute(&mut conn, begin, batch).await {
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
        let Some((mut conn, batch)) = connect(&pool, &mut jobs, None, batch).await else {
            continue;
        };
        match execute(&mut conn, begin, batch).await {
            Ok(fit) => held = fit.then_some(conn),
            Err((batch, e)) => fail(batch, &e),
        }
    }
}

/// The kept connection, or one from the pool. When the pool has none in time, the batch
/// fails, and so does every job that came while it waited (they have waited as long), so
/// no call waits for the database longer than the pool's acquire timeout.
async fn connect<DB: Database>(
    pool: &Pool<DB>,
    jobs: &mut mpsc::Receiver<Job<DB::Connection>>,
    kept: Option<PoolConnection<DB>>,
    mut batch: Vec<Job<DB::Connection>>,
) -> Option<(PoolConnection<DB>, Vec<Job<DB::Connection>>)> {
    if let Some(conn) = kept {
        return Some((conn, batch));
    }
    match pool.acquire().await {
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

/// Runs a batch in one transaction. Statements that only steer it (begin, savepoints,
/// commit) are sent together, one round trip between jobs. Whether the connection is fit for
/// the next batch; or, when the transaction could not even begin, the batch untouched.
async fn execute<DB>(
    conn: &mut DB::Connection,
    begin: &'static str,
    batch: Vec<Job<DB::Connection>>,
) -> Result<bool, (Vec<Job<DB::Connection>>, StoreError)>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    // A job alone in its batch has the transaction to itself: a failure rolls all of it
    // back, so it needs no savepoint.
    let alone = batch.len() == 1;
    let opening = if alone {
        begin.to_owned()
    } else {
        format!("{begin}; SAVEPOINT job")
    };
    if let Err(e) = statement::<DB>(conn, &opening).await {
        // Nothing may stay open on a connection that goes back to the pool.
        let _ = statement::<DB>(conn, "ROLLBACK").await;
        return Err((batch, e));
    }
    let mut done: Vec<(Reply, Result<Output, StoreError>)> = Vec::with_capacity(batch.len());
    for (i, job) in batch.into_iter().enumerate() {
        if !alone && i > 0 {
            if let Err(e) = statement::<DB>(conn, "RELEASE job; SAVEPOINT job").await {
                let _ = statement::<DB>(conn, "ROLLBACK").await;
                let _ = job.reply.send(Err(e.clone_message()));
                // The jobs after this one are dropped unanswered, which fails them too.
                fail_done(done, &e);
                return Ok(false);
            }
        }
        let mut result = (job.work)(conn).await;
        if !alone
            && result.is_err()
            && let Err(e) = statement::<DB>(conn, "ROLLBACK TO job").await
        {
            result = Err(e);
        }
        done.push((job.reply, result));
    }
    let closing = match (alone, done.first()) {
        (true, Some((_, Err(_)))) => "ROLLBACK",
        (true, _) => "COMMIT",
        (false, _) => "RELEASE job; COMMIT",
    };
    match statement::<DB>(conn, closing).await {
        Ok(()) => {
            for (reply, result) in done {
                let _ = reply.send(result);
            }
            Ok(true)
        }
        Err(e) => {
            let _ = statement::<DB>(conn, "ROLLBACK").await;
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

/// Runs statements without parameters (several, separated by `;`, in one round trip).
fn statement<'c, DB>(
    conn: &'c mut DB::Connection,
    sql: &'c str,
) -> BoxFuture<'c, Result<(), StoreError>>
where
    DB: Database,
    for<'e> &'e mut DB::Connection: Executor<'e, Database = DB>,
{
    Box::pin(async move { conn.execute(sql).await.map(|_| ()).map_err(failed) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Sqlite;

    async fn table(dir: &tempfile::TempDir) -> (Pool<Sqlite>, Batcher<Sqlite>) {
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        // One connection for the batcher to keep, one for the test's reads.
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(2)
            .connect(&url)
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (v TEXT PRIMARY KEY)")
            .execute(&pool)
            .await
            .unwrap();
        let batcher = Batcher::start(pool.clone(), "BEGIN IMMEDIATE");
        (pool, batcher)
    }

    async fn insert(batcher: &Batcher<Sqlite>, v: &'static str) -> Result<(), StoreError> {
        batcher
            .write("insert", move |conn| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO t (v) VALUES (?)")
                        .bind(v)
                        .execute(conn)
                        .await?;
                    Ok(())
                })
            })
            .await
    }

    async fn rows(pool: &Pool<Sqlite>) -> Vec<String> {
        sqlx::query_scalar("SELECT v FROM t ORDER BY v")
            .fetch_all(pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_failed_job_rolls_back_alone_and_its_batch_commits_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let (pool, batcher) = table(&dir).await;
        // Queued together before the batching task runs: one batch of three.
        let (a, again, b) = tokio::join!(
            insert(&batcher, "a"),
            insert(&batcher, "a"),
            insert(&batcher, "b")
        );
        assert!(a.is_ok() && b.is_ok());
        assert!(again.is_err(), "a duplicate key fails its own job");
        assert_eq!(rows(&pool).await, ["a", "b"]);

        // Alone in its batch, a failure rolls back the whole transaction, and the
        // connection is left ready for the next one.
        assert!(insert(&batcher, "b").await.is_err());
        insert(&batcher, "c").await.unwrap();
        assert_eq!(rows(&pool).await, ["a", "b", "c"]);
    }
}
