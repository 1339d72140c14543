//! `migration:squash`: the migrations of one scope (core, or a module) up to one of them,
//! as one migration that builds the same schema, written the way
//! `migration:make --from-contracts` writes its migrations and registered with
//! [`squash!`](crate::squash).

use super::ContractError;
use super::compare::same_name;
use super::diff::{self, Renames};
use super::generate::{self, Stmt};
use super::make::catalog_differences;
use super::scratch::Scratch;
use crate::backend::{CatalogTable, Dialect};
use crate::db::Db;
use crate::error::Result;
use crate::migrator::Migrator;
use crate::registry::{Filter, Migration, Registry};
use crate::url::DatabaseUrl;
use arte_vocab::name::table_belongs_to;
use diesel::RunQueryDsl;

/// A squash written: its file, and what it replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SquashPlan {
    /// The file's name without `.rs`: `2026_01_01_00_02_squashed_history`.
    pub file_name: String,
    /// The file.
    pub source: String,
    /// The migrations it replaces, oldest first (the last is the one it is recorded as).
    pub replaced: Vec<String>,
    /// Those among them that wrote rows: their data is not carried over.
    pub data_migrations: Vec<String>,
    /// The files of earlier squashes among them (as the compiler names them), which this
    /// one takes the place of: their files go with the replaced migrations'.
    pub squash_files: Vec<String>,
}

/// The name, without `.rs`, of the file of the squash up to `upto`:
/// `<upto's timestamp>_squashed_history` ([`SquashPlan::file_name`]).
pub fn squash_file_name(upto: &str) -> String {
    let stamp = upto.get(..arte_vocab::name::STAMP_LEN).unwrap_or(upto);
    format!("{stamp}_squashed_history")
}

/// Writes the migration that replaces the migrations of `module` (`None`: core) named up
/// to and including `upto`: it builds, on a new database, the schema they build (the
/// tables of that scope), with a `down` that drops it, and is recorded under `upto`'s name
/// and checksum, so that a database that ran them counts it as applied.
///
/// The migrations run one by one on a scratch database of `database`'s kind (never on the
/// database itself); those after which a table holds more rows are data migrations, listed
/// in [`SquashPlan::data_migrations`] and not carried over. The squash is then run on a
/// second scratch database and its schema compared with the first's, column by column,
/// index by index.
pub fn plan_squash(
    database: &DatabaseUrl,
    registry: &Registry,
    upto: &str,
    module: Option<&str>,
    migrations_table: &str,
) -> Result<SquashPlan> {
    let scope_name = module.unwrap_or(crate::CORE).to_owned();
    let ours: Vec<&'static Migration> = registry
        .migrations()
        .iter()
        .copied()
        .filter(|m| m.module == module && m.name <= upto)
        .collect();
    if !ours.iter().any(|m| m.name == upto) {
        return Err(ContractError::UnknownMigration {
            name: upto.to_owned(),
            scope: scope_name,
        }
        .into());
    }
    // What they stand on: core's migrations before them, for a module's.
    let under: Vec<&'static Migration> = match module {
        Some(_) => registry
            .migrations()
            .iter()
            .copied()
            .filter(|m| m.module.is_none() && m.name <= upto)
            .collect(),
        None => Vec::new(),
    };
    let modules = registry.modules();
    let in_scope = |table: &str| match module {
        Some(module) => table_belongs_to(module, table),
        None => !modules.iter().any(|m| table_belongs_to(m, table)),
    };

    let backend = database.backend().display_name();
    let scratch = Scratch::create(database)?;
    let connect = |scratch: &Scratch| {
        scratch.connect().map_err(|source| ContractError::Scratch {
            backend,
            source: Box::new(source),
        })
    };
    let run = Registry::from_migrations(under.iter().chain(&ours).copied())?;
    let mut migrator = Migrator::with_registry(connect(&scratch)?, run)
        .table_name(migrations_table)
        .without_application_listeners();
    let dialect = migrator.db().dialect();
    let mut data_migrations = Vec::new();
    let mut rows = row_count(migrator.db(), migrations_table)?;
    loop {
        let report =
            migrator
                .up(1, &Filter::all())
                .map_err(|source| ContractError::MigrationsFail {
                    backend,
                    source: Box::new(source),
                })?;
        let Some(step) = report.steps.first() else {
            break;
        };
        let now = row_count(migrator.db(), migrations_table)?;
        if now > rows
            && ours
                .iter()
                .any(|m| m.name == step.name && m.module_label() == step.module)
        {
            data_migrations.push(step.name.clone());
        }
        rows = now;
    }
    let built_by_them: Vec<CatalogTable> = tables(migrator.db(), migrations_table)?
        .into_iter()
        .filter(|t| in_scope(&t.name))
        .collect();
    drop(migrator);
    drop(scratch);

    let up_steps = diff::plan(dialect, &[], &built_by_them, &Renames::none())?;
    let down_steps = diff::plan(dialect, &built_by_them, &[], &Renames::none())?;
    let up = generate::statements(dialect, &up_steps, false)?;
    let down = generate::statements(dialect, &down_steps, false)?;

    // The squash on a database of its own builds the same tables, and its down drops them.
    let scratch = Scratch::create(database)?;
    let base = Registry::from_migrations(under.iter().copied())?;
    let mut check = Migrator::with_registry(connect(&scratch)?, base)
        .table_name(migrations_table)
        .without_application_listeners();
    check
        .latest(&Filter::all())
        .map_err(|source| ContractError::MigrationsFail {
            backend,
            source: Box::new(source),
        })?;
    apply(check.db(), &up)?;
    let built: Vec<CatalogTable> = tables(check.db(), migrations_table)?
        .into_iter()
        .filter(|t| in_scope(&t.name))
        .collect();
    let differences = catalog_differences(dialect, &built_by_them, &built);
    if !differences.is_empty() {
        return Err(ContractError::NotRoundTrip {
            what: "build what the migrations it replaces build",
            details: differences,
        }
        .into());
    }
    apply(check.db(), &down)?;
    let left: Vec<String> = tables(check.db(), migrations_table)?
        .into_iter()
        .filter(|t| in_scope(&t.name))
        .map(|t| format!("`{}` is still there", t.name))
        .collect();
    if !left.is_empty() {
        return Err(ContractError::NotRoundTrip {
            what: "drop what it builds in its down",
            details: left,
        }
        .into());
    }

    // An earlier squash among them stands for the migrations it replaced: a database that
    // ran those must still find them known, by name and checksum, once its file is gone.
    let mut earlier: Vec<&'static Migration> = Vec::new();
    let mut squash_files: Vec<String> = Vec::new();
    for m in &ours {
        if let Some(replaced) = registry.replaced_by(m) {
            earlier.extend(replaced);
            squash_files.push(m.file.to_owned());
        }
    }
    let last = ours.last().copied();
    let recorded = last.map_or("", |m| m.checksum);
    let mut others: Vec<(&str, &str)> = ours[..ours.len().saturating_sub(1)]
        .iter()
        .chain(&earlier)
        .map(|m| (m.name, m.checksum))
        .collect();
    others.sort_unstable();
    let mut replaced: Vec<String> = ours
        .iter()
        .chain(&earlier)
        .map(|m| m.name.to_owned())
        .collect();
    replaced.sort_unstable();
    let file_name = squash_file_name(upto);
    let source = file(
        upto,
        recorded,
        module,
        &others,
        &data_migrations,
        &up,
        &down,
    );
    Ok(SquashPlan {
        file_name,
        source,
        replaced,
        data_migrations,
        squash_files,
    })
}

fn apply(db: &mut Db, stmts: &[Stmt]) -> Result<()> {
    for stmt in stmts {
        generate::run(db, stmt).map_err(|source| ContractError::GeneratedFails {
            source: Box::new(source),
        })?;
    }
    Ok(())
}

fn tables(db: &mut Db, migrations_table: &str) -> Result<Vec<CatalogTable>> {
    let dialect = db.dialect();
    let mut out = Vec::new();
    for name in dialect.catalog_tables(db.connection())? {
        if same_name(dialect, &name, migrations_table) {
            continue;
        }
        if let Some(table) = dialect.catalog_table(db.connection(), &name)? {
            out.push(table);
        }
    }
    Ok(out)
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The rows of every table but the migrations table.
fn row_count(db: &mut Db, migrations_table: &str) -> Result<i64> {
    let dialect: &dyn Dialect = db.dialect();
    let mut total = 0;
    for name in dialect.catalog_tables(db.connection())? {
        if same_name(dialect, &name, migrations_table) {
            continue;
        }
        let sql = format!("SELECT COUNT(*) AS n FROM {}", dialect.quote(&name));
        let rows: Vec<Count> = diesel::sql_query(&sql).load(db.connection())?;
        total += rows.first().map_or(0, |r| r.n);
    }
    Ok(total)
}

/// The squash file: what it is in a few lines, its registration, `up` and `down`.
fn file(
    recorded_as: &str,
    checksum: &str,
    module: Option<&str>,
    others: &[(&str, &str)],
    data_migrations: &[String],
    up: &[Stmt],
    down: &[Stmt],
) -> String {
    let scope = match module {
        Some(module) => format!("module `{module}`"),
        None => "core".to_owned(),
    };
    let mut header = vec![
        format!(
            "The migrations of {scope} up to `{recorded_as}`, squashed into one by `migration:squash`."
        ),
        String::new(),
        format!(
            "It is recorded under the name of the last, `{recorded_as}`: a database that ran them counts it as applied and is not touched, and a new database runs it alone. The files of the migrations it replaces can be deleted."
        ),
    ];
    if !data_migrations.is_empty() {
        header.push(String::new());
        header.push(
            "Not carried over, because they wrote rows (write the rows again in a migration after this one if new databases need them):"
                .to_owned(),
        );
        for name in data_migrations {
            header.push(format!("- `{name}`"));
        }
    }
    let mut registration = String::from("arte_core::squash! {\n");
    if let Some(module) = module {
        registration.push_str(&format!("    module: \"{module}\",\n"));
    }
    registration.push_str(&format!(
        "    recorded_as: (\n        \"{recorded_as}\",\n        \"{checksum}\",\n    ),\n"
    ));
    if others.is_empty() {
        registration.push_str("    replaces: [],\n");
    } else {
        registration.push_str("    replaces: [\n");
        for (name, checksum) in others {
            registration.push_str(&format!(
                "        (\n            \"{name}\",\n            \"{checksum}\",\n        ),\n"
            ));
        }
        registration.push_str("    ],\n");
    }
    registration.push_str("}\n");
    generate::squash_file(&header, &registration, up, down)
}
