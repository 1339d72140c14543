//! The history check: before anything runs, the migrations table is compared with the
//! code, and an operation on a history that does not match it is refused.

use super::Direction;
use super::repository::{Row, RowState};
use crate::error::{Error, Result};
use crate::registry::{CORE, Migration, Registry, Scope};
use std::fmt;
use std::str::FromStr;

/// What to do with a pending migration whose name sorts before the newest applied one of
/// its module (core or a module: a branch merged after a later migration was deployed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutOfOrder {
    /// Run it, and say so (an [`Event::OutOfOrder`](crate::Event::OutOfOrder) before the
    /// run). The default: with migrations named by the time they were written, work from
    /// branches that merge later is normal, and a refusal would stop every deploy after
    /// such a merge.
    #[default]
    Allow,
    /// Refuse the whole run, naming it: for teams that keep the history strictly in order.
    Error,
}

impl FromStr for OutOfOrder {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "allow" => Ok(OutOfOrder::Allow),
            "error" => Ok(OutOfOrder::Error),
            other => Err(format!(
                "`{other}` is not an out-of-order policy; write `allow` or `error`"
            )),
        }
    }
}

impl fmt::Display for OutOfOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutOfOrder::Allow => "allow",
            OutOfOrder::Error => "error",
        })
    }
}

/// One way the migrations table disagrees with the code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HistoryProblem {
    /// An applied migration whose source was edited after it was applied.
    Changed {
        /// `core` or the module's name.
        module: String,
        /// The migration.
        name: String,
    },
    /// An applied migration whose code is not in this build.
    Missing {
        /// `core` or the module's name.
        module: String,
        /// The migration.
        name: String,
    },
    /// A migration that failed or was interrupted after some of its statements had taken
    /// effect (where statements commit by themselves).
    Incomplete {
        /// `core` or the module's name.
        module: String,
        /// The migration.
        name: String,
        /// Which way it was going.
        direction: Direction,
        /// `true` when it failed, `false` when its process stopped mid-way.
        failed: bool,
        /// The statements that took effect.
        statements: Vec<String>,
        /// The statement that was running when the process stopped, which may or may not
        /// have taken effect.
        pending: Option<String>,
    },
    /// A pending migration older than the newest applied one, refused by the
    /// [`OutOfOrder::Error`] policy.
    OutOfOrder {
        /// `core` or the module's name.
        module: String,
        /// The pending migration.
        name: String,
        /// The newest applied migration of its module.
        newest: String,
    },
    /// A squash that cannot run on this database, which ran some of the migrations it
    /// replaces but not all of them: the squash would build their tables again.
    PartlySquashed {
        /// `core` or the module's name.
        module: String,
        /// The squash (the name of the last migration it replaces).
        name: String,
        /// The migrations it replaces that this database ran, oldest first.
        ran: Vec<String>,
        /// Those it did not run, oldest first (the squash's own name last).
        not_ran: Vec<String>,
    },
}

impl fmt::Display for HistoryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryProblem::Changed { module, name } => write!(
                f,
                "migration `{name}` of {module} was edited after it was applied; restore its file, or accept the new source with `migration:repair`"
            ),
            HistoryProblem::Missing { module, name } => write!(
                f,
                "migration `{name}` of {module} is applied but its code is not in this build; restore its file, or forget it with `migration:repair`"
            ),
            HistoryProblem::Incomplete {
                module,
                name,
                direction,
                failed,
                statements,
                pending,
            } => {
                let how = if *failed { "failed" } else { "was interrupted" };
                write!(
                    f,
                    "migration `{name}` of {module} {how} while {}",
                    direction.gerund()
                )?;
                if statements.is_empty() {
                    f.write_str(" before any of its statements took effect")?;
                } else {
                    write!(
                        f,
                        " after these statements took effect: {}",
                        statements.join("; ")
                    )?;
                }
                if let Some(pending) = pending {
                    write!(f, ", and this one may have: {pending}")?;
                }
                match direction {
                    Direction::Up => f.write_str(
                        "; undo what took effect by hand, then run `migration:repair` (the migration is then pending again)",
                    ),
                    Direction::Down => f.write_str(
                        "; put back what it undid by hand, then run `migration:repair` (the migration then stays applied)",
                    ),
                }
            }
            HistoryProblem::OutOfOrder {
                module,
                name,
                newest,
            } => write!(
                f,
                "migration `{name}` of {module} is pending but older than `{newest}`, the newest applied of {module}, and the out-of-order policy is `error`; set it to `allow` to run it"
            ),
            HistoryProblem::PartlySquashed {
                module,
                name,
                ran,
                not_ran,
            } => write!(
                f,
                "the squash `{name}` of {module} cannot run on this database, which ran {} of the migrations it replaces but not {}; run {} with a release from before the squash, after which the squash counts as applied",
                names(ran),
                names(not_ran),
                if not_ran.len() == 1 { "it" } else { "those" }
            ),
        }
    }
}

/// `a`, `a` and `b`, `a`, `b` and `c`.
fn names(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Compares the rows in `scope` with the code. `pending` are the migrations the operation
/// is about to run (in order): those older than the newest applied are out of order, and
/// returned for the `allow` policy to announce. `waiting` are all the pending migrations
/// of the scope (more than `pending` under `--steps`): a squash among them that this
/// database cannot run refuses the operation, whichever of them it runs now.
/// `verified` says every row has passed already, and only the pending migrations are looked at.
pub(super) fn check(
    rows: &[Row],
    registry: &Registry,
    scope: &Scope,
    pending: &[&'static Migration],
    waiting: &[&'static Migration],
    policy: OutOfOrder,
    verified: bool,
) -> Result<Vec<&'static Migration>> {
    let mut problems = Vec::new();
    let unverified = if verified { &[][..] } else { rows };
    for row in unverified.iter().filter(|row| scope.covers(&row.module)) {
        let module = (row.module != CORE).then_some(row.module.as_str());
        match (row.state, registry.find(module, &row.name)) {
            (RowState::Applied, None) => problems.push(HistoryProblem::Missing {
                module: row.module.clone(),
                name: row.name.clone(),
            }),
            (RowState::Applied, Some(code)) if code.checksum != row.checksum => {
                problems.push(HistoryProblem::Changed {
                    module: row.module.clone(),
                    name: row.name.clone(),
                })
            }
            (RowState::Applied, Some(_)) => {}
            (state, _) => problems.push(incomplete_problem(row, state)),
        }
    }
    // Modules are sequences of their own: running one module ahead of core is normal, so
    // a migration is out of order when it is older than the newest applied of its module.
    let mut newest: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    let applied = if pending.is_empty() { &[][..] } else { rows };
    for row in applied.iter().filter(|row| row.state == RowState::Applied) {
        let entry = newest
            .entry(row.module.as_str())
            .or_insert(row.name.as_str());
        if row.name.as_str() > *entry {
            *entry = row.name.as_str();
        }
    }
    let out_of_order: Vec<(&'static Migration, &str)> = pending
        .iter()
        .copied()
        .filter_map(|migration| {
            let newest = *newest.get(migration.module_label())?;
            (migration.name < newest).then_some((migration, newest))
        })
        .collect();
    problems.extend(partly_squashed(rows, registry, waiting));
    if policy == OutOfOrder::Error {
        for (migration, newest) in &out_of_order {
            problems.push(HistoryProblem::OutOfOrder {
                module: migration.module_label().to_owned(),
                name: migration.name.to_owned(),
                newest: (*newest).to_owned(),
            });
        }
    }
    if problems.is_empty() {
        Ok(out_of_order
            .into_iter()
            .map(|(migration, _)| migration)
            .collect())
    } else {
        Err(Error::History { problems })
    }
}

/// The squashes among `pending` that this database cannot run: it ran some of the
/// migrations one replaces (a release from before the squash stopped part-way), and the
/// squash would build their tables again. A database that ran none runs it alone; one
/// that ran the last has it applied already.
fn partly_squashed(
    rows: &[Row],
    registry: &Registry,
    pending: &[&'static Migration],
) -> Vec<HistoryProblem> {
    let mut problems = Vec::new();
    for squash in pending {
        let Some(replaces) = registry.replaced_by(squash) else {
            continue;
        };
        let module = squash.module_label();
        let (ran, not_ran): (Vec<&Migration>, Vec<&Migration>) =
            replaces.iter().partition(|old| has_row(rows, old));
        if ran.is_empty() {
            continue;
        }
        let text = |migrations: Vec<&Migration>| -> Vec<String> {
            migrations.iter().map(|m| m.name.to_owned()).collect()
        };
        let mut not_ran = text(not_ran);
        not_ran.push(squash.name.to_owned());
        problems.push(HistoryProblem::PartlySquashed {
            module: module.to_owned(),
            name: squash.name.to_owned(),
            ran: text(ran),
            not_ran,
        });
    }
    problems
}

/// Whether `rows` hold one for `migration` (of its module), whatever its state.
pub(super) fn has_row(rows: &[Row], migration: &Migration) -> bool {
    let module = migration.module_label();
    rows.iter()
        .any(|row| row.module == module && row.name == migration.name)
}

/// Whether every row is applied, with its code in this program and unchanged: the check
/// then finds nothing in any scope.
pub(super) fn all_clean(rows: &[Row], registry: &Registry) -> bool {
    rows.iter().all(|row| {
        let module = (row.module != CORE).then_some(row.module.as_str());
        row.state == RowState::Applied
            && registry
                .find(module, &row.name)
                .is_some_and(|code| code.checksum == row.checksum)
    })
}

/// A row that is not `applied`, as a problem.
pub(super) fn incomplete_problem(row: &Row, state: RowState) -> HistoryProblem {
    let (direction, failed) = match state {
        RowState::Migrating => (Direction::Up, false),
        RowState::FailedUp => (Direction::Up, true),
        RowState::RollingBack => (Direction::Down, false),
        RowState::FailedDown | RowState::Applied => (Direction::Down, true),
    };
    HistoryProblem::Incomplete {
        module: row.module.clone(),
        name: row.name.clone(),
        direction,
        failed,
        statements: row.statements().to_vec(),
        pending: row.pending().cloned(),
    }
}
