//! SQL types for the Rust types diesel maps differently on each database, so that one
//! contract serves SQLite, PostgreSQL and MySQL alike.
