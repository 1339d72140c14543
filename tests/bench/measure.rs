//! Timing, medians, and the tables the benchmark prints (Markdown, so that a run pastes
//! into BENCHMARKS.md as it is).

use crate::workload::Workload;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Runs `work` once and returns how long it took with what it returned.
pub fn time<T>(work: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let value = work();
    (started.elapsed(), value)
}

/// The median of `samples` (the mean of the middle two for an even count).
pub fn median(samples: &[Duration]) -> Option<Duration> {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let mid = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        len if !len.is_multiple_of(2) => Some(sorted[mid]),
        _ => Some((sorted[mid - 1] + sorted[mid]) / 2),
    }
}

/// `812 µs`, `12.3 ms`, `1.234 s`: three or four significant digits.
pub fn human(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1.0 {
        format!("{:.0} ns", us * 1000.0)
    } else if us < 100.0 {
        format!("{us:.1} µs")
    } else if us < 1_000.0 {
        format!("{us:.0} µs")
    } else if us < 100_000.0 {
        format!("{:.2} ms", us / 1e3)
    } else if us < 1_000_000.0 {
        format!("{:.0} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

/// `1,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1.27×`.
pub fn ratio(arte: Duration, floor: Duration) -> String {
    if floor.is_zero() {
        return "–".into();
    }
    let r = arte.as_secs_f64() / floor.as_secs_f64();
    if r < 10.0 {
        format!("{r:.2}×")
    } else if r < 100.0 {
        format!("{r:.1}×")
    } else {
        format!("{r:.0}×")
    }
}

/// What the benchmark measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    Apply,
    ApplyAtomic,
    Status,
    StatusFresh,
    RollbackAll,
    RollbackOneByOne,
}

impl Op {
    pub const ALL: [Op; 6] = [
        Op::Apply,
        Op::ApplyAtomic,
        Op::Status,
        Op::StatusFresh,
        Op::RollbackAll,
        Op::RollbackOneByOne,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Op::Apply => "apply (`latest`)",
            Op::ApplyAtomic => {
                "apply in one transaction (`latest --atomic`; the floor: one transaction)"
            }
            Op::Status => "status (`list`) after an operation of the same `Migrator`",
            Op::StatusFresh => {
                "status (`list`) on a new `Migrator` (the floor: on a new connection)"
            }
            Op::RollbackAll => "rollback all (`rollback`)",
            Op::RollbackOneByOne => "rollback one at a time (N × `down(1)`)",
        }
    }
}

/// Who did the work: the floor, the floor with a row (apply and rollback all only), or
/// arte with one of the workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    Floor,
    Recorded,
    Arte(WorkloadKey),
}

/// [`Workload`] as an ordered key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WorkloadKey {
    Builder,
    RawSql,
}

impl From<Workload> for WorkloadKey {
    fn from(w: Workload) -> Self {
        match w {
            Workload::Builder => WorkloadKey::Builder,
            Workload::RawSql => WorkloadKey::RawSql,
        }
    }
}

/// The samples of one backend at one N.
#[derive(Debug, Default)]
pub struct Samples {
    samples: BTreeMap<(Op, Side), Vec<Duration>>,
}

impl Samples {
    pub fn record(&mut self, op: Op, side: Side, d: Duration) {
        self.samples.entry((op, side)).or_default().push(d);
    }

    pub fn median(&self, op: Op, side: Side) -> Option<Duration> {
        self.samples.get(&(op, side)).and_then(|s| median(s))
    }

    /// The floor of `op`: one-at-a-time rollback is compared with the floor's whole
    /// rollback (the floor has no per-call overhead to repeat).
    pub fn floor(&self, op: Op) -> Option<Duration> {
        self.median(Self::floor_op(op), Side::Floor)
    }

    /// The floor with a row of `op`, where it was measured (apply, rollback all, and one
    /// at a time against rollback all).
    pub fn recorded(&self, op: Op) -> Option<Duration> {
        self.median(Self::floor_op(op), Side::Recorded)
    }

    fn floor_op(op: Op) -> Op {
        match op {
            Op::RollbackOneByOne => Op::RollbackAll,
            other => other,
        }
    }
}

/// One backend at one N: what was measured and how often.
pub struct Case {
    pub target: String,
    pub n: usize,
    pub reps: usize,
    /// How many `down(1)` calls were timed: N, or fewer at large N (the newest ones).
    pub down_calls: usize,
    pub samples: Samples,
    /// Why one transaction of N migrations could not be measured: the database's error.
    pub atomic_refused: Option<String>,
}

fn divide(d: Duration, by: usize) -> Duration {
    d / u32::try_from(by).unwrap_or(u32::MAX).max(1)
}

impl Case {
    /// How many migrations `op` went through.
    fn count(&self, op: Op) -> usize {
        match op {
            Op::RollbackOneByOne => self.down_calls,
            _ => self.n,
        }
    }

    /// The median of `op` by `side`, per migration.
    pub fn per_migration(&self, op: Op, side: Side) -> Option<Duration> {
        self.samples
            .median(op, side)
            .map(|d| divide(d, self.count(op)))
    }

    /// The floor of `op`, for as many migrations as `op` went through.
    fn floor(&self, op: Op) -> Option<Duration> {
        self.samples.floor(op).map(|floor| self.scaled(op, floor))
    }

    /// The floor with a row of `op`, for as many migrations as `op` went through.
    fn recorded(&self, op: Op) -> Option<Duration> {
        self.samples
            .recorded(op)
            .map(|floor| self.scaled(op, floor))
    }

    /// `floor`, of all N migrations, for as many as `op` went through.
    fn scaled(&self, op: Op, floor: Duration) -> Duration {
        let calls = u32::try_from(self.count(op)).unwrap_or(u32::MAX);
        divide(floor * calls, self.n)
    }

    /// The table of this case: floor, floor with a row, and each workload, total and per
    /// migration, with the ratios to the floor (×) and to the floor with a row (× row).
    pub fn table(&self) -> String {
        let n = self.n;
        let mut out = format!(
            "#### {} — N = {} migrations, median of {} (status: of {})\n\n",
            self.target,
            thousands(n),
            self.reps,
            self.reps * crate::suite::STATUS_SAMPLES
        );
        out.push_str("| operation | floor | floor / N | floor with a row / N | × |");
        for w in Workload::ALL {
            out.push_str(&format!(" {0} | {0} / N | × | × row |", w.label()));
        }
        out.push_str("\n|---|--:|--:|--:|--:|");
        for _ in Workload::ALL {
            out.push_str("--:|--:|--:|--:|");
        }
        out.push('\n');
        for op in Op::ALL {
            let count = self.count(op);
            let per = |d: Duration| human(divide(d, count));
            let floor = self.floor(op);
            let recorded = self.recorded(op);
            let floor_cells = match (floor, recorded) {
                (Some(f), Some(r)) => {
                    format!("{} | {} | {} | {}", human(f), per(f), per(r), ratio(r, f))
                }
                (Some(f), None) => format!("{} | {} | – | –", human(f), per(f)),
                _ => "– | – | – | –".into(),
            };
            let label = if count < n {
                format!(
                    "{}: the first {} of the N calls, against {}/{} of the floor",
                    op.label(),
                    thousands(count),
                    thousands(count),
                    thousands(n)
                )
            } else {
                op.label().to_owned()
            };
            out.push_str(&format!("| {label} | {floor_cells} |"));
            for w in Workload::ALL {
                let to_recorded =
                    |a: Duration| recorded.map_or_else(|| "–".into(), |r| ratio(a, r));
                match (self.samples.median(op, Side::Arte(w.into())), floor) {
                    (Some(a), Some(f)) => out.push_str(&format!(
                        " {} | {} | **{}** | {} |",
                        human(a),
                        per(a),
                        ratio(a, f),
                        to_recorded(a)
                    )),
                    (Some(a), None) => out.push_str(&format!(
                        " {} | {} | – | {} |",
                        human(a),
                        per(a),
                        to_recorded(a)
                    )),
                    _ => out.push_str(" – | – | – | – |"),
                }
            }
            out.push('\n');
        }
        out
    }
}

/// Per-migration cost of every operation across the N of one backend: flat means linear,
/// growing means something costs more than linear.
pub fn scaling_table(target: &str, cases: &[Case]) -> String {
    let mut out = format!("#### {target} — time per migration (total / N) by N\n\n");
    out.push_str("| operation | side |");
    for case in cases {
        out.push_str(&format!(" N = {} |", thousands(case.n)));
    }
    if cases.len() > 1 {
        out.push_str(" last / first |");
    }
    out.push_str("\n|---|---|");
    for _ in cases {
        out.push_str("--:|");
    }
    if cases.len() > 1 {
        out.push_str("--:|");
    }
    out.push('\n');
    let sides = [
        ("floor", Side::Floor),
        ("floor with a row", Side::Recorded),
        (
            Workload::Builder.label(),
            Side::Arte(Workload::Builder.into()),
        ),
        (
            Workload::RawSql.label(),
            Side::Arte(Workload::RawSql.into()),
        ),
    ];
    for op in Op::ALL {
        for (label, side) in sides {
            if op == Op::RollbackOneByOne && side == Side::Floor {
                continue; // the same as the floor of rollback all
            }
            if side == Side::Recorded && !matches!(op, Op::Apply | Op::RollbackAll) {
                continue; // measured for these two only
            }
            let per: Vec<Option<Duration>> = cases
                .iter()
                .map(|case| case.per_migration(op, side))
                .collect();
            out.push_str(&format!("| {} | {label} |", op.label()));
            for d in &per {
                out.push_str(&format!(
                    " {} |",
                    d.map(human).unwrap_or_else(|| "–".into())
                ));
            }
            if cases.len() > 1 {
                match (
                    per.first().copied().flatten(),
                    per.last().copied().flatten(),
                ) {
                    (Some(first), Some(last)) => {
                        out.push_str(&format!(" {} |", ratio(last, first)))
                    }
                    _ => out.push_str(" – |"),
                }
            }
            out.push('\n');
        }
    }
    out
}
