//! The fixture's `slow` module, whose migrations pause between statements: what each
//! creates, the check that a database matches its record, and the documented fix of an
//! interrupted one on MariaDB, for the crash, race and cluster suites.

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

/// The documented fix, done as a person would from `status`'s output: undo what an
/// interrupted `up` did (drop the tables it created), or put back what an interrupted
/// `down` undid (create again the tables it dropped, with their first row).
pub fn fix_by_hand(db: &TestDb, status: &str) {
    let rolling_back = status.contains("(interrupted, while rolling back)");
    let statements: Vec<&str> = status
        .lines()
        .filter_map(|line| {
            line.trim_start()
                .strip_prefix("took effect:")
                .or_else(|| line.trim_start().strip_prefix("may have:"))
        })
        .map(str::trim)
        .collect();
    let existing = db.tables();
    for statement in statements {
        let table = statement.split('`').nth(1).unwrap_or_default().to_owned();
        if !rolling_back && statement.starts_with("CREATE TABLE") && existing.contains(&table) {
            db.execute(&format!("DROP TABLE `{table}`"));
        }
        if rolling_back && statement.starts_with("DROP TABLE") && !existing.contains(&table) {
            db.execute(&format!(
                "CREATE TABLE `{table}` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `note` varchar(50) NULL)"
            ));
            if table == "slow_a1" {
                db.execute("INSERT INTO slow_a1 (note) VALUES ('first')");
            }
        }
    }
}
