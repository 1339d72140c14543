//! The migrations table: one row per applied migration.

use crate::db::Db;
use crate::error::Result;
use chrono::NaiveDateTime;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};
use diesel::{QueryableByName, RunQueryDsl};

/// One applied migration, as stored.
#[derive(Debug, Clone, QueryableByName)]
pub(crate) struct Row {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub module: String,
    #[diesel(sql_type = Integer)]
    pub batch: i32,
    #[diesel(sql_type = Timestamp)]
    pub executed_at: NaiveDateTime,
    #[diesel(sql_type = BigInt)]
    pub duration_us: i64,
    #[diesel(sql_type = Text)]
    pub checksum: String,
}

/// A row about to be written.
pub(crate) struct NewRow<'a> {
    pub name: &'a str,
    pub module: &'a str,
    pub batch: i32,
    pub executed_at: NaiveDateTime,
    pub duration_us: i64,
    pub checksum: &'a str,
}

#[derive(Debug, Clone)]
pub(crate) struct Repository {
    table: String,
}

impl Repository {
    pub fn new(table: impl Into<String>) -> Self {
        Repository {
            table: table.into(),
        }
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Creates the table on first use.
    pub fn ensure(&self, db: &mut Db) -> Result<()> {
        db.schema()
            .create_table(&self.table)
            .if_not_exists()
            .add_id_column()
            .add_column("name", "varchar(255)", |c| c.not_null())
            .add_column("module", "varchar(255)", |c| c.not_null())
            .add_column("batch", "integer", |c| c.not_null())
            .add_column("executed_at", "timestamp", |c| c.not_null())
            .add_column("duration_us", "bigint", |c| c.not_null())
            .add_column("checksum", "varchar(64)", |c| c.not_null())
            .add_unique(&["module", "name"])
            .execute()?;
        db.take_executed();
        Ok(())
    }

    fn quoted(&self, db: &Db) -> String {
        db.dialect().quote(&self.table)
    }

    pub fn rows(&self, db: &mut Db) -> Result<Vec<Row>> {
        let sql = format!(
            "SELECT id, name, module, batch, executed_at, duration_us, checksum FROM {} ORDER BY id",
            self.quoted(db)
        );
        let rows = diesel::sql_query(&sql).load::<Row>(db.connection())?;
        Ok(rows)
    }

    pub fn contains(&self, db: &mut Db, module: &str, name: &str) -> Result<bool> {
        let dialect = db.dialect();
        let sql = format!(
            "SELECT id, name, module, batch, executed_at, duration_us, checksum FROM {} WHERE module = {} AND name = {}",
            self.quoted(db),
            dialect.placeholder(1),
            dialect.placeholder(2)
        );
        let rows = diesel::sql_query(&sql)
            .bind::<Text, _>(module)
            .bind::<Text, _>(name)
            .load::<Row>(db.connection())?;
        Ok(!rows.is_empty())
    }

    pub fn insert(&self, db: &mut Db, row: &NewRow<'_>) -> Result<()> {
        let dialect = db.dialect();
        let values: Vec<String> = (1..=6).map(|n| dialect.placeholder(n)).collect();
        let sql = format!(
            "INSERT INTO {} (name, module, batch, executed_at, duration_us, checksum) VALUES ({})",
            self.quoted(db),
            values.join(", ")
        );
        diesel::sql_query(&sql)
            .bind::<Text, _>(row.name)
            .bind::<Text, _>(row.module)
            .bind::<Integer, _>(row.batch)
            .bind::<Timestamp, _>(row.executed_at)
            .bind::<BigInt, _>(row.duration_us)
            .bind::<Text, _>(row.checksum)
            .execute(db.connection())?;
        Ok(())
    }

    pub fn delete(&self, db: &mut Db, id: i64) -> Result<()> {
        let sql = format!(
            "DELETE FROM {} WHERE id = {}",
            self.quoted(db),
            db.dialect().placeholder(1)
        );
        diesel::sql_query(&sql)
            .bind::<BigInt, _>(id)
            .execute(db.connection())?;
        Ok(())
    }
}
