//! Events around the migrator's work, delivered to listeners as typed values.

use super::{Direction, Planned, Report, Step};
use crate::error::Result;

/// Something the migrator is about to do or has done.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Event<'a> {
    /// `migrator:before-migrate`: about to run these migrations' `up`. An error stops the
    /// operation before anything changes.
    BeforeMigrate {
        /// The migrations about to run, in order.
        migrations: &'a [Planned],
    },
    /// `migrator:starting`: one migration's `up` or `down` is about to run.
    Starting {
        /// The migration.
        migration: &'a Planned,
        /// Which way it runs.
        direction: Direction,
    },
    /// `migrator:out-of-order`: these pending migrations are older than the newest
    /// applied one, and the `allow` policy runs them.
    OutOfOrder {
        /// The migrations, in the order they will run.
        migrations: &'a [Planned],
    },
    /// `migrator:lock-wait`: another migrator holds the lock; this one waits (sent once,
    /// about a second into the wait).
    LockWait {
        /// Who holds it, where the database can tell.
        holder: Option<&'a str>,
        /// How long this one waits at most.
        timeout: std::time::Duration,
    },
    /// `migrator:migrated`: one migration's `up` ran and was recorded.
    Migrated {
        /// What ran.
        step: &'a Step,
    },
    /// `migrator:after-migrate`: every `up` of the operation ran.
    AfterMigrate {
        /// What the operation did.
        report: &'a Report,
    },
    /// `migrator:before-rollback`: about to run these migrations' `down`. An error stops the
    /// operation before anything changes.
    BeforeRollback {
        /// The migrations about to be rolled back, newest first.
        migrations: &'a [Planned],
    },
    /// `migrator:rolled-back`: one migration's `down` ran and its row was removed.
    RolledBack {
        /// What ran.
        step: &'a Step,
    },
    /// `migrator:after-rollback`: every `down` of the operation ran.
    AfterRollback {
        /// What the operation did.
        report: &'a Report,
    },
}

impl Event<'_> {
    /// The event's name: `migrator:before-migrate` and so on.
    pub fn name(&self) -> &'static str {
        match self {
            Event::BeforeMigrate { .. } => "migrator:before-migrate",
            Event::Starting { .. } => "migrator:starting",
            Event::OutOfOrder { .. } => "migrator:out-of-order",
            Event::LockWait { .. } => "migrator:lock-wait",
            Event::Migrated { .. } => "migrator:migrated",
            Event::AfterMigrate { .. } => "migrator:after-migrate",
            Event::BeforeRollback { .. } => "migrator:before-rollback",
            Event::RolledBack { .. } => "migrator:rolled-back",
            Event::AfterRollback { .. } => "migrator:after-rollback",
        }
    }

    /// Whether an error from a listener stops the operation with nothing changed.
    pub fn is_before(&self) -> bool {
        matches!(
            self,
            Event::BeforeMigrate { .. } | Event::BeforeRollback { .. } | Event::OutOfOrder { .. }
        )
    }
}

/// A listener registered on one `Migrator`.
pub type Listener = Box<dyn FnMut(&Event<'_>) -> Result<()> + Send>;

/// A listener registered for the whole application with [`listener!`](crate::listener).
#[derive(Debug)]
pub struct ListenerRegistration {
    #[doc(hidden)]
    pub listener: fn(&Event<'_>) -> Result<()>,
}

inventory::collect!(ListenerRegistration);

/// Registers a function as a listener of every `Migrator` in the application.
///
/// ```
/// use arte_core::prelude::*;
///
/// fn audit(event: &Event<'_>) -> Result<()> {
///     if let Event::AfterMigrate { report } = event {
///         let _ = report.steps.len();
///     }
///     Ok(())
/// }
///
/// arte_core::listener!(audit);
/// ```
#[macro_export]
macro_rules! listener {
    ($listener:path) => {
        $crate::__private::inventory::submit! {
            $crate::__private::ListenerRegistration { listener: $listener }
        }
    };
}
