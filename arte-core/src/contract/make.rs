//! The contracts and the migrations, compared on a scratch database: the migration that
//! takes the schema the migrations build to the one the contracts declare
//! ([`plan_migration`]), and the differences between the two ([`check_migrations`]).

use super::check::{Difference, compare};
use super::compare::{
    counted_indexes, desired, refuse_actions, same_column, same_index, same_name,
};
use super::diff::{self, Renames};
use super::generate::{self, Stmt};
use super::scratch::Scratch;
use super::{ContractError, TableContract};
use crate::backend::{CatalogTable, Dialect};
use crate::db::Db;
use crate::error::Result;
use crate::migrator::{DEFAULT_TABLE, Migrator};
use crate::registry::{Filter, Registry};
use crate::url::DatabaseUrl;
use arte_vocab::name::table_belongs_to;

/// What [`plan_migration`] is asked to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generate {
    name: String,
    module: Option<String>,
    renames: Renames,
    migrations_table: String,
    modules: Option<Vec<String>>,
}

impl Generate {
    /// A core migration named `name` (`2026_01_01_00_00_add_sku_to_items`), no renames,
    /// the migrations table `migrations`, every module enabled.
    pub fn new(name: impl Into<String>) -> Generate {
        Generate {
            name: name.into(),
            module: None,
            renames: Renames::none(),
            migrations_table: DEFAULT_TABLE.to_owned(),
            modules: None,
        }
    }

    /// A migration of this module, for the tables whose names carry its prefix; `None`
    /// for core, for every other table.
    pub fn module(mut self, module: Option<&str>) -> Self {
        self.module = module.map(str::to_owned);
        self
    }

    /// Tables and columns renamed rather than dropped and added.
    pub fn renames(mut self, renames: Renames) -> Self {
        self.renames = renames;
        self
    }

    /// The migrations table's name, which is left out of the comparison.
    pub fn migrations_table(mut self, table: impl Into<String>) -> Self {
        self.migrations_table = table.into();
        self
    }

    /// Runs only these modules' migrations (and core's); all of them by default.
    pub fn enabled_modules<I, S>(mut self, modules: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.modules = Some(modules.into_iter().map(Into::into).collect());
        self
    }
}

/// A migration written from the contracts: its file, and what a user should know first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationPlan {
    /// The migration file, formatted; empty when the migrations already build what the
    /// contracts declare.
    pub source: String,
    /// Each step that can lose data (dropping a table or a column, narrowing a type), in
    /// words: a drop cannot be told from a rename, which `--rename` says.
    pub destructive: Vec<String>,
    /// Each step that fails where rows are there, and each difference the migration leaves
    /// to another scope (a module's tables are its own migrations'), in words.
    pub notes: Vec<String>,
}

impl MigrationPlan {
    /// Whether there is nothing to migrate.
    pub fn is_empty(&self) -> bool {
        self.source.is_empty()
    }
}

/// The migrations run on a scratch database; the migrator holds its connection, and goes
/// before the database does.
struct Migrated {
    migrator: Migrator,
    _scratch: Scratch,
}

impl Migrated {
    fn db(&mut self) -> &mut Db {
        self.migrator.db()
    }
}

/// Runs every migration of `registry` (core and the enabled modules) on a new scratch
/// database of `database`'s kind.
fn migrated(
    database: &DatabaseUrl,
    registry: &Registry,
    table: &str,
    modules: Option<&[String]>,
) -> Result<Migrated> {
    let backend = database.backend().display_name();
    let scratch = Scratch::create(database)?;
    let db = scratch.connect().map_err(|source| ContractError::Scratch {
        backend,
        source: Box::new(source),
    })?;
    let mut migrator = Migrator::with_registry(db, registry.clone())
        .table_name(table)
        .without_application_listeners();
    if let Some(modules) = modules {
        migrator = migrator.enable_modules(modules.iter().cloned());
    }
    migrator
        .latest(&Filter::all())
        .map_err(|source| ContractError::MigrationsFail {
            backend,
            source: Box::new(source),
        })?;
    Ok(Migrated {
        migrator,
        _scratch: scratch,
    })
}

/// Every table of the database but the migrations table, as its catalog describes it.
fn catalog(db: &mut Db, migrations_table: &str) -> Result<Vec<CatalogTable>> {
    let dialect = db.dialect();
    let mut tables = Vec::new();
    for name in dialect.catalog_tables(db.connection())? {
        if same_name(dialect, &name, migrations_table) {
            continue;
        }
        if let Some(table) = dialect.catalog_table(db.connection(), &name)? {
            tables.push(table);
        }
    }
    Ok(tables)
}

/// Runs every migration on a scratch database of the configured kind (SQLite in memory;
/// PostgreSQL and MySQL: a database created on the configured server and dropped after)
/// and compares the schema they build with `contracts`: what [`check`](super::check::check)
/// reports against a live database, and the tables the migrations build that no contract
/// declares ([`Difference::ExtraTable`]). An empty list means they agree.
///
/// `migrations_table` is left out; `modules` limits the run to those modules (all for
/// `None`).
pub fn check_migrations(
    database: &DatabaseUrl,
    registry: &Registry,
    contracts: &[&TableContract],
    migrations_table: &str,
    modules: Option<&[String]>,
) -> Result<Vec<Difference>> {
    let mut run = migrated(database, registry, migrations_table, modules)?;
    let dialect = run.db().dialect();
    let tables = catalog(run.db(), migrations_table)?;
    let mut differences = Vec::new();
    let mut contracts = contracts.to_vec();
    contracts.sort_by_key(|c| c.table);
    for contract in &contracts {
        match tables
            .iter()
            .find(|t| same_name(dialect, &t.name, contract.table))
        {
            Some(live) => differences.extend(compare(dialect, contract, live)),
            None => differences.push(Difference::MissingTable {
                table: contract.table.to_owned(),
            }),
        }
    }
    for table in &tables {
        if !contracts
            .iter()
            .any(|c| same_name(dialect, c.table, &table.name))
        {
            differences.push(Difference::ExtraTable {
                table: table.name.clone(),
            });
        }
    }
    differences.sort_by(|a, b| a.table().cmp(b.table()));
    Ok(differences)
}

/// Writes the migration that takes the schema the migrations of `registry` build to the
/// schema `contracts` declare: tables created (with their mixins, keys, indexes and foreign
/// keys) and dropped, columns added, dropped and changed (type, nullability, default),
/// indexes, unique constraints and foreign keys added and dropped, with a `down` that
/// undoes it, in the schema builder's words, formatted as rustfmt would.
///
/// The migrations run on a scratch database of `database`'s kind (SQLite in memory;
/// PostgreSQL and MySQL: a database created on that server and dropped after), never on
/// the database itself. The migration is then run there, its result compared with the
/// contracts, and its `down` run and compared with what was there before: a file that
/// does not pass both is never returned.
///
/// A core migration concerns the tables that belong to no module; a module's, those with
/// its prefix. A drop cannot be told from a rename: [`Generate::renames`] says which were
/// renames, and [`MigrationPlan::destructive`] lists each drop.
///
/// ```
/// # fn main() -> arte_core::Result<()> {
/// use arte_core::contract::{Generate, Renames, plan_migration};
/// use arte_core::{DatabaseUrl, Registry};
///
/// let request = Generate::new("2026_01_01_00_00_from_contracts")
///     .module(None)
///     .renames(Renames::parse(&["tags=labels", "items.title=items.name"])?);
/// # let request = Generate::new("2026_01_01_00_00_from_contracts");
/// let database = DatabaseUrl::parse("sqlite::memory:")?;
/// // No migrations and no contracts: there is nothing to write.
/// let plan = plan_migration(&database, &Registry::from_migrations([])?, &[], &request)?;
/// assert!(plan.is_empty());
/// # Ok(())
/// # }
/// ```
pub fn plan_migration(
    database: &DatabaseUrl,
    registry: &Registry,
    contracts: &[&TableContract],
    request: &Generate,
) -> Result<MigrationPlan> {
    refuse_actions(database.backend().dialect(), contracts)?;
    let mut run = migrated(
        database,
        registry,
        &request.migrations_table,
        request.modules.as_deref(),
    )?;
    let dialect = run.db().dialect();
    let modules = registry.modules();
    let scope = |table: &str| match &request.module {
        Some(module) => table_belongs_to(module, table),
        None => !modules.iter().any(|m| table_belongs_to(m, table)),
    };
    let everything = catalog(run.db(), &request.migrations_table)?;
    for contract in contracts {
        for fk in contract.foreign_keys {
            if !contracts
                .iter()
                .any(|c| same_name(dialect, c.table, fk.table))
            {
                return Err(ContractError::UnknownReference {
                    table: contract.table.to_owned(),
                    column: fk.columns.join(", "),
                    target: fk.table.to_owned(),
                }
                .into());
            }
        }
    }
    let before: Vec<CatalogTable> = everything
        .iter()
        .filter(|t| scope(&t.name))
        .cloned()
        .collect();
    let ours: Vec<&TableContract> = contracts
        .iter()
        .copied()
        .filter(|c| scope(c.table))
        .collect();
    let wanted: Vec<CatalogTable> = ours.iter().map(|c| desired(dialect, c)).collect();
    let mut notes = elsewhere(dialect, &everything, contracts, &scope, &modules);

    let up_steps = diff::plan(dialect, &before, &wanted, &request.renames)?;
    if up_steps.is_empty() {
        return Ok(MigrationPlan {
            source: String::new(),
            destructive: Vec::new(),
            notes,
        });
    }
    let up = generate::statements(dialect, &up_steps, true)?;
    apply(run.db(), &up)?;
    let after: Vec<CatalogTable> = catalog(run.db(), &request.migrations_table)?
        .into_iter()
        .filter(|t| scope(&t.name))
        .collect();
    let mut missed = Vec::new();
    for contract in &ours {
        match after
            .iter()
            .find(|t| same_name(dialect, &t.name, contract.table))
        {
            Some(live) => missed.extend(
                compare(dialect, contract, live)
                    .iter()
                    .map(ToString::to_string),
            ),
            None => missed.push(format!("`{}` is not there", contract.table)),
        }
    }
    for table in &after {
        if !ours
            .iter()
            .any(|c| same_name(dialect, c.table, &table.name))
        {
            missed.push(format!("`{}` is still there", table.name));
        }
    }
    if !missed.is_empty() {
        return Err(ContractError::NotRoundTrip {
            what: "build what the contracts declare",
            details: missed,
        }
        .into());
    }

    let down_steps = diff::plan(dialect, &after, &before, &request.renames.inverted())?;
    let down = generate::statements(dialect, &down_steps, false)?;
    apply(run.db(), &down)?;
    let restored: Vec<CatalogTable> = catalog(run.db(), &request.migrations_table)?
        .into_iter()
        .filter(|t| scope(&t.name))
        .collect();
    let unrestored = catalog_differences(dialect, &before, &restored);
    if !unrestored.is_empty() {
        return Err(ContractError::NotRoundTrip {
            what: "bring the schema back in its down",
            details: unrestored,
        }
        .into());
    }

    notes.splice(0..0, diff::notes(&up_steps));
    Ok(MigrationPlan {
        source: generate::file(&request.name, request.module.as_deref(), &up, &down, &[]),
        destructive: diff::destructive(dialect, &up_steps),
        notes,
    })
}

/// Runs the generated statements on the scratch database.
fn apply(db: &mut Db, stmts: &[Stmt]) -> Result<()> {
    for stmt in stmts {
        generate::run(db, stmt).map_err(|source| ContractError::GeneratedFails {
            source: Box::new(source),
        })?;
    }
    Ok(())
}

/// The differences a migration of this scope leaves to another: for the user to make
/// that one too.
fn elsewhere(
    dialect: &'static dyn Dialect,
    tables: &[CatalogTable],
    contracts: &[&TableContract],
    scope: &dyn Fn(&str) -> bool,
    modules: &[&str],
) -> Vec<String> {
    let mut notes = Vec::new();
    let mut noted = |table: &str| {
        let how = match modules.iter().find(|m| table_belongs_to(m, table)) {
            Some(module) => format!("module `{module}`'s: make one with `-m {module}`"),
            None => "core's: make one without `-m`".to_owned(),
        };
        notes.push(format!(
            "`{table}` differs from its contract too, but its migration is {how}"
        ))
    };
    for contract in contracts.iter().filter(|c| !scope(c.table)) {
        match tables
            .iter()
            .find(|t| same_name(dialect, &t.name, contract.table))
        {
            Some(live) if compare(dialect, contract, live).is_empty() => {}
            _ => noted(contract.table),
        }
    }
    for table in tables.iter().filter(|t| !scope(&t.name)) {
        if !contracts
            .iter()
            .any(|c| same_name(dialect, c.table, &table.name))
        {
            noted(&table.name);
        }
    }
    notes
}

/// How two catalogs of the same tables differ, in words; empty when they are alike
/// (names of indexes and constraints aside).
pub(crate) fn catalog_differences(
    dialect: &dyn Dialect,
    expected: &[CatalogTable],
    found: &[CatalogTable],
) -> Vec<String> {
    let mut out = Vec::new();
    for table in expected {
        let Some(other) = found
            .iter()
            .find(|t| same_name(dialect, &t.name, &table.name))
        else {
            out.push(format!("`{}` is missing", table.name));
            continue;
        };
        let name = &table.name;
        for column in &table.columns {
            match other
                .columns
                .iter()
                .find(|c| same_name(dialect, &c.name, &column.name))
            {
                Some(now) if same_column(dialect, column, now) => {}
                Some(now) => out.push(format!(
                    "`{name}.{}` is `{}`{}{} instead of `{}`{}{}",
                    column.name,
                    now.found,
                    if now.nullable { " NULL" } else { " NOT NULL" },
                    now.default
                        .as_ref()
                        .map(|d| format!(" DEFAULT {}", d.sql()))
                        .unwrap_or_default(),
                    column.found,
                    if column.nullable {
                        " NULL"
                    } else {
                        " NOT NULL"
                    },
                    column
                        .default
                        .as_ref()
                        .map(|d| format!(" DEFAULT {}", d.sql()))
                        .unwrap_or_default(),
                )),
                None => out.push(format!("`{name}.{}` is missing", column.name)),
            }
        }
        for column in &other.columns {
            if !table
                .columns
                .iter()
                .any(|c| same_name(dialect, &c.name, &column.name))
            {
                out.push(format!("`{name}.{}` is there too", column.name));
            }
        }
        if table.primary_key != other.primary_key {
            out.push(format!("the primary key of `{name}` differs"));
        }
        for index in counted_indexes(table) {
            if !counted_indexes(other).any(|i| same_index(dialect, index, i)) {
                out.push(format!("the index `{}` of `{name}` is missing", index.name));
            }
        }
        for index in counted_indexes(other) {
            if !counted_indexes(table).any(|i| same_index(dialect, index, i)) {
                out.push(format!(
                    "the index `{}` of `{name}` is there too",
                    index.name
                ));
            }
        }
        let same = |a: &str, b: &str| same_name(dialect, a, b);
        for fk in &table.foreign_keys {
            if !other.foreign_keys.iter().any(|f| f.same_as(fk, same)) {
                out.push(format!(
                    "the foreign key `{}` of `{name}` is missing or differs",
                    fk.name
                ));
            }
        }
        for fk in &other.foreign_keys {
            if !table.foreign_keys.iter().any(|f| f.same_as(fk, same)) {
                out.push(format!(
                    "the foreign key `{}` of `{name}` is there too",
                    fk.name
                ));
            }
        }
    }
    for table in found {
        if !expected
            .iter()
            .any(|t| same_name(dialect, &t.name, &table.name))
        {
            out.push(format!("`{}` is there too", table.name));
        }
    }
    out
}
