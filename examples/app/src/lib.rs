//! An application built with arte: core migrations in `server/migrations/`, a `blog`
//! module with its own in `modules/blog/migrations/`, the contracts of its tables, and a
//! tour of the typed query layer.

// Every migration file of the application, core and modules, compiled in and registered.
arte_core::migrations!();

pub mod contracts;
pub mod demo;
