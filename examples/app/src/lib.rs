//! An application built with arte: core migrations in `server/migrations/`, a `blog`
//! module with its own in `modules/blog/migrations/`.

// Every migration file of the application, core and modules, compiled in and registered.
arte_core::migrations!();
