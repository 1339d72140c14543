//! Items only the macros' expansions use, reached through `arte_core::__private`.

/// A stand-in for a migration's `down`, for when `#[migration]` cannot read the migration's
/// file to see whether it has one. The expansion imports it with a glob beside `up`:
/// a `down` of the user's own (a function, or an import by name) shadows it, and a migration
/// that reaches it fails to compile with [`DownDefined`]'s message.
pub mod missing_down {
    use super::{DownDefined, NoDown};
    use crate::{Db, Error, Result};

    /// Never runs: its bound does not hold, so a migration whose `down` is this one does
    /// not compile.
    pub fn down(_db: &mut Db) -> Result<()>
    where
        // Under `for<'a>` the bound is checked where `down` is used, not here.
        for<'a> &'a NoDown: DownDefined,
    {
        Err(Error::msg("this migration has no `down` function"))
    }
}

/// What the stand-in `down` requires and no type has; its message is the compile error a
/// migration without `down` gets when its file cannot be read.
#[diagnostic::on_unimplemented(
    message = "this migration has no `down` function",
    label = "no `down` beside the `up` of this migration",
    note = "add `pub fn down(db: &mut Db) -> Result<()>` beside `up`, or mark the migration `irreversible`"
)]
pub trait DownDefined {}

/// The type the stand-in `down`'s bound names: it implements no [`DownDefined`].
pub struct NoDown;
