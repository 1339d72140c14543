use arte_core::contract::BigDecimal;
use arte_core::prelude::*;
use arte_core::table;
use chrono::NaiveDateTime;

#[table(name = "users", timestamps, unique(team_id, name), index(name, created_at))]
pub struct User {
    pub id: Generated<i64>,
    #[column(unique, type = "varchar(255)")]
    pub email: String,
    #[column(type = "varchar(120)")]
    pub name: String,
    #[column(index)]
    pub team_id: i64,
}

#[table(name = "orders")]
pub struct Order {
    pub id: Generated<i64>,
    #[column(references = "users.id", on_delete = "cascade", on_update = "restrict")]
    pub user_id: i64,
    #[column(references = "users", on_delete = "set_null")]
    pub referrer_id: Option<i64>,
    #[column(type = "decimal(10, 2)", default = 0)]
    pub total: BigDecimal,
    #[column(default = -1.5)]
    pub rating: f64,
    #[column(default = false)]
    pub paid: bool,
    #[column(name = "state", type = "char(8)", default = "new")]
    pub status: String,
    #[column(type = "jsonb")]
    pub details: Option<serde_json::Value>,
    #[column(default_raw = "CURRENT_TIMESTAMP")]
    pub placed_at: NaiveDateTime,
}

arte_core::database!(users, orders);

fn totals(conn: &mut AnyConnection) -> Result<Vec<(String, BigDecimal)>> {
    use diesel::prelude::*;
    Ok(orders::table
        .inner_join(users::table.on(users::id.eq(orders::user_id)))
        .select((users::email, orders::total))
        .load(conn)?)
}

fn main() {
    let _ = totals;
    let _ = NewOrder {
        user_id: 1,
        referrer_id: None,
        total: BigDecimal::from(12),
        rating: 4.5,
        paid: false,
        status: "new".into(),
        details: None,
        placed_at: arte_core::__private::now(),
    };
}
