//! One SQL set for both engines: a statement and its arguments as plain
//! values ([`Sql`]), run on whichever engine the database has, inside a
//! transaction ([`Tx`]) or on the pool ([`Db`]); the rows come back as
//! [`Row`]. The engines differ only here and in [`Db::open`].

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Database, Decode, Encode, Postgres, Sqlite, Type};

use super::{Columns, Db, Pool};
use crate::error::ApiResult;

/// A value bound to a statement's `$n`.
#[derive(Clone, Debug)]
pub(crate) enum Arg {
    Int(Option<i64>),
    Flag(Option<bool>),
    Text(Option<String>),
    Bytes(Vec<u8>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Self::Int(Some(v))
    }
}

impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Self::Int(v)
    }
}

impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Self::Flag(Some(v))
    }
}

impl From<Option<bool>> for Arg {
    fn from(v: Option<bool>) -> Self {
        Self::Flag(v)
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Self::Text(Some(v))
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Self::Text(Some(v.to_owned()))
    }
}

impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Self::Text(v)
    }
}

impl From<Vec<u8>> for Arg {
    fn from(v: Vec<u8>) -> Self {
        Self::Bytes(v)
    }
}

/// A statement with its arguments, in `$1, $2...` order.
#[derive(Clone, Debug)]
#[must_use = "a statement does nothing until a Tx or the Db runs it"]
pub(crate) struct Sql {
    text: &'static str,
    args: Vec<Arg>,
}

/// The statement `text`, without arguments yet.
pub(crate) fn sql(text: &'static str) -> Sql {
    Sql {
        text,
        args: Vec::new(),
    }
}

impl Sql {
    /// Binds the next `$n`.
    pub(crate) fn bind(mut self, value: impl Into<Arg>) -> Self {
        self.args.push(value.into());
        self
    }

    /// The statement as the engine `DB` runs it.
    fn on<DB>(self) -> sqlx::query::Query<'static, DB, DB::Arguments>
    where
        DB: Database,
        Option<i64>: for<'e> Encode<'e, DB> + Type<DB>,
        Option<bool>: for<'e> Encode<'e, DB> + Type<DB>,
        Option<String>: for<'e> Encode<'e, DB> + Type<DB>,
        Vec<u8>: for<'e> Encode<'e, DB> + Type<DB>,
    {
        self.args
            .into_iter()
            .fold(sqlx::query(self.text), |query, arg| match arg {
                Arg::Int(v) => query.bind(v),
                Arg::Flag(v) => query.bind(v),
                Arg::Text(v) => query.bind(v),
                Arg::Bytes(v) => query.bind(v),
            })
    }
}

/// A row of either engine.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    fn get<T>(&self, column: &str) -> ApiResult<T>
    where
        T: for<'r> Decode<'r, Sqlite>
            + Type<Sqlite>
            + for<'r> Decode<'r, Postgres>
            + Type<Postgres>,
    {
        use sqlx::Row as _;
        Ok(match self {
            Self::Sqlite(row) => row.try_get(column)?,
            Self::Postgres(row) => row.try_get(column)?,
        })
    }

    /// A BLOB / BYTEA column.
    pub(crate) fn bytes(&self, column: &str) -> ApiResult<Vec<u8>> {
        self.get(column)
    }
}

impl Columns for Row {
    fn int(&self, column: &str) -> ApiResult<i64> {
        self.get(column)
    }
    fn opt_int(&self, column: &str) -> ApiResult<Option<i64>> {
        self.get(column)
    }
    fn text(&self, column: &str) -> ApiResult<String> {
        self.get(column)
    }
    fn opt_text(&self, column: &str) -> ApiResult<Option<String>> {
        self.get(column)
    }
    fn flag(&self, column: &str) -> ApiResult<bool> {
        self.get(column)
    }
    fn opt_flag(&self, column: &str) -> ApiResult<Option<bool>> {
        self.get(column)
    }
}

/// What a statement run for its effect changed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Executed(u64);

impl Executed {
    pub(crate) fn rows_affected(self) -> u64 {
        self.0
    }
}

/// An open transaction of either engine. Dropped without
/// [`Tx::commit`], it rolls back.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub(crate) async fn execute(&mut self, sql: Sql) -> Result<Executed, sqlx::Error> {
        let rows = match self {
            Self::Sqlite(tx) => sql.on().execute(&mut **tx).await?.rows_affected(),
            Self::Postgres(tx) => sql.on().execute(&mut **tx).await?.rows_affected(),
        };
        Ok(Executed(rows))
    }

    pub(crate) async fn fetch_one(&mut self, sql: Sql) -> Result<Row, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(tx) => Row::Sqlite(sql.on().fetch_one(&mut **tx).await?),
            Self::Postgres(tx) => Row::Postgres(sql.on().fetch_one(&mut **tx).await?),
        })
    }

    pub(crate) async fn fetch_all(&mut self, sql: Sql) -> Result<Vec<Row>, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(tx) => rows(sql.on().fetch_all(&mut **tx).await?, Row::Sqlite),
            Self::Postgres(tx) => rows(sql.on().fetch_all(&mut **tx).await?, Row::Postgres),
        })
    }

    pub(crate) async fn fetch_optional(&mut self, sql: Sql) -> Result<Option<Row>, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(tx) => sql.on().fetch_optional(&mut **tx).await?.map(Row::Sqlite),
            Self::Postgres(tx) => sql.on().fetch_optional(&mut **tx).await?.map(Row::Postgres),
        })
    }

    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(tx) => tx.commit().await?,
            Self::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    pub(crate) async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(tx) => tx.rollback().await?,
            Self::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }
}

fn rows<R>(rows: Vec<R>, wrap: fn(R) -> Row) -> Vec<Row> {
    rows.into_iter().map(wrap).collect()
}

/// Statements run on the pool, each on its own (no transaction).
impl Db {
    /// Opens a transaction (see [`Db::transaction`] and [`Db::write`] for
    /// the writes' recipe).
    pub(crate) async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Pool::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub(crate) async fn execute(&self, sql: Sql) -> Result<Executed, sqlx::Error> {
        let rows = match &self.pool {
            Pool::Sqlite(pool) => sql.on().execute(pool).await?.rows_affected(),
            Pool::Postgres(pool) => sql.on().execute(pool).await?.rows_affected(),
        };
        Ok(Executed(rows))
    }

    pub(crate) async fn fetch_one(&self, sql: Sql) -> Result<Row, sqlx::Error> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => Row::Sqlite(sql.on().fetch_one(pool).await?),
            Pool::Postgres(pool) => Row::Postgres(sql.on().fetch_one(pool).await?),
        })
    }

    pub(crate) async fn fetch_optional(&self, sql: Sql) -> Result<Option<Row>, sqlx::Error> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => sql.on().fetch_optional(pool).await?.map(Row::Sqlite),
            Pool::Postgres(pool) => sql.on().fetch_optional(pool).await?.map(Row::Postgres),
        })
    }

    pub(crate) async fn fetch_all(&self, sql: Sql) -> Result<Vec<Row>, sqlx::Error> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => rows(sql.on().fetch_all(pool).await?, Row::Sqlite),
            Pool::Postgres(pool) => rows(sql.on().fetch_all(pool).await?, Row::Postgres),
        })
    }
}
