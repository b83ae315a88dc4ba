//! The SQLite backend: WAL, one writer connection owned by the write batcher on a thread of
//! its own (SQLite admits one writer at a time, so every write queues there instead of
//! failing with SQLITE_BUSY), and a few reader connections.
//!
//! paycore drives SQLite through rusqlite, in the calling thread: a write batch runs from
//! its `BEGIN` to its `COMMIT` on the writer thread, and a read runs where it is asked for,
//! on a Tokio worker. A read is a few B-tree lookups in pages the OS has cached (WAL readers
//! never wait for the writer), cheaper than handing it to another thread and back. Scans
//! (counts over a table, whose cost grows with the data) run on Tokio's blocking threads.
//! Statements are prepared once per connection and kept.
//!
//! Checkpoints (copying the WAL back into the database file, and syncing it) run on a
//! thread of their own, nudged by the writer every [`CHECKPOINT_EVERY`] commits: a
//! checkpoint in the writer's commit stalled every write queued behind it for tens of
//! milliseconds. A passive checkpoint never blocks the writer. Should the checkpoints fall
//! behind, the writer checkpoints itself once the WAL holds [`WAL_PAGES_MAX`] pages.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};
use std::time::Duration;

use rusqlite::OpenFlags;
use rusqlite::types::{Null, ValueRef};
use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};

use super::StoreError;
use super::batch::{Batcher, Connect};
use super::reads::ReadPool;
use super::sql::{Arg, Columns, FromRow, Sql, Tx};
use super::writes::Backend;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src/storage/migrations/sqlite");

/// How many connections serve reads.
const READERS: usize = 4;

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 64;

/// Commits between nudges to the checkpointer (SQLite's own default, a checkpoint per 1000
/// WAL pages, comes to about one per 60 commits of paycore's writes).
const CHECKPOINT_EVERY: u32 = 32;

/// WAL pages at which the writer checkpoints itself (32 MiB of 4 KiB pages).
const WAL_PAGES_MAX: u32 = 8192;

/// A SQLite database file.
#[derive(Clone)]
pub struct SqliteStore {
    readers: Arc<Readers>,
    /// Every write, in group-committed batches on the one writer connection it owns.
    batch: Batcher<Conn>,
}

impl SqliteStore {
    /// Opens (creating if missing, with its directory) the database at `url`
    /// (`sqlite://path/to/file.db`) and applies migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let path = options.get_filename().to_owned();
        let shown = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
        reachable(&shown)?;
        // Whatever fails from here on, the message says which file it was.
        let in_file = |e: StoreError| match e {
            StoreError::Unavailable(e) => StoreError::Unavailable(
                format!("cannot open the SQLite database {}: {e}", shown.display()).into(),
            ),
            StoreError::Other(e) => StoreError::Other(
                format!("cannot open the SQLite database {}: {e}", shown.display()).into(),
            ),
            other => other,
        };
        // sqlx keeps the migrations (and their bookkeeping table) for both backends.
        let mut migrating = options.connect().await.map_err(|e| in_file(e.into()))?;
        MIGRATOR.run(&mut migrating).await?;
        sqlx::Connection::close(migrating).await?;

        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            readers.push(Mutex::new(Conn::open(&path).map_err(in_file)?));
        }
        let checkpoints = Checkpointer::start(&path).map_err(in_file)?;
        // IMMEDIATE: the batch holds the write lock from its first statement.
        let batch = Batcher::start(
            File::new(path, checkpoints),
            "BEGIN IMMEDIATE",
            "sqlite-writer",
        )?;
        Ok(Self {
            batch,
            readers: Arc::new(Readers {
                connections: readers,
                next: AtomicUsize::new(0),
            }),
        })
    }
}

/// The absolute path of the database file `url` names, or why it names none.
pub(crate) fn file(url: &str) -> Result<PathBuf, String> {
    let options = SqliteConnectOptions::from_str(url).map_err(|e| e.to_string())?;
    let path = options.get_filename();
    let name = path.to_string_lossy();
    if name.is_empty() || name.starts_with("file:sqlx-in-memory-") {
        return Err("names no database file (expected sqlite://path/to/file.db)".into());
    }
    std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Makes sure the database file can be opened for writing, creating it (an empty file is
/// an empty database) and its directory when missing, so that a path paycore cannot write
/// fails here with the path and the OS's reason rather than SQLite's "unable to open
/// database file".
fn reachable(path: &Path) -> Result<(), StoreError> {
    let failed = |what: &str, at: &Path, e: std::io::Error| {
        StoreError::Unavailable(format!("cannot {what} {}: {e}", at.display()).into())
    };
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            let what = format!(
                "create the directory of the SQLite database {}:",
                path.display()
            );
            failed(&what, dir, e)
        })?;
    }
    let mut open = std::fs::OpenOptions::new();
    open.read(true).write(true);
    match open.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => open
            .create_new(true)
            .open(path)
            .map(drop)
            .map_err(|e| failed("create the SQLite database", path, e)),
        Err(e) => Err(failed("open the SQLite database", path, e)),
    }
}

/// The reader connections: a read takes a free one (or waits its turn at the next). Reads
/// hold one only while they run, never across an await.
struct Readers {
    connections: Vec<Mutex<Conn>>,
    next: AtomicUsize,
}

impl Readers {
    fn get(&self) -> MutexGuard<'_, Conn> {
        for c in &self.connections {
            if let Ok(conn) = c.try_lock() {
                return conn;
            }
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.connections.len();
        // A read that panicked left no transaction open: the connection is still good.
        self.connections[i]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl ReadPool for SqliteStore {
    fn fetch<T: FromRow>(
        &self,
        sql: &Sql<'_>,
    ) -> impl Future<Output = Result<Vec<T>, StoreError>> + Send {
        std::future::ready(self.readers.get().query(sql))
    }

    /// On a blocking thread: a Tokio worker waits for no scan.
    async fn scan<T: FromRow>(&self, sql: Sql<'static>) -> Result<Vec<T>, StoreError> {
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || readers.get().query(&sql))
            .await
            .map_err(|e| StoreError::Other(e.into()))?
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }
}

impl Backend for SqliteStore {
    type Tx = Conn;

    fn batcher(&self) -> &Batcher<Conn> {
        &self.batch
    }
}

/// The database file, where the writer opens its connection.
pub(crate) struct File {
    path: PathBuf,
    checkpoints: Checkpointer,
}

impl File {
    pub(crate) fn new(path: PathBuf, checkpoints: Checkpointer) -> Self {
        Self { path, checkpoints }
    }
}

impl Connect for File {
    const NETWORKED: bool = false;
    type Tx = Conn;
    type Conn = Box<Conn>;

    async fn connect(&self) -> Result<Box<Conn>, StoreError> {
        let mut conn = Conn::open(&self.path)?;
        conn.conn
            .pragma_update(None, "wal_autocheckpoint", WAL_PAGES_MAX)?;
        conn.conn
            .pragma_update(None, "journal_size_limit", i64::from(WAL_PAGES_MAX) * 4096)?;
        conn.checkpoints = Some((self.checkpoints.clone(), 0));
        Ok(Box::new(conn))
    }
}

/// Runs passive checkpoints on a thread and connection of its own when nudged. The thread
/// ends with the last nudger.
#[derive(Clone)]
pub(crate) struct Checkpointer {
    nudge: mpsc::SyncSender<()>,
}

impl Checkpointer {
    pub(crate) fn start(path: &Path) -> Result<Self, StoreError> {
        let conn = Conn::open(path)?;
        // One nudge waiting is enough: the checkpoint it asks for covers every commit.
        let (nudge, nudges) = mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                while nudges.recv().is_ok() {
                    let done =
                        conn.conn
                            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                    if let Err(e) = done {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                    }
                }
            })
            .map_err(|e| StoreError::Unavailable(e.into()))?;
        Ok(Self { nudge })
    }

    fn nudge(&self) {
        // Full: a checkpoint is already asked for.
        let _ = self.nudge.try_send(());
    }
}

/// One SQLite connection, with paycore's settings; the writer's also nudges the
/// checkpointer, counting commits since the last nudge.
pub(crate) struct Conn {
    conn: rusqlite::Connection,
    checkpoints: Option<(Checkpointer, u32)>,
}

impl Conn {
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Other(
                format!("journal mode is {mode}, not WAL").into(),
            ));
        }
        // FULL: a commit is on disk before the client hears "ok", so a crash loses nothing
        // that was acknowledged.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(Self {
            conn,
            checkpoints: None,
        })
    }

    /// Prepares (or finds prepared) `sql` and binds its arguments.
    fn prepare<'c>(&'c self, sql: &Sql<'_>) -> Result<rusqlite::CachedStatement<'c>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&sql.text)?;
        for (i, arg) in sql.args.iter().enumerate() {
            // `$N` placeholders are named parameters to SQLite, numbered in order of first
            // appearance: the query text must introduce them in order.
            debug_assert_eq!(
                stmt.parameter_name(i + 1),
                Some(format!("${}", i + 1).as_str()),
                "{}",
                sql.text
            );
            match arg {
                Arg::Str(Some(s)) => stmt.raw_bind_parameter(i + 1, s.as_ref()),
                Arg::Int(Some(n)) => stmt.raw_bind_parameter(i + 1, n),
                Arg::Blob(b) => stmt.raw_bind_parameter(i + 1, b),
                Arg::Str(None) | Arg::Int(None) => stmt.raw_bind_parameter(i + 1, Null),
            }?;
        }
        Ok(stmt)
    }

    fn query<T: FromRow>(&self, sql: &Sql<'_>) -> Result<Vec<T>, StoreError> {
        let mut stmt = self.prepare(sql)?;
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(T::from_row(&mut RowColumns { row, at: 0 })?);
        }
        Ok(out)
    }

    fn run(&self, sql: &Sql<'_>) -> Result<u64, StoreError> {
        let changed = self.prepare(sql)?.raw_execute()?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }
}

impl Tx for Conn {
    const SYSTEM: &'static str = "sqlite";
    const CHAINS_WRITES: bool = false;

    fn batch(&mut self, sql: &str) -> impl Future<Output = Result<(), StoreError>> + Send {
        std::future::ready(self.conn.execute_batch(sql).map_err(StoreError::from))
    }

    fn committed(&mut self) {
        if let Some((checkpoints, commits)) = &mut self.checkpoints {
            *commits += 1;
            if *commits >= CHECKPOINT_EVERY {
                checkpoints.nudge();
                *commits = 0;
            }
        }
    }

    fn execute(&mut self, sql: &Sql<'_>) -> impl Future<Output = Result<u64, StoreError>> + Send {
        std::future::ready(self.run(sql))
    }

    fn fetch<T: FromRow>(
        &mut self,
        sql: &Sql<'_>,
    ) -> impl Future<Output = Result<Vec<T>, StoreError>> + Send {
        std::future::ready(self.query(sql))
    }
}

/// A rusqlite row, read column by column.
struct RowColumns<'r, 's> {
    row: &'r rusqlite::Row<'s>,
    at: usize,
}

impl RowColumns<'_, '_> {
    fn next(&mut self) -> Result<ValueRef<'_>, StoreError> {
        let value = self.row.get_ref(self.at)?;
        self.at += 1;
        Ok(value)
    }
}

fn unexpected(what: &str, value: ValueRef<'_>) -> StoreError {
    StoreError::Corrupt(format!("expected {what}, found {:?}", value.data_type()))
}

impl Columns for RowColumns<'_, '_> {
    fn opt_text(&mut self) -> Result<Option<String>, StoreError> {
        match self.next()? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => String::from_utf8(t.to_vec())
                .map(Some)
                .map_err(|e| StoreError::Corrupt(e.to_string())),
            other => Err(unexpected("text", other)),
        }
    }

    fn opt_int(&mut self) -> Result<Option<i64>, StoreError> {
        match self.next()? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(i) => Ok(Some(i)),
            other => Err(unexpected("an integer", other)),
        }
    }

    fn blob(&mut self) -> Result<Vec<u8>, StoreError> {
        match self.next()? {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            other => Err(unexpected("a blob", other)),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{
            CannotOpen, DatabaseBusy, DatabaseLocked, DiskFull, SystemIoFailure,
        };
        match e {
            // The file cannot be reached or written, or another process holds it: the
            // caller may retry.
            rusqlite::Error::SqliteFailure(ref f, _)
                if matches!(
                    f.code,
                    CannotOpen | DatabaseBusy | DatabaseLocked | DiskFull | SystemIoFailure
                ) =>
            {
                Self::Unavailable(e.into())
            }
            other => Self::Other(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What "acknowledged means on disk" rests on: the batcher's writer connection runs in
    /// WAL mode with synchronous=FULL (an fsync at every commit).
    #[tokio::test]
    async fn the_writer_connection_commits_durably() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let checkpoints = Checkpointer::start(&path).unwrap();
        let writer = File::new(path, checkpoints).connect().await.unwrap();
        let synchronous: i64 = writer
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(synchronous, 2, "FULL");
        let mode: String = writer
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[tokio::test]
    async fn the_checkpointer_copies_the_wal_into_the_database_file_without_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        Conn::open(&path)
            .unwrap()
            .conn
            .execute_batch("CREATE TABLE t (v INTEGER)")
            .unwrap();
        // The table is in the database file (the last connection to close checkpointed it);
        // the rows written next reach the file only by a checkpoint.
        let file = || std::fs::read(&path).unwrap();
        let before = file();
        let checkpoints = Checkpointer::start(&path).unwrap();
        let (batcher, writer) =
            Batcher::new(File::new(path.clone(), checkpoints), "BEGIN IMMEDIATE");
        tokio::spawn(writer);
        // One commit each; the writer alone would not checkpoint before WAL_PAGES_MAX.
        for i in 0..CHECKPOINT_EVERY {
            batcher
                .write("insert", i64::from(i), |mut tx, v| {
                    Box::pin(async move {
                        let sql = Sql::new("INSERT INTO t (v) VALUES ($1)").arg(*v);
                        tx.execute(&sql).await.map(drop)
                    })
                })
                .await
                .unwrap();
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while file() == before {
            assert!(
                std::time::Instant::now() < deadline,
                "nothing was checkpointed into the database file"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}
