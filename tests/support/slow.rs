//! The fixture's `slow` module, whose migrations pause between statements: what each
//! creates, and the check that a database matches its record, for the crash and race
//! suites.

use crate::TestDb;

/// The `slow` module's migrations, in order, with the tables each creates.
pub const SLOW: [(&str, &[&str]); 4] = [
    (
        "2026_03_01_00_00_create_tables_slow_a",
        &["slow_a1", "slow_a2"],
    ),
    (
        "2026_03_01_00_01_create_tables_slow_b",
        &["slow_b1", "slow_b2"],
    ),
    ("2026_03_01_00_02_seed_slow_a1", &[]),
    (
        "2026_03_01_00_03_create_tables_slow_d",
        &["slow_d1", "slow_d2"],
    ),
];

/// The migrations of `slow` recorded as applied, in the order they were applied (none
/// when there is no migrations table yet).
pub fn applied(db: &TestDb) -> Vec<String> {
    if !db.tables().contains(&"migrations".to_owned()) {
        return Vec::new();
    }
    db.strings(
        "SELECT name AS v FROM migrations WHERE module = 'slow' AND state = 'applied' ORDER BY id",
    )
}

/// The database matches the record: the applied migrations are the first ones in order,
/// with no gap, their tables exist and no others, and the seed's rows exist exactly when
/// the seed is applied.
pub fn assert_consistent(db: &TestDb, when: &str) {
    let applied = applied(db);
    let order: Vec<&str> = SLOW.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        applied,
        order[..applied.len()],
        "{when}: applied in order, with no gap"
    );
    let mut expected: Vec<String> = SLOW[..applied.len()]
        .iter()
        .flat_map(|(_, tables)| tables.iter().map(|t| (*t).to_owned()))
        .collect();
    expected.sort();
    let tables: Vec<String> = db
        .tables()
        .into_iter()
        .filter(|t| t.starts_with("slow_"))
        .collect();
    assert_eq!(tables, expected, "{when}: tables == recorded");
    if !applied.is_empty() {
        let seeded = applied.len() > 2;
        assert_eq!(
            db.count("slow_a1"),
            if seeded { 4 } else { 1 },
            "{when}: slow_a1's rows"
        );
    }
}
