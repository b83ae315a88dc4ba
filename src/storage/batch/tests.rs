use super::*;
use crate::domain::{EventId, EventType, MerchantId, PaymentId, Timestamp};
use crate::storage::sql::Sql;
use crate::storage::sqlite::{Checkpointer, Conn, File};

fn table(dir: &tempfile::TempDir) -> (Conn, Batcher<Conn>) {
    let path = dir.path().join("t.db");
    // One connection for the test's reads, another for the batcher's writes.
    let mut reader = Conn::open(&path).unwrap();
    futures_ready(reader.batch(
        "CREATE TABLE t (v TEXT PRIMARY KEY); \
         CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, \
         merchant_id TEXT NOT NULL, type TEXT NOT NULL, payment_id TEXT NOT NULL, \
         payload BLOB NOT NULL, created_at INTEGER NOT NULL, trace_context TEXT)",
    ))
    .unwrap();
    let checkpoints = Checkpointer::start(&path).unwrap();
    let (batcher, writer) = Batcher::new(File::new(path, checkpoints), "BEGIN IMMEDIATE");
    tokio::spawn(writer);
    (reader, batcher)
}

/// A SQLite connection's futures are ready at once.
fn futures_ready<T>(f: impl Future<Output = T>) -> T {
    let mut f = std::pin::pin!(f);
    match f
        .as_mut()
        .poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
    {
        std::task::Poll::Ready(t) => t,
        std::task::Poll::Pending => unreachable!("SQLite futures are ready"),
    }
}

/// Inserts `v`, and adds `event` to the outbox if one is given.
async fn insert(
    batcher: &Batcher<Conn>,
    v: &'static str,
    event: Option<&Event>,
) -> Result<(), StoreError> {
    batcher
        .write("insert", (v, event.cloned()), |mut tx, (v, event)| {
            Box::pin(async move {
                tx.execute(&Sql::new("INSERT INTO t (v) VALUES ($1)").arg(*v))
                    .await?;
                if let Some(event) = event {
                    tx.add_event(Cow::Borrowed(event));
                }
                Ok(())
            })
        })
        .await
}

fn event() -> Event {
    Event {
        id: EventId::generate(1),
        merchant_id: MerchantId::generate(1),
        event_type: EventType::PaymentCreated,
        payment_id: PaymentId::generate(1),
        payload: b"payload".to_vec(),
        created_at: Timestamp::from_micros(1),
        trace_context: None,
    }
}

fn rows(reader: &mut Conn) -> Vec<String> {
    strings(reader, "SELECT v FROM t ORDER BY v")
}

/// The outbox's event ids, in `seq` order.
fn events(reader: &mut Conn) -> Vec<String> {
    strings(reader, "SELECT id FROM events ORDER BY seq")
}

fn strings(reader: &mut Conn, query: &'static str) -> Vec<String> {
    futures_ready(reader.fetch::<Text>(&Sql::new(query)))
        .unwrap()
        .into_iter()
        .map(|t| t.0)
        .collect()
}

struct Text(String);

impl crate::storage::sql::FromRow for Text {
    fn from_row(row: &mut dyn crate::storage::sql::Columns) -> Result<Self, StoreError> {
        row.text().map(Text)
    }
}

#[tokio::test]
async fn a_failed_job_rolls_back_alone_and_its_batch_commits_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (mut reader, batcher) = table(&dir);
    // Queued together before the batching task runs: one batch of three.
    let (a, again, b) = tokio::join!(
        insert(&batcher, "a", None),
        insert(&batcher, "a", None),
        insert(&batcher, "b", None)
    );
    assert!(a.is_ok() && b.is_ok());
    assert!(again.is_err(), "a duplicate key fails its own job");
    assert_eq!(rows(&mut reader), ["a", "b"]);

    // Alone in its batch, a failure rolls back the whole transaction, and the
    // connection is left ready for the next one.
    assert!(insert(&batcher, "b", None).await.is_err());
    insert(&batcher, "c", None).await.unwrap();
    assert_eq!(rows(&mut reader), ["a", "b", "c"]);
}

#[tokio::test]
async fn a_batch_adds_the_events_of_the_jobs_it_commits_in_job_order() {
    let dir = tempfile::tempdir().unwrap();
    let (mut reader, batcher) = table(&dir);
    let (first, dropped, second) = (event(), event(), event());
    // One batch; the middle job fails on its own insert, and its event goes with it.
    let (a, again, b) = tokio::join!(
        insert(&batcher, "a", Some(&first)),
        insert(&batcher, "a", Some(&dropped)),
        insert(&batcher, "b", Some(&second))
    );
    assert!(a.is_ok() && b.is_ok());
    assert!(again.is_err());
    assert_eq!(events(&mut reader), [first.id.as_str(), second.id.as_str()]);

    // An event that cannot be added (its id is taken) fails its job when the batch adds
    // the events; the job's other writes roll back with it, and the rest commit.
    let third = event();
    let (taken, c) = tokio::join!(
        insert(&batcher, "x", Some(&first)),
        insert(&batcher, "c", Some(&third))
    );
    assert!(taken.is_err(), "an event id can be added once");
    c.unwrap();
    assert_eq!(rows(&mut reader), ["a", "b", "c"]);
    assert_eq!(
        events(&mut reader),
        [first.id.as_str(), second.id.as_str(), third.id.as_str()]
    );
}

#[tokio::test]
async fn a_commit_announces_the_merchants_whose_events_it_added() {
    let dir = tempfile::tempdir().unwrap();
    let (_reader, batcher) = table(&dir);
    let mut commits = batcher.subscribe();
    let (kept, dropped) = (event(), event());
    assert_ne!(kept.merchant_id, dropped.merchant_id);
    // The middle job fails, and its event with it: its merchant has nothing new to read.
    let (a, again, b) = tokio::join!(
        insert(&batcher, "a", Some(&kept)),
        insert(&batcher, "a", Some(&dropped)),
        insert(&batcher, "b", None)
    );
    assert!(a.is_ok() && b.is_ok() && again.is_err());
    // Announced before the jobs hear that they committed.
    let commit = commits.try_recv().unwrap();
    assert!(commit.has_events_of(&kept.merchant_id));
    assert!(!commit.has_events_of(&dropped.merchant_id));

    // A commit that adds no event is not announced.
    insert(&batcher, "c", None).await.unwrap();
    assert!(commits.try_recv().is_err());
}
