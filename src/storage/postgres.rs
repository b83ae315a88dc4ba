//! The PostgreSQL backend, for several paycore nodes sharing one database. Same tables and
//! rows as SQLite, and the same write model: one write lane for the whole cluster.
//!
//! Every write goes through group commit (one transaction per batch; savepoints only after
//! a job failed), on a connection and thread of the batcher's own, and each batch first
//! takes the outbox lock, a cluster-wide advisory lock held until it commits. So the
//! outbox's `seq` grows in commit order (readers resume from a `seq`, and must never see a
//! later one commit before an earlier one), and no two write transactions ever run at once,
//! on any node: a refund sums its payment's other refunds, and a sweeper or webhook claim
//! picks its rows, with no row locks and no `SKIP LOCKED`, as on SQLite. Reads run on the
//! pool, beside the writes, and take no locks.
//!
//! The cost is that nodes add no write throughput: measured with `bench/nodes` on the 2-core
//! development machine (docs/performance.md), two nodes made 0.57–1.06 of one node's
//! CreatePayment rate, and even without the lock (which would break the outbox order) only
//! 1.00–1.26. Letting batches run concurrently would need the outbox ordered per merchant
//! instead; until a machine with the cores to show a gain says otherwise, one lane is the
//! simpler correct choice.

mod tls;

use std::time::Duration;

use sqlx::postgres::{PgArguments, PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{ConnectOptions, Executor, PgConnection, PgPool, Postgres, Row};

use super::StoreError;
use super::batch::{Batcher, Connect};
use super::reads::ReadPool;
use super::sql::{Arg, Columns, FromRow, Sql, Tx};
use super::writes::Backend;
use crate::config::DatabaseConfig;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src/storage/migrations/postgres");

/// Opens a write batch: the transaction, then the outbox lock (a transaction advisory lock,
/// key "paycore" in ASCII), held until the batch commits. Taking it first, before any row
/// lock, keeps every batch's locks in one order, so batches on different nodes cannot
/// deadlock; and it keeps the outbox's `seq` in commit order.
const BEGIN_BATCH: &str = "BEGIN; SELECT pg_advisory_xact_lock(31632371378778725)";

/// A PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Every write, group-committed.
    batch: Batcher<PgConnection>,
}

impl PgStore {
    /// Connects to `config.url` (`postgres://…`), retrying for `connect_retry_secs` while the
    /// database is not up yet, and applies migrations.
    pub async fn open(config: &DatabaseConfig) -> Result<Self, StoreError> {
        // The migrations run on a connection of their own, opened directly: a pool that
        // cannot connect says only that it timed out, this says why. How it connected (see
        // `tls::connect`) is how every later connection does.
        let (mut migrating, options) = first_connection(config, &connect_options(config)?).await?;
        MIGRATOR.run(&mut migrating).await?;
        sqlx::Connection::close(migrating).await?;
        // Idle connections are not pinged when taken from the pool (a round trip before
        // every read); a read on one that broke while idle is run again (see `fetch`).
        let pool = PgPoolOptions::new()
            .max_connections(config.max_connections)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_millis(config.acquire_timeout_ms))
            .connect_lazy_with(options.clone());
        let writer_connection = WriterConnection {
            options,
            timeout: Duration::from_millis(config.acquire_timeout_ms),
        };
        let batch = Batcher::start(writer_connection, BEGIN_BATCH, "postgres-writer")?;
        Ok(Self { batch, pool })
    }
}

/// Where `options` connect, as `host:port` (a Unix socket as its path); never the password.
fn address(options: &PgConnectOptions) -> String {
    let (host, port) = (options.get_host(), options.get_port());
    if host.starts_with('/') {
        format!("{host}/.s.PGSQL.{port}")
    } else if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Where a `postgres://` URL points, or why it cannot be used: it does not parse, or its TLS
/// settings cannot work (see `tls::options`).
pub(crate) fn location(url: &str) -> Result<super::Location, String> {
    let options = tls::options(url).map_err(|e| e.to_string())?;
    Ok(super::Location::Server {
        address: address(&options),
        database: options.get_database().unwrap_or("(default)").to_owned(),
    })
}

/// The first connection to the database, and the options it connected with; tried every
/// half second for `connect_retry_secs` while the server is not up (each try waits at most
/// `acquire_timeout_ms`). The first failure is logged with the server's address and the
/// reason, and the error after the last names both. A TLS failure is not retried.
async fn first_connection(
    config: &DatabaseConfig,
    options: &PgConnectOptions,
) -> Result<(PgConnection, PgConnectOptions), StoreError> {
    let at = address(options);
    let each = Duration::from_millis(config.acquire_timeout_ms);
    let give_up = tokio::time::Instant::now() + Duration::from_secs(config.connect_retry_secs);
    let mut tries = 0u32;
    loop {
        tries += 1;
        let cause = match tokio::time::timeout(each, tls::connect(options)).await {
            Ok(Ok(connected)) => return Ok(connected),
            Ok(Err(e)) if not_up_yet(&e) => e.to_string(),
            // Not a server that is still starting (a wrong password, no such database, a
            // certificate that does not verify): trying again cannot help.
            Ok(Err(e)) => return Err(refused(&at, options, e)),
            Err(_) => format!("no answer within {} ms", config.acquire_timeout_ms),
        };
        if tokio::time::Instant::now() >= give_up {
            return Err(StoreError::Unavailable(
                format!(
                    "cannot connect to PostgreSQL at {at}: {cause} ({tries} tries in {} s, \
                     database.connect_retry_secs)",
                    config.connect_retry_secs
                )
                .into(),
            ));
        }
        if tries == 1 {
            tracing::warn!(
                address = %at,
                error = %cause,
                retry_secs = config.connect_retry_secs,
                "cannot connect to PostgreSQL yet; retrying"
            );
        } else {
            tracing::debug!(address = %at, error = %cause, "still cannot connect to PostgreSQL");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Whether a connection error means the server is not there (yet). A failed TLS handshake
/// comes as an I/O error too, but is final.
fn not_up_yet(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) => tls::failure(e).is_none(),
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(d) => d.code().as_deref() == Some("57P03"),
        _ => false,
    }
}

/// The error for a first connection that failed for good, naming `database.url` (where the
/// user, the password, the database and the TLS settings all are), the server's address and
/// the reason.
fn refused(at: &str, options: &PgConnectOptions, e: sqlx::Error) -> StoreError {
    if let Some(why) = tls::failure(&e) {
        let mode = tls::mode(options);
        let why =
            format!("database.url: TLS with PostgreSQL at {at} failed (sslmode={mode}): {why}");
        return StoreError::Other(why.into());
    }
    let why = format!("database.url: cannot connect to PostgreSQL at {at}: {e}");
    match StoreError::from(e) {
        StoreError::Unavailable(_) => StoreError::Unavailable(why.into()),
        _ => StoreError::Other(why.into()),
    }
}

impl ReadPool for PgStore {
    /// A read on a connection that broke while idle in the pool (PostgreSQL restarted, a
    /// proxy cut it) fails as unavailable; the connection is dropped, and the read runs again
    /// on the next, at most once for each connection the pool may hold. Failing to get a
    /// connection at all is not retried: the pool already waited its acquire timeout.
    async fn fetch<T: FromRow>(&self, sql: &Sql<'_>) -> Result<Vec<T>, StoreError> {
        let connections = self.pool.options().get_max_connections();
        let mut broken = 0;
        loop {
            let mut conn = self.pool.acquire().await?;
            match Tx::fetch(&mut *conn, sql).await {
                Err(StoreError::Unavailable(_)) if broken < connections => broken += 1,
                result => return result,
            }
        }
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }
}

impl Backend for PgStore {
    type Tx = PgConnection;

    fn batcher(&self) -> &Batcher<PgConnection> {
        &self.batch
    }
}

/// How every connection is opened. `synchronous_commit = on` whatever the server, database
/// or role default says: a commit is acknowledged only once it is flushed to disk (and to
/// synchronous standbys, if any), which is what "acknowledged is never lost" rests on.
/// A URL that cannot be used is a configuration error.
fn connect_options(config: &DatabaseConfig) -> Result<PgConnectOptions, StoreError> {
    let options = tls::options(&config.url).map_err(|e| StoreError::Config(e.to_string()))?;
    Ok(options.options([
        (
            "statement_timeout",
            format!("{}ms", config.statement_timeout_ms),
        ),
        ("synchronous_commit", "on".to_owned()),
    ]))
}

/// Where the write batcher connects: a connection of its own, outside the pool, opened on the
/// batcher's thread so that its round trips are driven there.
struct WriterConnection {
    options: PgConnectOptions,
    timeout: Duration,
}

impl Connect for WriterConnection {
    const NETWORKED: bool = true;
    type Tx = PgConnection;
    type Conn = Box<PgConnection>;

    async fn connect(&self) -> Result<Box<PgConnection>, StoreError> {
        let conn = tokio::time::timeout(self.timeout, self.options.connect())
            .await
            .map_err(|_| {
                StoreError::Unavailable("timed out connecting to the database".into())
            })??;
        Ok(Box::new(conn))
    }
}

/// The query with its arguments bound (sqlx prepares it once per connection and keeps it).
fn query<'q>(sql: &'q Sql<'_>) -> sqlx::query::Query<'q, Postgres, PgArguments> {
    let mut query = sqlx::query(&sql.text);
    for arg in &sql.args {
        query = match arg {
            Arg::Str(s) => query.bind(s.as_deref()),
            Arg::Int(i) => query.bind(*i),
            Arg::Blob(b) => query.bind(*b),
        };
    }
    query
}

impl Tx for PgConnection {
    const SYSTEM: &'static str = "postgresql";
    const CHAINS_WRITES: bool = true;

    async fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Executor::execute(&mut *self, sql).await?;
        Ok(())
    }

    async fn execute(&mut self, sql: &Sql<'_>) -> Result<u64, StoreError> {
        Ok(query(sql).execute(&mut *self).await?.rows_affected())
    }

    async fn fetch<T: FromRow>(&mut self, sql: &Sql<'_>) -> Result<Vec<T>, StoreError> {
        let rows = query(sql).fetch_all(&mut *self).await?;
        rows.iter()
            .map(|row| T::from_row(&mut RowColumns { row, at: 0 }))
            .collect()
    }
}

/// A PostgreSQL row, read column by column.
struct RowColumns<'r> {
    row: &'r PgRow,
    at: usize,
}

impl RowColumns<'_> {
    fn next<T>(&mut self) -> Result<T, StoreError>
    where
        T: for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
    {
        let value = self.row.try_get(self.at)?;
        self.at += 1;
        Ok(value)
    }
}

impl Columns for RowColumns<'_> {
    fn opt_text(&mut self) -> Result<Option<String>, StoreError> {
        self.next()
    }

    fn opt_int(&mut self) -> Result<Option<i64>, StoreError> {
        self.next()
    }

    fn blob(&mut self) -> Result<Vec<u8>, StoreError> {
        self.next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer (and every pool connection) asks for durable commits and a statement
    /// timeout at connect time, so no server default can turn them off.
    #[test]
    fn connections_commit_durably_whatever_the_server_default() {
        let config = DatabaseConfig {
            url: "postgres://paycore@127.0.0.1:5432/paycore".into(),
            statement_timeout_ms: 5_000,
            ..DatabaseConfig::default()
        };
        let options = connect_options(&config).unwrap();
        let sent = options.get_options().unwrap_or_default();
        assert!(sent.contains("-c synchronous_commit=on"), "{sent}");
        assert!(sent.contains("-c statement_timeout=5000ms"), "{sent}");
    }
}
