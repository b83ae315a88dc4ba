//! Group commit. SQLite has one writer and every commit is an fsync, so concurrent write
//! transactions queue up here and run back to back inside one transaction, each in its own
//! savepoint (one job's failure rolls back only that job), and share one commit. Each caller
//! hears its result only after that commit: durability is unchanged, fsyncs are shared.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;

use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::storage::StoreError;

/// Most jobs sharing one commit.
const MAX_BATCH: usize = 64;

/// A boxed future borrowing the connection for `'c`.
pub(super) type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;
type Output = Box<dyn Any + Send>;
type Work = Box<
    dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<Output, StoreError>>
        + Send,
>;

struct Job {
    work: Work,
    reply: oneshot::Sender<Result<Output, StoreError>>,
}

/// Hands write jobs to the batching task.
#[derive(Clone)]
pub(super) struct Batcher {
    jobs: mpsc::Sender<Job>,
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

impl Batcher {
    /// Starts the batching task on `pool` (the writer pool).
    pub(super) fn start(pool: SqlitePool) -> Self {
        let (jobs, rx) = mpsc::channel(1024);
        tokio::spawn(run(pool, rx));
        Self { jobs }
    }

    /// Runs `work` inside a shared transaction; returns once it is committed.
    pub(super) async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, StoreError>>
            + Send
            + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let work: Work = Box::new(move |conn| {
            Box::pin(async move { work(conn).await.map(|t| Box::new(t) as Output) })
        });
        self.jobs
            .send(Job { work, reply })
            .await
            .map_err(|_| failed("the writer has stopped"))?;
        let output = answer
            .await
            .map_err(|_| failed("the writer dropped the job"))??;
        output
            .downcast::<T>()
            .map(|t| *t)
            .map_err(|_| failed("unexpected result type"))
    }
}

async fn run(pool: SqlitePool, mut jobs: mpsc::Receiver<Job>) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        execute(&pool, batch).await;
    }
}

async fn execute(pool: &SqlitePool, batch: Vec<Job>) {
    let mut pooled = match pool.acquire().await {
        Ok(conn) => conn,
        Err(e) => {
            for job in batch {
                let _ = job.reply.send(Err(failed(&e)));
            }
            return;
        }
    };
    let conn: &mut SqliteConnection = &mut pooled;
    if let Err(e) = statement(conn, "BEGIN IMMEDIATE").await {
        for job in batch {
            let _ = job.reply.send(Err(e.clone_message()));
        }
        return;
    }
    let mut done = Vec::with_capacity(batch.len());
    for job in batch {
        let mut result = match statement(conn, "SAVEPOINT job").await {
            Ok(()) => (job.work)(conn).await,
            Err(e) => Err(e),
        };
        if result.is_err()
            && let Err(e) = statement(conn, "ROLLBACK TO job").await
        {
            result = Err(e);
        }
        if let Err(e) = statement(conn, "RELEASE job").await {
            result = Err(e);
        }
        done.push((job.reply, result));
    }
    match statement(conn, "COMMIT").await {
        Ok(()) => {
            for (reply, result) in done {
                let _ = reply.send(result);
            }
        }
        Err(e) => {
            let _ = statement(conn, "ROLLBACK").await;
            for (reply, _) in done {
                let _ = reply.send(Err(e.clone_message()));
            }
        }
    }
}

/// Runs one statement without parameters.
fn statement<'c>(
    conn: &'c mut SqliteConnection,
    sql: &'static str,
) -> BoxFuture<'c, Result<(), StoreError>> {
    Box::pin(async move {
        sqlx::query(sql)
            .execute(conn)
            .await
            .map(|_| ())
            .map_err(failed)
    })
}
