//! Two migrations (the file is not named like one) that exercise the tokens whose printing
//! differs between lexers: doc comments with quotes ('single', "double") and backslashes \ in
//! them, lifetimes, labels, generics closed by `>>`, turbofish, closures with no argument, `&&`
//! and `||`.
#![allow(clippy::all, dead_code, unused)]

use arte_core::prelude::*;
use std::collections::BTreeMap;

/// Rows it writes: it's a seed, "quoted", and tab	separated.
const ROWS: [(&str, i64); 3] = [("a", 1), ("b", -2), ("c'", 0x1f)];

/** A block doc comment: don't * stop; it's kept. */
struct Pair<'a>(&'a str, &'a (u8, u8));

impl<'a> Pair<'a> {
    fn first(&self) -> &'a str {
        self.0
    }
}

fn nested() -> Vec<Vec<u8>> {
    let bytes = b"bytes\n";
    let raw = r#"a "raw" string"#;
    let c = 'x';
    let b = b'y';
    let mut out: Vec<Vec<u8>> = Vec::new();
    out.push(bytes.iter().copied().collect::<Vec<_>>());
    out.push(raw.bytes().chain([c as u8, b]).collect::<Vec<u8>>());
    out
}

#[migration("2026_01_01_00_01_seed_every_token")]
pub fn up(db: &mut Db) -> Result<()> {
    let t = ((1u8, 2.5f64), [3i32; 2]);
    let sum = t.0.0 as f64 + t.0.1 + f64::from(t.1[0]) + 1e3_f64;
    let ok = || true;
    let both = |a: bool, b: bool| a && b || !a;
    let r = &&sum;
    let mut map: BTreeMap<String, Option<Box<dyn Fn(u8) -> u8 + 'static>>> = BTreeMap::new();
    map.insert(String::from("k"), None);
    'outer: for i in 0..=3 {
        for j in (0..i).rev() {
            if (i, j) == (2, 1) && ok() {
                break 'outer;
            }
            continue 'outer;
        }
    }
    let pair = Pair("p", &(1, 2));
    let label = match (pair.first(), ROWS.len()) {
        ("p", n) if n > 1 => format!("{n:>3}"),
        (_, 0..=1) => String::new(),
        _ => vec!['a'; 2].into_iter().collect(),
    };
    let _ = (
        both(true, false),
        **r >= 0.0,
        nested().len() << 1,
        label,
        sum as u8 >> 1,
    );
    db.schema()
        .create_table("seeds")
        .add_column("name", ("text"), |col| col)
        .execute()?;
    #[allow(unused_variables)]
    let unit = ();
    if (!ok()) {
        return Err(String::from("not ok"));
    }
    Ok(unit)
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("seeds").execute()
}

mod inline {
    use arte_core::prelude::*;

    /// A second migration in the same file, in an inline module: the checksum is the file's.
    #[migration("2026_01_01_00_02_inline_in_a_module", irreversible)]
    pub fn up(db: &mut Db) -> Result<()> {
        db.schema()
            .create_table("café")
            .add_column("prix", "integer", |col| col)
            .execute()
    }
}
