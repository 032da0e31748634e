//! The harness's side of each case: every exit is checked against the
//! case's next expected one when it happens (the EPT too, as it stands
//! then), what the code returned is recorded, and at the end one line per
//! case and `RESULT: PASS` or `RESULT: FAIL (n wrong)` are printed.

use core::cell::UnsafeCell;
use core::fmt;

use addr_types::arch::x86_64::VmFail;

use crate::cases::CASES;
use crate::console::{fail, say, shutdown};
use crate::expected::{EptState, Executed, Expect, Returned};
use crate::{inner_ept, Global};

/// How many exits of a case its report line shows; the last one is shown
/// too.
const SHOWN: usize = 4;

/// The first thing in a case that differs from what it expects.
#[derive(Clone, Copy)]
enum Wrong {
    /// Exit `index` is not the one expected there, or none was.
    Exit { index: usize },
    /// At exit `index`, the EPT was not `expected`.
    Ept { index: usize, expected: EptState },
}

/// What one case did.
#[derive(Clone, Copy)]
struct Record {
    began: bool,
    exits: usize,
    shown: [Option<Executed>; SHOWN],
    last: Option<Executed>,
    wrong: Option<Wrong>,
    /// The EPT as the last exit that checks it found it.
    ept: Option<EptState>,
    returned: Option<Result<(), VmFail>>,
}

impl Record {
    const NEW: Self = Self {
        began: false,
        exits: 0,
        shown: [None; SHOWN],
        last: None,
        wrong: None,
        ept: None,
        returned: None,
    };
}

struct Run {
    /// The case running, if any.
    current: Option<usize>,
    records: [Record; CASES.len()],
}

/// Harness only (root operation).
static RUN: Global<Run> = Global(UnsafeCell::new(Run {
    current: None,
    records: [Record::NEW; CASES.len()],
}));

/// The guest begins case `index`; cases run in order, each once.
pub fn begin_case(index: u64) {
    let run = RUN.get();
    let expected = run.current.map_or(0, |current| current + 1);
    if index != expected as u64 {
        fail(format_args!("case {index} began, case {expected} was next"));
    }
    run.current = Some(expected);
    run.records[expected].began = true;
}

fn current() -> (&'static crate::expected::Case, &'static mut Record) {
    let run = RUN.get();
    let Some(index) = run.current else {
        fail(format_args!("a VM exit before the first case"));
    };
    (&CASES[index], &mut run.records[index])
}

/// Checks one exit of the current case; returns the VMfail the
/// instruction must report, if the case injects one there.
pub fn exit(executed: Executed) -> Option<VmFail> {
    let (case, record) = current();
    let index = record.exits;
    record.exits += 1;
    if let Some(slot) = record.shown.get_mut(index) {
        *slot = Some(executed);
    }
    record.last = Some(executed);
    let step = case.expect.step(index);
    if let Some(expected) = step.and_then(|step| step.ept) {
        let found = EptState {
            gpa: expected.gpa,
            maps_to: inner_ept::translate(expected.gpa),
        };
        record.ept = Some(found);
        if found != expected && record.wrong.is_none() {
            record.wrong = Some(Wrong::Ept { index, expected });
        }
    }
    if step.map(|step| step.executed) != Some(executed) && record.wrong.is_none() {
        record.wrong = Some(Wrong::Exit { index });
    }
    case.inject
        .filter(|injection| injection.at == index)
        .map(|injection| injection.fail)
}

/// The current case's code returned `result`.
pub fn returned(result: Result<(), VmFail>) {
    current().1.returned = Some(result);
}

/// The exits a record shows: all up to [`SHOWN`], else the first ones and
/// the last.
struct Seen<'a>(&'a Record);

impl fmt::Display for Seen<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let record = self.0;
        if record.exits == 0 {
            return f.write_str("nothing");
        }
        for (i, executed) in record.shown.iter().flatten().enumerate() {
            let separator = if i == 0 { "" } else { "; " };
            write!(f, "{separator}{executed}")?;
        }
        if record.exits > SHOWN {
            if let Some(last) = record.last {
                write!(f, "; …; {last} ({} exits)", record.exits)?;
            }
        }
        Ok(())
    }
}

/// One line per case, then the result; ends the run.
pub fn report() -> ! {
    let run = RUN.get();
    let mut failures = 0;
    for (case, record) in CASES.iter().zip(&run.records) {
        let ok = record.began
            && record.wrong.is_none()
            && record.exits == case.expect.len()
            && record.returned == case.returns;
        failures += usize::from(!ok);
        let verdict = if ok { "ok" } else { "WRONG" };
        let name = case.name;
        if !record.began {
            say!("{name}: never ran: {verdict}");
            continue;
        }
        let ept = Optional(record.ept.map(EptPart));
        let returned = Optional(
            record
                .returned
                .map(|result| ReturnedPart(Returned(Some(result)))),
        );
        let expected = Optional((!ok).then_some(ExpectedPart {
            expect: case.expect,
            returns: Returned(case.returns),
        }));
        let wrong = Optional(record.wrong.map(WrongPart));
        say!(
            "{name}: {}{ept}{returned}{expected}{wrong}: {verdict}",
            Seen(record)
        );
    }
    if failures == 0 {
        say!("RESULT: PASS");
        shutdown()
    }
    fail(format_args!("{failures} wrong"))
}

/// A value, or nothing.
struct Optional<T>(Option<T>);

impl<T: fmt::Display> fmt::Display for Optional<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(value) => value.fmt(f),
            None => Ok(()),
        }
    }
}

/// What the EPT held: ` with the EPT mapping … to …`.
struct EptPart(EptState);

impl fmt::Display for EptPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            EptState {
                gpa,
                maps_to: Some(hpa),
            } => write!(f, " with the EPT mapping {gpa:#x} to {hpa:#x}"),
            EptState { gpa, maps_to: None } => {
                write!(f, " with {gpa:#x} unmapped in the EPT")
            }
        }
    }
}

/// `, returned …`.
struct ReturnedPart(Returned);

impl fmt::Display for ReturnedPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, ", returned {}", self.0)
    }
}

/// ` (expected …, returning …)`, on a wrong line only.
struct ExpectedPart {
    expect: Expect,
    returns: Returned,
}

impl fmt::Display for ExpectedPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " (expected {}", self.expect)?;
        if self.returns.0.is_some() {
            write!(f, ", returning {}", self.returns)?;
        }
        f.write_str(")")
    }
}

/// `; ` and the first thing that differs.
struct WrongPart(Wrong);

impl fmt::Display for WrongPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Wrong::Exit { index } => write!(f, "; first difference at exit {index}"),
            Wrong::Ept {
                index,
                expected: EptState { gpa, maps_to },
            } => match maps_to {
                Some(hpa) => write!(
                    f,
                    "; at exit {index} the EPT should have mapped {gpa:#x} to {hpa:#x}"
                ),
                None => write!(
                    f,
                    "; at exit {index} the EPT should have left {gpa:#x} unmapped"
                ),
            },
        }
    }
}
