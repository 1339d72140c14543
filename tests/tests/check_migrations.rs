//! `contract:check --migrations` (`arte_core::contract::check_migrations`) on every backend:
//! the migrations run on a scratch database and their result is compared with the
//! contracts. The example application and the README's application pass; a contract edited
//! without a migration, and a migration edited without its contract, are caught; the
//! configured database is never touched; and `migration:make --from-contracts` refuses
//! what it cannot write, in a sentence.

use arte_core::contract::check::Difference;
use arte_core::contract::{
    ColumnContract, ColumnKind, ColumnType, ContractDefault, ContractError, Generate, Renames,
    TableContract, check_migrations, plan_migration,
};
use arte_core::prelude::*;
use arte_core::{DatabaseUrl, Migration, Registry};
use arte_tests::{Kind, Scratch, TestDb, per_backend, workspace};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};

use arte_example as _;

#[path = "../fixture/from_contracts/src/edits/mod.rs"]
#[allow(dead_code)]
mod edits;

#[path = "../fixture/from_contracts/server/migrations/2026_01_01_00_01_create_table_items.rs"]
mod create_table_items;
#[path = "../fixture/from_contracts/server/migrations/2026_01_01_00_02_create_table_tags.rs"]
mod create_table_tags;
#[path = "../fixture/from_contracts/server/migrations/2026_01_01_00_00_create_table_users.rs"]
mod create_table_users;
#[path = "../fixture/from_contracts/server/migrations/2026_01_01_00_03_seed_catalog.rs"]
mod seed_catalog;

per_backend!(
    the_example_application_passes,
    the_readme_application_passes,
    a_contract_edited_without_a_migration_is_caught,
    a_migration_edited_without_its_contract_is_caught,
    a_table_no_contract_declares_is_caught,
    the_configured_database_is_never_touched,
    nothing_is_written_when_the_migrations_build_the_contracts,
    a_drop_is_a_rename_only_when_the_user_says_so,
    what_make_cannot_write_is_refused_in_a_sentence,
    a_module_migration_changes_the_module_tables_and_core_leaves_them_to_it,
);

/// One test at a time makes scratch databases, so that one can see none of its own is
/// left behind.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static SCRATCH: Mutex<()> = Mutex::new(());
    SCRATCH
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn url(db: &TestDb) -> DatabaseUrl {
    DatabaseUrl::parse(db.url()).unwrap_or_else(|e| panic!("{e}"))
}

/// The migrations of this test binary whose file lies under `dir`.
fn registry(dir: &str, extra: &[&'static Migration]) -> Registry {
    // Both applications have a `…_create_table_users`: each registry holds one's.
    let ours = arte_core::__private::inventory::iter::<Migration>
        .into_iter()
        .filter(|m| m.location().file.contains(dir));
    Registry::from_migrations(ours.chain(extra.iter().copied())).unwrap_or_else(|e| panic!("{e}"))
}

fn fixture() -> Registry {
    registry("fixture/from_contracts", &[])
}

fn differences(db: &TestDb, registry: &Registry, contracts: &[&TableContract]) -> Vec<Difference> {
    check_migrations(&url(db), registry, contracts, "migrations", None)
        .unwrap_or_else(|e| panic!("check_migrations failed: {e}"))
}

fn the_example_application_passes(db: &TestDb) {
    let _one = one_at_a_time();
    use arte_example::contracts::{BlogComment, BlogPost, Item, User};
    let registry = registry("examples/app", &[]);
    assert_eq!(registry.migrations().len(), 5);
    let contracts = [
        User::contract(),
        Item::contract(),
        BlogPost::contract(),
        BlogComment::contract(),
    ];
    assert_eq!(differences(db, &registry, &contracts), []);
}

/// The README's application, its files as the README gives them, with a program of the
/// test's own that runs `check_migrations` on the URL it is given; built once.
fn readme_app() -> &'static Path {
    static BUILT: OnceLock<Scratch> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = Scratch::new("readme-check-migrations");
            let readme = std::fs::read_to_string(workspace().join("README.md"))
                .unwrap_or_else(|e| panic!("cannot read README.md: {e}"));
            let mut current: Option<(String, String)> = None;
            for line in readme.lines() {
                match current.as_mut() {
                    Some(_) if line.trim_end() == "```" => {
                        let (path, text) = current.take().unwrap_or_default();
                        // The README's own manifest and command line stay out: this
                        // program's are the test's.
                        if path != "Cargo.toml" && path != "src/bin/arte.rs" {
                            let file = dir.join(&path);
                            if let Some(parent) = file.parent() {
                                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
                            }
                            std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
                        }
                    }
                    Some((_, text)) => {
                        text.push_str(line);
                        text.push('\n');
                    }
                    None => {
                        let path = line.strip_prefix("```").and_then(|info| {
                            info.split_whitespace().find_map(|w| w.strip_prefix("file="))
                        });
                        if let Some(path) = path {
                            current = Some((path.to_owned(), String::new()));
                        }
                    }
                }
            }
            let mut features = vec!["\"sqlite\"", "\"decimal\""];
            if cfg!(feature = "postgres") {
                features.push("\"postgres\"");
            }
            if cfg!(feature = "mysql") {
                features.push("\"mysql\"");
            }
            let manifest = format!(
                "[package]\nname = \"shopfront\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\narte-core = {{ path = \"{}\", features = [{}] }}\n\
                 diesel = {{ version = \"2.3\", default-features = false }}\n\n[workspace]\n",
                workspace().join("arte-core").display(),
                features.join(", ")
            );
            std::fs::write(dir.join("Cargo.toml"), manifest).unwrap_or_else(|e| panic!("{e}"));
            std::fs::create_dir_all(dir.join("src/bin")).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(
                dir.join("src/bin/check.rs"),
                "use shopfront as _;\n\n\
                 fn main() {\n\
                 \x20   let url = std::env::args().nth(1).unwrap_or_default();\n\
                 \x20   let run = || -> arte_core::Result<Vec<String>> {\n\
                 \x20       let differences = arte_core::contract::check_migrations(\n\
                 \x20           &arte_core::DatabaseUrl::parse(&url)?,\n\
                 \x20           &arte_core::Registry::collect()?,\n\
                 \x20           &arte_core::contract::registered(),\n\
                 \x20           \"migrations\",\n\
                 \x20           None,\n\
                 \x20       )?;\n\
                 \x20       Ok(differences.iter().map(ToString::to_string).collect())\n\
                 \x20   };\n\
                 \x20   match run() {\n\
                 \x20       Ok(lines) if lines.is_empty() => println!(\"ok\"),\n\
                 \x20       Ok(lines) => {\n\
                 \x20           println!(\"{}\", lines.join(\"\\n\"));\n\
                 \x20           std::process::exit(1)\n\
                 \x20       }\n\
                 \x20       Err(error) => {\n\
                 \x20           eprintln!(\"error: {error}\");\n\
                 \x20           std::process::exit(1)\n\
                 \x20       }\n\
                 \x20   }\n\
                 }\n",
            )
            .unwrap_or_else(|e| panic!("{e}"));
            std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock"))
                .unwrap_or_else(|e| panic!("{e}"));
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let output = Command::new(cargo)
                .args(["build", "--offline", "--quiet", "--bin", "check"])
                .current_dir(dir.path())
                .env("CARGO_TARGET_DIR", target())
                .output()
                .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
            assert!(
                output.status.success(),
                "the README's application does not build:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            dir
        })
        .path()
}

fn target() -> PathBuf {
    workspace().join("target").join("from-contracts")
}

fn the_readme_application_passes(db: &TestDb) {
    let _ = readme_app();
    let output = Command::new(target().join("debug").join("check"))
        .arg(db.url())
        .output()
        .unwrap_or_else(|e| panic!("cannot run the README's application: {e}"));
    assert!(
        output.status.success(),
        "the README's migrations do not build what its contracts declare:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "ok\n");
}

fn a_contract_edited_without_a_migration_is_caught(db: &TestDb) {
    let _one = one_at_a_time();
    assert_eq!(differences(db, &fixture(), &edits::base::contracts()), []);
    // A field added to `items`, and no migration for it.
    assert_eq!(
        differences(db, &fixture(), &edits::e05_add_nullable_field::contracts()),
        [Difference::MissingColumn {
            table: "items".into(),
            column: "subtitle".into(),
            mixin: None,
        }]
    );
    // `items.name` widened, and no migration for it.
    let narrow = differences(db, &fixture(), &edits::e08_widen_type::contracts());
    assert!(
        matches!(narrow.as_slice(), [Difference::TypeTooNarrow { column, .. }] if column == "name"),
        "{narrow:?}"
    );
}

fn add_rating(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .add_column("rating", "integer", |c| c.not_null().default(3))
        .execute()
}

fn drop_rating(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .drop_column("rating")
        .execute()
}

static ADD_RATING: Migration = Migration::new(
    "2026_03_01_00_00_add_rating_to_items",
    add_rating,
    Some(drop_rating),
);

fn a_migration_edited_without_its_contract_is_caught(db: &TestDb) {
    let _one = one_at_a_time();
    let registry = registry("fixture/from_contracts", &[&ADD_RATING]);
    let kind = db.kind();
    assert_eq!(
        differences(db, &registry, &edits::base::contracts()),
        [Difference::ExtraColumn {
            table: "items".into(),
            column: "rating".into(),
            found: if kind == Kind::Mysql {
                "int(11)"
            } else {
                "integer"
            }
            .into(),
        }]
    );
}

fn a_table_no_contract_declares_is_caught(db: &TestDb) {
    let _one = one_at_a_time();
    assert_eq!(
        differences(db, &fixture(), &edits::e17_drop_table::contracts()),
        [Difference::ExtraTable {
            table: "tags".into()
        }]
    );
}

fn the_configured_database_is_never_touched(db: &TestDb) {
    let _one = one_at_a_time();
    db.execute("CREATE TABLE keep_me (id integer)");
    let plan = plan_migration(
        &url(db),
        &fixture(),
        &edits::e01_new_table_with_timestamps::contracts(),
        &Generate::new("2026_03_01_00_00_new_table"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        plan.source.contains(".create_table(\"orders\")"),
        "{}",
        plan.source
    );
    assert_eq!(differences(db, &fixture(), &edits::base::contracts()), []);
    // The scratch databases are gone, and this one holds what it held.
    assert_eq!(db.tables(), ["keep_me"]);
    if kind_is_server(db.kind()) {
        let leftovers = match db.kind() {
            Kind::Postgres => db.strings(
                "SELECT datname AS v FROM pg_catalog.pg_database WHERE datname LIKE 'arte_scratch_%'",
            ),
            _ => db.strings(
                "SELECT SCHEMA_NAME AS v FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'arte\\_scratch\\_%'",
            ),
        };
        let ours = format!("arte_scratch_{}_", std::process::id());
        assert!(
            !leftovers.iter().any(|name| name.starts_with(&ours)),
            "{leftovers:?}"
        );
    }
}

fn kind_is_server(kind: Kind) -> bool {
    kind != Kind::Sqlite
}

fn nothing_is_written_when_the_migrations_build_the_contracts(db: &TestDb) {
    let _one = one_at_a_time();
    let plan = plan_migration(
        &url(db),
        &fixture(),
        &edits::base::contracts(),
        &Generate::new("2026_03_01_00_00_nothing"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(plan.is_empty(), "{}", plan.source);
    assert!(plan.destructive.is_empty());
}

fn a_drop_is_a_rename_only_when_the_user_says_so(db: &TestDb) {
    let _one = one_at_a_time();
    let contracts = edits::e15_rename_column::contracts();
    let plan = |renames: &[&str]| {
        plan_migration(
            &url(db),
            &fixture(),
            &contracts,
            &Generate::new("2026_03_01_00_00_code")
                .renames(Renames::parse(renames).unwrap_or_else(|e| panic!("{e}"))),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let guessed = plan(&[]);
    assert_eq!(
        guessed.destructive,
        [
            "drops the column `items.legacy_code` and its values (if it was renamed, run again with `--rename items.legacy_code=items.NEW_NAME`)"
        ]
    );
    assert!(guessed.source.contains(".drop_column(\"legacy_code\")"));
    assert!(
        guessed
            .source
            .contains("--rename items.legacy_code=items.NEW_NAME")
    );
    let renamed = plan(&["items.legacy_code=items.code"]);
    assert!(renamed.destructive.is_empty(), "{:?}", renamed.destructive);
    assert!(
        renamed
            .source
            .contains(".rename_column(\"legacy_code\", \"code\")")
    );
    assert!(!renamed.source.contains("drop_column"));
}

fn what_make_cannot_write_is_refused_in_a_sentence(db: &TestDb) {
    let _one = one_at_a_time();
    let refusal = |contracts: &[&TableContract], renames: &[&str]| -> String {
        let renames = match Renames::parse(renames) {
            Ok(renames) => renames,
            Err(error) => return error.to_string(),
        };
        match plan_migration(
            &url(db),
            &fixture(),
            contracts,
            &Generate::new("2026_03_01_00_00_refused").renames(renames),
        ) {
            Ok(plan) => panic!("written:\n{}", plan.source),
            Err(arte_core::Error::Contract(error)) => error.to_string(),
            Err(other) => panic!("not a refusal: {other}"),
        }
    };
    let base = edits::base::contracts();
    assert_eq!(
        refusal(&base, &["items.title=items.name"]),
        "`--rename items.title=items.name`: `items.title` is not a column the migrations build, renamed to a column a contract declares; check the spelling"
    );
    assert_eq!(
        refusal(&base, &["tags=labels"]),
        "`--rename tags=labels`: `labels` is not a table a contract declares; check the spelling"
    );
    assert_eq!(
        refusal(&base, &["items-code"]),
        "`--rename items-code` is not a rename; write `old_table=new_table` for a table or `table.old_column=table.new_column` for a column"
    );
    // `tags` points at `items`, which is left out.
    let without_items: Vec<&TableContract> = base
        .iter()
        .copied()
        .filter(|c| c.table != "items")
        .collect();
    assert_eq!(
        refusal(&without_items, &[]),
        "`tags.item_id` references `items`, which no contract declares; add its contract, or remove `references` from the field"
    );
    let _: fn(ContractError) -> arte_core::Error = arte_core::Error::Contract;
}

const fn column(name: &'static str, kind: ColumnKind, ty: ColumnType) -> ColumnContract {
    ColumnContract {
        name,
        field: name,
        kind,
        ty,
        nullable: false,
        generated: false,
        primary_key: false,
        default: None,
        mixin: None,
    }
}

const fn stamp(name: &'static str, nullable: bool, mixin: &'static str) -> ColumnContract {
    ColumnContract {
        nullable,
        mixin: Some(mixin),
        default: if nullable {
            None
        } else {
            Some(ContractDefault::Raw("CURRENT_TIMESTAMP"))
        },
        ..column(name, ColumnKind::Timestamp, ColumnType::Timestamp)
    }
}

/// The example's `blog_posts`, with a nullable `slug` the blog's migrations do not have.
static BLOG_POSTS_WITH_SLUG: TableContract = TableContract {
    table: "blog_posts",
    rust_name: "BlogPost",
    columns: &[
        ColumnContract {
            generated: true,
            primary_key: true,
            ..column("id", ColumnKind::BigInt, ColumnType::BigInt)
        },
        column("title", ColumnKind::Text, ColumnType::Varchar(255)),
        column("body", ColumnKind::Text, ColumnType::Text),
        ColumnContract {
            default: Some(ContractDefault::Bool(false)),
            ..column("published", ColumnKind::Bool, ColumnType::Boolean)
        },
        ColumnContract {
            nullable: true,
            ..column("slug", ColumnKind::Text, ColumnType::Text)
        },
        stamp("created_at", false, "timestamps"),
        stamp("updated_at", false, "timestamps"),
        stamp("deleted_at", true, "soft_delete"),
    ],
    indexes: &[],
    foreign_keys: &[],
    timestamps: true,
    soft_delete: true,
    location: arte_core::Location {
        file: file!(),
        line: line!(),
    },
};

fn a_module_migration_changes_the_module_tables_and_core_leaves_them_to_it(db: &TestDb) {
    let _one = one_at_a_time();
    use arte_example::contracts::{BlogComment, Item, User};
    let registry = registry("examples/app", &[]);
    let contracts = [
        User::contract(),
        Item::contract(),
        &BLOG_POSTS_WITH_SLUG,
        BlogComment::contract(),
    ];
    let plan = |module: Option<&str>| {
        plan_migration(
            &url(db),
            &registry,
            &contracts,
            &Generate::new("2026_03_01_00_00_add_slug").module(module),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let blog = plan(Some("blog"));
    assert!(
        blog.source
            .contains("#[migration(\"2026_03_01_00_00_add_slug\", module = \"blog\")]"),
        "{}",
        blog.source
    );
    assert!(
        blog.source.contains(".alter_table(\"blog_posts\")")
            && blog
                .source
                .contains(".add_column(\"slug\", \"text\", |c| c)"),
        "{}",
        blog.source
    );
    assert!(blog.notes.is_empty(), "{:?}", blog.notes);
    let core = plan(None);
    assert!(core.is_empty(), "{}", core.source);
    assert_eq!(
        core.notes,
        [
            "`blog_posts` differs from its contract too, but its migration is module `blog`'s: make one with `-m blog`"
        ]
    );
}
