//! Statements the connection prepares once and keeps (the migrations table's, the counters
//! the runner reads after each migration, the lock's): their text is the same at every
//! call, values are bound, so diesel's statement cache (keyed by the text) parses each
//! once per connection instead of at every call. `diesel::sql_query` cannot do that: its
//! text is never cached, and on MySQL each of its calls prepares the statement (a round
//! trip of its own), executes it and closes it, where a kept statement is only executed.

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::HasSqlType;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};
use diesel::{QueryResult, RunQueryDsl};
use std::marker::PhantomData;

/// One piece of a statement.
pub(crate) enum Part<'a> {
    /// SQL text.
    Sql(&'a str),
    /// A table's name, quoted the backend's way.
    Table(&'a str),
    /// A bound value.
    Text(&'a str),
    MaybeText(Option<&'a str>),
    Int(i32),
    BigInt(i64),
    Time(NaiveDateTime),
}

/// A statement of [`Part`]s whose rows are of SQL type `Row` (for a query).
pub(crate) struct Prepared<'a, Row = ()> {
    parts: Vec<Part<'a>>,
    row: PhantomData<Row>,
}

impl<'a, Row> Prepared<'a, Row> {
    pub(crate) fn new(parts: Vec<Part<'a>>) -> Self {
        Prepared {
            parts,
            row: PhantomData,
        }
    }

    /// `sql` with `value` bound where its one `?` stands (each backend writes its own
    /// placeholder there).
    #[cfg(any(feature = "postgres", feature = "mysql"))]
    pub(crate) fn binding(sql: &'a str, value: &'a str) -> Self {
        match sql.split_once('?') {
            Some((before, after)) => {
                Prepared::new(vec![Part::Sql(before), Part::Text(value), Part::Sql(after)])
            }
            None => Prepared::new(vec![Part::Sql(sql)]),
        }
    }
}

/// On any backend that binds arte's values: the connection that runs every backend
/// (`MultiBackend`), and one backend's own connection where a backend's code holds it.
impl<Row, DB> QueryFragment<DB> for Prepared<'_, Row>
where
    DB: Backend
        + HasSqlType<Text>
        + HasSqlType<Integer>
        + HasSqlType<BigInt>
        + HasSqlType<Timestamp>,
    str: ToSql<Text, DB>,
    for<'x> Option<&'x str>: ToSql<Nullable<Text>, DB>,
    i32: ToSql<Integer, DB>,
    i64: ToSql<BigInt, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        for part in &self.parts {
            match part {
                Part::Sql(sql) => out.push_sql(sql),
                Part::Table(name) => out.push_identifier(name)?,
                Part::Text(value) => out.push_bind_param::<Text, str>(value)?,
                Part::MaybeText(value) => out.push_bind_param::<Nullable<Text>, _>(value)?,
                Part::Int(value) => out.push_bind_param::<Integer, _>(value)?,
                Part::BigInt(value) => out.push_bind_param::<BigInt, _>(value)?,
                Part::Time(value) => out.push_bind_param::<Timestamp, _>(value)?,
            }
        }
        Ok(())
    }
}

impl<Row> QueryId for Prepared<'_, Row> {
    type QueryId = ();
    // No static id: diesel caches the statement by its text, which is what is wanted.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Row: 'static> Query for Prepared<'_, Row> {
    type SqlType = Row;
}

impl<Row, Conn> RunQueryDsl<Conn> for Prepared<'_, Row> {}

impl Prepared<'_, ()> {
    /// Runs the statement on the backend's own connection (see
    /// [`OnOwnConnection`](crate::backend::OnOwnConnection)), its values bound by the
    /// backend's own binder rather than first through `MultiBackend`'s (a tenth of a
    /// migrations table row's `INSERT` on SQLite, compiling included); returns how many
    /// rows changed.
    pub(crate) fn run(self, conn: &mut crate::backend::AnyConnection) -> QueryResult<usize> {
        conn.on_own(Run(self))
    }
}

/// [`Prepared::run`]'s work.
struct Run<'a>(Prepared<'a, ()>);

impl crate::backend::OnOwnConnection for Run<'_> {
    type Output = QueryResult<usize>;

    #[cfg(feature = "sqlite")]
    fn sqlite(self, conn: &mut diesel::SqliteConnection) -> Self::Output {
        self.0.execute(conn)
    }

    #[cfg(feature = "postgres")]
    fn postgres(self, conn: &mut diesel::PgConnection) -> Self::Output {
        self.0.execute(conn)
    }

    #[cfg(feature = "mysql")]
    fn mysql(self, conn: &mut diesel::MysqlConnection) -> Self::Output {
        self.0.execute(conn)
    }
}
