//! Why a migration could not be written from the contracts, or the migrations could not be
//! compared with them.

/// A refusal of `migration:make --from-contracts`, `contract:check --migrations` or
/// `migration:squash`, before any file is written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContractError {
    /// A `--rename` that is not `old=new` or `table.old=table.new`.
    #[error(
        "`--rename {spec}` is not a rename; write `old_table=new_table` for a table or `table.old_column=table.new_column` for a column"
    )]
    BadRename {
        /// What was given.
        spec: String,
    },
    /// A `--rename` whose old or new name is not there.
    #[error("`--rename {spec}`: `{name}` is not a {what}; check the spelling")]
    RenameUnknown {
        /// The rename as given.
        spec: String,
        /// The name at fault.
        name: String,
        /// What it should have been.
        what: &'static str,
    },
    /// A change the schema builder cannot make, or arte cannot write.
    #[error("cannot write a migration that {what}; write this change by hand")]
    Unsupported {
        /// The change.
        what: String,
    },
    /// A contract's foreign key points at a table no contract declares.
    #[error(
        "`{table}.{column}` references `{target}`, which no contract declares; add its contract, or remove `references` from the field"
    )]
    UnknownReference {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The table it points at.
        target: String,
    },
    /// The existing migrations fail on a scratch database.
    #[error(
        "the migrations fail on a scratch {backend} database, so there is nothing to compare the contracts with: {source}"
    )]
    MigrationsFail {
        /// The database's name.
        backend: &'static str,
        /// Why.
        #[source]
        source: Box<crate::Error>,
    },
    /// No scratch database could be made.
    #[error(
        "cannot create a scratch database on the {backend} server to run the migrations on: {source}; the configured user needs the right to create (and drop) databases"
    )]
    Scratch {
        /// The database's name.
        backend: &'static str,
        /// Why.
        #[source]
        source: Box<crate::Error>,
    },
    /// The generated migration fails on the scratch database.
    #[error(
        "the generated migration fails on a scratch database, so no file was written: {source}"
    )]
    GeneratedFails {
        /// Why.
        #[source]
        source: Box<crate::Error>,
    },
    /// The generated migration does not build what the contracts declare, or its `down`
    /// does not undo it: a bug of arte's, caught before any file is written.
    #[error(
        "the generated migration does not {what} ({}), so no file was written; please report this to arte with the contracts and migrations involved",
        details.join("; ")
    )]
    NotRoundTrip {
        /// `build what the contracts declare`, `bring the schema back in its down`.
        what: &'static str,
        /// What differs.
        details: Vec<String>,
    },
    /// `migration:squash` was given a migration the program does not have.
    #[error("there is no migration `{name}` of {scope}; `migration:status` lists them")]
    UnknownMigration {
        /// The name given.
        name: String,
        /// `core` or the module.
        scope: String,
    },
}
