//! Values a contract must carry unchanged on every backend.
//!
//! `BigDecimal` fields: PostgreSQL and MySQL/MariaDB keep a decimal exactly; SQLite keeps
//! one as a double, so a value of up to 15 significant digits reads back as written, and
//! one of more is refused rather than stored altered.
//!
//! `NaiveDateTime` fields: any moment from year 1000 to 9999 round-trips, on MySQL and
//! MariaDB too, whose `datetime` column holds them all (a value bound as a TIMESTAMP was
//! stored as NULL outside 1970-2038).

use arte_core::contract::BigDecimal;
use arte_core::contract::check::check;
use arte_core::contract::sql_types::{DecimalValue, NaiveValue};
use arte_core::prelude::*;
use arte_core::table;
use arte_tests::{Kind, TestDb, ok, per_backend, refused};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::str::FromStr;

#[derive(Debug)]
#[table(name = "prices")]
pub struct Price {
    pub id: Generated<i64>,
    #[column(type = "decimal(10, 2)")]
    pub amount: BigDecimal,
    #[column(type = "decimal(10, 2)")]
    pub maybe_amount: Option<BigDecimal>,
    #[column(type = "decimal(30, 10)")]
    pub wide: BigDecimal,
    #[column(type = "decimal(30, 10)")]
    pub maybe_wide: Option<BigDecimal>,
}

#[table(name = "moments")]
pub struct Moment {
    pub id: Generated<i64>,
    pub at: NaiveDateTime,
    pub maybe_at: Option<NaiveDateTime>,
}

arte_core::database!(prices, moments);

per_backend!(
    decimals_round_trip_exactly_through_create_and_update,
    a_decimal_sqlite_cannot_hold_is_refused_and_kept_exactly_elsewhere,
    decimals_stored_without_the_contract_read_back_as_their_shortest_form,
    a_decimal_column_filters_sums_and_orders_in_queries,
    moments_from_year_1000_to_9999_round_trip_through_create_and_update,
    a_moment_column_filters_on_any_moment_through_its_wrapper,
);

fn decimal(text: &str) -> BigDecimal {
    BigDecimal::from_str(text).unwrap_or_else(|e| panic!("{text} is not a decimal: {e}"))
}

/// Equal as numbers, and written with the same digits.
#[track_caller]
fn assert_same(read: &BigDecimal, written: &BigDecimal, what: &str) {
    assert_eq!(read, written, "{what}");
    assert_eq!(
        read.normalized().to_string(),
        written.normalized().to_string(),
        "{what}: its digits"
    );
}

/// Each fits `decimal(10, 2)`.
const NARROW: [&str; 6] = ["12345678.99", "-99999999.99", "0.01", "-999.99", "1.5", "0"];

/// Fifteen significant digits: `decimal(30, 10)` only.
const FIFTEEN_DIGITS: &str = "123456789012345";

/// Thirty significant digits.
const THIRTY_DIGITS: &str = "12345678901234567890.0123456789";

fn create_prices(db: &mut Db) {
    ok(db
        .schema()
        .create_table("prices")
        .add_id_column()
        .add_column("amount", "decimal(10, 2)", |c| c.not_null())
        .add_column("maybe_amount", "decimal(10, 2)", |c| c)
        .add_column("wide", "decimal(30, 10)", |c| c.not_null())
        .add_column("maybe_wide", "decimal(30, 10)", |c| c)
        .execute());
    assert_eq!(ok(check(db, &[Price::contract()])), []);
}

fn create_moments(db: &mut Db) {
    ok(db
        .schema()
        .create_table("moments")
        .add_id_column()
        .add_column("at", "timestamp", |c| c.not_null())
        .add_column("maybe_at", "timestamp", |c| c)
        .execute());
    assert_eq!(ok(check(db, &[Moment::contract()])), []);
}

fn find_price(db: &mut Db, id: i64) -> Price {
    ok(Price::find(db.connection(), id)).unwrap_or_else(|| panic!("price {id} is gone"))
}

fn decimals_round_trip_exactly_through_create_and_update(test: &TestDb) {
    let mut db = test.db();
    create_prices(&mut db);
    let narrow: Vec<BigDecimal> = NARROW.iter().map(|t| decimal(t)).collect();
    let wide: Vec<BigDecimal> = NARROW
        .iter()
        .chain([&FIFTEEN_DIGITS])
        .map(|t| decimal(t))
        .collect();

    let mut ids = Vec::new();
    for (i, value) in wide.iter().enumerate() {
        let amount = narrow[i % narrow.len()].clone();
        let new = NewPrice {
            amount: amount.clone(),
            maybe_amount: Some(amount.clone()),
            wide: value.clone(),
            maybe_wide: Some(value.clone()),
        };
        let created = ok(Price::create(db.connection(), &new));
        for (read, written, what) in [
            (&created.amount, &amount, "amount"),
            (&created.wide, value, "wide"),
        ] {
            assert_same(read, written, &format!("{what} {written} as created"));
        }
        assert_eq!(created.maybe_amount.as_ref(), Some(&amount), "{amount}");
        assert_eq!(created.maybe_wide.as_ref(), Some(value), "{value}");

        let found = find_price(&mut db, created.id);
        assert_same(&found.amount, &amount, &format!("{amount} as found"));
        assert_same(&found.wide, value, &format!("{value} as found"));
        for (read, written) in [(&found.maybe_amount, &amount), (&found.maybe_wide, value)] {
            let read = read
                .as_ref()
                .unwrap_or_else(|| panic!("{written} read as NULL"));
            assert_same(read, written, &format!("nullable {written} as found"));
        }
        ids.push(created.id);
    }

    // Each row takes another row's values by update; the nullable columns are emptied.
    for (i, id) in ids.iter().enumerate() {
        let amount = narrow[(i + 1) % narrow.len()].clone();
        let value = wide[(i + 1) % wide.len()].clone();
        let changes = PriceChanges {
            amount: Some(amount.clone()),
            maybe_amount: Some(None),
            wide: Some(value.clone()),
            maybe_wide: Some(None),
        };
        let updated = ok(Price::update(db.connection(), *id, &changes))
            .unwrap_or_else(|| panic!("price {id} is gone"));
        assert_same(&updated.amount, &amount, &format!("{amount} as updated"));
        assert_same(&updated.wide, &value, &format!("{value} as updated"));
        assert_eq!((updated.maybe_amount, updated.maybe_wide), (None, None));

        let changes = PriceChanges {
            maybe_amount: Some(Some(amount.clone())),
            maybe_wide: Some(Some(value.clone())),
            ..PriceChanges::default()
        };
        ok(Price::update(db.connection(), *id, &changes));
        let found = find_price(&mut db, *id);
        for (read, written) in [(&found.maybe_amount, &amount), (&found.maybe_wide, &value)] {
            let read = read
                .as_ref()
                .unwrap_or_else(|| panic!("{written} read as NULL"));
            assert_same(read, written, &format!("nullable {written} as updated"));
        }
    }
}

fn a_decimal_sqlite_cannot_hold_is_refused_and_kept_exactly_elsewhere(test: &TestDb) {
    let mut db = test.db();
    create_prices(&mut db);
    let kept = ok(Price::create(
        db.connection(),
        &NewPrice {
            amount: decimal("1.5"),
            maybe_amount: None,
            wide: decimal("1.5"),
            maybe_wide: None,
        },
    ));
    let thirty = decimal(THIRTY_DIGITS);
    let new = NewPrice {
        amount: decimal("1.5"),
        maybe_amount: None,
        wide: thirty.clone(),
        maybe_wide: Some(thirty.clone()),
    };
    let changes = PriceChanges {
        maybe_wide: Some(Some(thirty.clone())),
        ..PriceChanges::default()
    };

    if test.kind() != Kind::Sqlite {
        let created = ok(Price::create(db.connection(), &new));
        assert_same(&created.wide, &thirty, "thirty digits as created");
        let updated = ok(Price::update(db.connection(), kept.id, &changes))
            .unwrap_or_else(|| panic!("the row is there"));
        let read = updated.maybe_wide.unwrap_or_else(|| panic!("read as NULL"));
        assert_same(&read, &thirty, "thirty digits as updated");
        return;
    }

    assert_eq!(
        refused(Price::create(db.connection(), &new)),
        "the decimal 12345678901234567890.0123456789 has 30 significant digits and SQLite \
         keeps 15 significant digits of a decimal: keep decimals of this size on PostgreSQL \
         or MySQL, which store them exactly, or round it to 15 significant digits"
    );
    let message = refused(Price::update(db.connection(), kept.id, &changes));
    assert!(message.contains(THIRTY_DIGITS), "{message}");
    // Nothing was stored: the refused row is not there, the updated one unchanged.
    assert_eq!(test.count("prices"), 1);
    assert_eq!(find_price(&mut db, kept.id).maybe_wide, None);

    // Sixteen digits are refused too, whole or not.
    for text in [
        "1234567890123456.7",
        "0.1234567890123456",
        "1234567890123456",
    ] {
        let new = NewPrice {
            wide: decimal(text),
            ..new.clone()
        };
        let message = refused(Price::create(db.connection(), &new));
        assert!(message.contains(text), "{text} in: {message}");
    }
    assert_eq!(test.count("prices"), 1);
}

/// SQLite: values another writer stored (a REAL, an INTEGER, text) read back as the
/// shortest decimal that gives the same double; elsewhere the column's own value.
fn decimals_stored_without_the_contract_read_back_as_their_shortest_form(test: &TestDb) {
    let mut db = test.db();
    create_prices(&mut db);
    test.execute(
        "INSERT INTO prices (amount, maybe_amount, wide, maybe_wide) \
         VALUES (12345678.99, 0.01, 42, NULL)",
    );
    let row = ok(Price::query()
        .select(Price::selection())
        .first(db.connection())
        .map_err(arte_core::Error::from));
    assert_same(&row.amount, &decimal("12345678.99"), "a REAL");
    assert_same(
        row.maybe_amount.as_ref().unwrap_or_else(|| panic!("NULL")),
        &decimal("0.01"),
        "a small REAL",
    );
    assert_same(&row.wide, &decimal("42"), "an INTEGER");
    assert_eq!(row.maybe_wide, None);

    if test.kind() == Kind::Sqlite {
        // Text, as a TEXT column keeps it: read as written.
        test.execute("CREATE TABLE loose (v text)");
        test.execute("INSERT INTO loose (v) VALUES ('0.10'), ('1e3')");
        let texts: Vec<BigDecimal> = ok(diesel::sql_query("SELECT v FROM loose ORDER BY rowid")
            .load::<Loose>(db.connection())
            .map_err(arte_core::Error::from))
        .into_iter()
        .map(|row| row.v)
        .collect();
        assert_eq!(texts, [decimal("0.1"), decimal("1000")]);
        test.execute("INSERT INTO loose (v) VALUES ('ten')");
        let message = ok(diesel::sql_query("SELECT v FROM loose WHERE v = 'ten'")
            .load::<Loose>(db.connection())
            .err()
            .map(|e| e.to_string())
            .ok_or_else(|| arte_core::Error::msg("'ten' read as a decimal")));
        assert_eq!(
            message,
            "a decimal column holds the text \"ten\", which is not a number: set it to a number"
        );
    }
}

/// A row of `SELECT v`, read as a decimal.
#[derive(QueryableByName)]
struct Loose {
    #[diesel(sql_type = arte_core::contract::sql_types::Decimal, deserialize_as = DecimalValue)]
    v: BigDecimal,
}

fn a_decimal_column_filters_sums_and_orders_in_queries(test: &TestDb) {
    let mut db = test.db();
    create_prices(&mut db);
    for text in ["12345678.99", "0.01", "-999.99"] {
        ok(Price::create(
            db.connection(),
            &NewPrice {
                amount: decimal(text),
                maybe_amount: None,
                wide: decimal(text),
                maybe_wide: None,
            },
        ));
    }
    let conn = db.connection();
    let found: Vec<BigDecimal> = ok(prices::table
        .filter(prices::amount.eq(DecimalValue(decimal("0.01"))))
        .select(prices::wide)
        .load(conn)
        .map_err(arte_core::Error::from));
    assert_eq!(found, [decimal("0.01")]);
    let ordered: Vec<BigDecimal> = ok(prices::table
        .filter(prices::amount.gt(DecimalValue(decimal("-1"))))
        .order(prices::amount.desc())
        .select(prices::amount)
        .load(conn)
        .map_err(arte_core::Error::from));
    assert_eq!(ordered, [decimal("12345678.99"), decimal("0.01")]);
    let total: Option<BigDecimal> = ok(prices::table
        .select(diesel::dsl::sum(prices::amount))
        .first(conn)
        .map_err(arte_core::Error::from));
    assert_eq!(total, Some(decimal("12344679.01")));
}

fn moment(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|day| day.and_hms_opt(h, mi, s))
        .unwrap_or_else(|| panic!("no such moment"))
}

fn moments() -> [NaiveDateTime; 5] {
    [
        moment(1000, 1, 1, 0, 0, 0),
        moment(1500, 6, 15, 10, 0, 0),
        moment(1969, 12, 31, 23, 59, 59),
        moment(2038, 1, 19, 3, 14, 8),
        moment(9999, 12, 31, 23, 59, 59),
    ]
}

fn moments_from_year_1000_to_9999_round_trip_through_create_and_update(test: &TestDb) {
    let mut db = test.db();
    create_moments(&mut db);
    let all = moments();
    let mut ids = Vec::new();
    for at in all {
        let created = ok(Moment::create(
            db.connection(),
            &NewMoment {
                at,
                maybe_at: Some(at),
            },
        ));
        assert_eq!(
            (created.at, created.maybe_at),
            (at, Some(at)),
            "{at} as created"
        );
        let found =
            ok(Moment::find(db.connection(), created.id)).unwrap_or_else(|| panic!("{at} is gone"));
        assert_eq!((found.at, found.maybe_at), (at, Some(at)), "{at} as found");
        ids.push(created.id);
    }
    if test.kind() == Kind::Mysql {
        assert_eq!(
            test.strings("SELECT CAST(at AS CHAR) AS v FROM moments ORDER BY id"),
            [
                "1000-01-01 00:00:00",
                "1500-06-15 10:00:00",
                "1969-12-31 23:59:59",
                "2038-01-19 03:14:08",
                "9999-12-31 23:59:59",
            ]
        );
    }

    for (i, id) in ids.iter().enumerate() {
        let at = all[(i + 1) % all.len()];
        let changes = MomentChanges {
            at: Some(at),
            maybe_at: Some(None),
        };
        let updated = ok(Moment::update(db.connection(), *id, &changes))
            .unwrap_or_else(|| panic!("moment {id} is gone"));
        assert_eq!(
            (updated.at, updated.maybe_at),
            (at, None),
            "{at} as updated"
        );
        let changes = MomentChanges {
            at: None,
            maybe_at: Some(Some(at)),
        };
        ok(Moment::update(db.connection(), *id, &changes));
        let found =
            ok(Moment::find(db.connection(), *id)).unwrap_or_else(|| panic!("moment {id} is gone"));
        assert_eq!(
            (found.at, found.maybe_at),
            (at, Some(at)),
            "{at} as updated"
        );
    }
}

fn a_moment_column_filters_on_any_moment_through_its_wrapper(test: &TestDb) {
    let mut db = test.db();
    create_moments(&mut db);
    let in_range = moment(2026, 5, 6, 7, 8, 9);
    for at in moments().into_iter().chain([in_range]) {
        ok(Moment::create(
            db.connection(),
            &NewMoment {
                at,
                maybe_at: Some(at),
            },
        ));
    }
    let conn = db.connection();
    for at in moments() {
        let found: Vec<NaiveDateTime> = ok(moments::table
            .filter(moments::at.eq(NaiveValue(at)))
            .select(moments::at)
            .load(conn)
            .map_err(arte_core::Error::from));
        assert_eq!(found, [at], "{at}");
    }
    let before_1970: i64 = ok(moments::table
        .filter(moments::at.lt(NaiveValue(moment(1970, 1, 1, 0, 0, 0))))
        .count()
        .get_result(conn)
        .map_err(arte_core::Error::from));
    assert_eq!(before_1970, 3);
    let on_the_nullable: i64 = ok(moments::table
        .filter(moments::maybe_at.eq(NaiveValue(moment(1000, 1, 1, 0, 0, 0))))
        .count()
        .get_result(conn)
        .map_err(arte_core::Error::from));
    assert_eq!(on_the_nullable, 1);
    // A query written before, with a moment in 1970-2038 as is, still compiles and runs.
    let found: Vec<NaiveDateTime> = ok(moments::table
        .filter(moments::at.eq(in_range))
        .select(moments::at)
        .load(conn)
        .map_err(arte_core::Error::from));
    assert_eq!(found, [in_range]);
}
