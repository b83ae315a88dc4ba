//! What both backends share below the SQL: a query as a value ([`Sql`]: text with `$1, $2, …`
//! placeholders and its arguments), rows decoded column by column in select order
//! ([`FromRow`] over [`Columns`]), and the connection a transaction runs on ([`Tx`]). The
//! reads and writes are written once against these; each backend implements them for its
//! driver (sqlx for PostgreSQL, rusqlite for SQLite).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::future::Future;

use crate::storage::StoreError;

/// A query: its text, with a numbered placeholder for each argument.
#[derive(Debug)]
pub(crate) struct Sql<'a> {
    pub(crate) text: Cow<'static, str>,
    pub(crate) args: Vec<Arg<'a>>,
}

/// One argument. Nulls are typed: PostgreSQL wants to know what a NULL is.
#[derive(Debug, Clone)]
pub(crate) enum Arg<'a> {
    Str(Option<Cow<'a, str>>),
    Int(Option<i64>),
    Blob(&'a [u8]),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(Some(Cow::Borrowed(s)))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(s: Option<&'a str>) -> Self {
        Arg::Str(s.map(Cow::Borrowed))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Str(Some(Cow::Owned(s)))
    }
}

impl From<Option<String>> for Arg<'_> {
    fn from(s: Option<String>) -> Self {
        Arg::Str(s.map(Cow::Owned))
    }
}

impl From<i64> for Arg<'_> {
    fn from(i: i64) -> Self {
        Arg::Int(Some(i))
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(i: Option<i64>) -> Self {
        Arg::Int(i)
    }
}

impl<'a> From<&'a [u8]> for Arg<'a> {
    fn from(b: &'a [u8]) -> Self {
        Arg::Blob(b)
    }
}

impl<'a> Sql<'a> {
    pub(crate) fn new(text: impl Into<Cow<'static, str>>) -> Self {
        Self {
            text: text.into(),
            args: Vec::new(),
        }
    }

    /// The argument for the next placeholder already in the text.
    pub(crate) fn arg(mut self, arg: impl Into<Arg<'a>>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Appends text.
    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.to_mut().push_str(text);
        self
    }

    /// Appends the next placeholder and its argument.
    pub(crate) fn param(&mut self, arg: impl Into<Arg<'a>>) -> &mut Self {
        self.args.push(arg.into());
        let _ = write!(self.text.to_mut(), "${}", self.args.len());
        self
    }

    /// `$1, $2, …` for each value, as in `IN (…)`.
    pub(crate) fn params<T: Into<Arg<'a>>>(
        &mut self,
        values: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.param(value);
        }
        self
    }
}

/// A row's columns, read in select order.
pub(crate) trait Columns {
    fn opt_text(&mut self) -> Result<Option<String>, StoreError>;
    fn opt_int(&mut self) -> Result<Option<i64>, StoreError>;
    fn blob(&mut self) -> Result<Vec<u8>, StoreError>;

    fn text(&mut self) -> Result<String, StoreError> {
        self.opt_text()?
            .ok_or_else(|| StoreError::Corrupt("unexpected NULL text".into()))
    }

    fn int(&mut self) -> Result<i64, StoreError> {
        self.opt_int()?
            .ok_or_else(|| StoreError::Corrupt("unexpected NULL integer".into()))
    }
}

/// A value decoded from the next columns of a row.
pub(crate) trait FromRow: Sized + Send + 'static {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError>;
}

impl FromRow for i64 {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        row.int()
    }
}

impl FromRow for String {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        row.text()
    }
}

impl FromRow for Option<i64> {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        row.opt_int()
    }
}

impl FromRow for Option<String> {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        row.opt_text()
    }
}

impl<A: FromRow, B: FromRow> FromRow for (A, B) {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        Ok((A::from_row(row)?, B::from_row(row)?))
    }
}

/// A connection a transaction runs on. The writes are written once against it; what the
/// backends do differently is said by its constants.
pub(crate) trait Tx: Send {
    /// The database system, as traces name it.
    const SYSTEM: &'static str;
    /// Whether one statement may write several tables (data-modifying `WITH`), so writes
    /// that go together take one round trip: PostgreSQL. SQLite runs in paycore's process,
    /// where a statement costs no round trip.
    const CHAINS_WRITES: bool;

    /// Runs statements without arguments (several, `;`-separated, in one round trip).
    fn batch(&mut self, sql: &str) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Told after each commit of a write batch.
    fn committed(&mut self) {}

    /// Runs a statement; how many rows it changed.
    fn execute(&mut self, sql: &Sql<'_>) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Runs a query; its rows.
    fn fetch<T: FromRow>(
        &mut self,
        sql: &Sql<'_>,
    ) -> impl Future<Output = Result<Vec<T>, StoreError>> + Send;

    /// The query's first row, if any.
    fn fetch_optional<T: FromRow>(
        &mut self,
        sql: &Sql<'_>,
    ) -> impl Future<Output = Result<Option<T>, StoreError>> + Send {
        async move { Ok(first(self.fetch(sql).await?)) }
    }

    /// The query's one row.
    fn fetch_one<T: FromRow>(
        &mut self,
        sql: &Sql<'_>,
    ) -> impl Future<Output = Result<T, StoreError>> + Send {
        async move { the_row(self.fetch(sql).await?) }
    }
}

/// The first of a query's rows, if any.
pub(crate) fn first<T>(rows: Vec<T>) -> Option<T> {
    rows.into_iter().next()
}

/// The row a query always returns (an aggregate, or `RETURNING` from a row that exists).
pub(crate) fn the_row<T>(rows: Vec<T>) -> Result<T, StoreError> {
    first(rows)
        .ok_or_else(|| StoreError::Corrupt("a query expected to return a row did not".into()))
}
