//! What the trap handler performed for the code under test, in order.
//!
//! Written by the handler and read by the interrupted code on the same
//! hart, so relaxed atomics suffice: the trap is synchronous, and the
//! watched instructions' `asm!` blocks are compiler barriers for memory.

use core::fmt;
use core::sync::atomic::{AtomicUsize, Ordering};

/// One watched instruction, as the handler found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trapped {
    /// `hfence.gvma`: its operand registers and their values. rs1 = `x0`
    /// means every guest physical address, rs2 = `x0` every VMID; a
    /// register holding 0 means address 0 or VMID 0 only.
    HfenceGvma {
        /// The rs1 register number.
        rs1: u8,
        /// Its value (0 for `x0`).
        rs1_value: usize,
        /// The rs2 register number.
        rs2: u8,
        /// Its value (0 for `x0`).
        rs2_value: usize,
    },
    /// `hfence.vvma`: its operands, and the VMID in `hgatp` when it ran,
    /// which is the VM it acts on.
    HfenceVvma {
        /// The rs1 register number; `x0` means every guest virtual address.
        rs1: u8,
        /// Its value (0 for `x0`).
        rs1_value: usize,
        /// The rs2 (ASID) register number; `x0` means every ASID.
        rs2: u8,
        /// `hgatp.VMID` at the time.
        vmid: usize,
    },
    /// A write to `hgatp`: the value written, and whether S-mode interrupts
    /// were enabled (`sstatus.SIE`) when the instruction executed.
    HgatpWrite {
        /// The value written.
        value: usize,
        /// `sstatus.SIE` at the time.
        interrupts_enabled: bool,
    },
}

impl fmt::Display for Trapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let register = |f: &mut fmt::Formatter<'_>, number: u8, value: usize| {
            if number == 0 {
                write!(f, "x0")
            } else {
                write!(f, "x{number}={value:#x}")
            }
        };
        match *self {
            Self::HfenceGvma {
                rs1,
                rs1_value,
                rs2,
                rs2_value,
            } => {
                write!(f, "hfence.gvma ")?;
                register(f, rs1, rs1_value)?;
                write!(f, ", ")?;
                register(f, rs2, rs2_value)
            }
            Self::HfenceVvma {
                rs1,
                rs1_value,
                rs2,
                vmid,
            } => {
                write!(f, "hfence.vvma ")?;
                register(f, rs1, rs1_value)?;
                write!(f, ", x{rs2} [hgatp.VMID {vmid}]")
            }
            Self::HgatpWrite {
                value,
                interrupts_enabled,
            } => write!(
                f,
                "hgatp <- {value:#x} [SIE {}]",
                u8::from(interrupts_enabled)
            ),
        }
    }
}

/// How many entries the log keeps: a 512-page range flush inside an
/// `hgatp` swap is 514.
pub const CAPACITY: usize = 520;

const GVMA: usize = 1;
const VVMA: usize = 2;
const HGATP_WRITE: usize = 3;

static COUNT: AtomicUsize = AtomicUsize::new(0);
static ENTRIES: [[AtomicUsize; 5]; CAPACITY] =
    [const { [const { AtomicUsize::new(0) }; 5] }; CAPACITY];

/// Appends `trapped`; past [`CAPACITY`], counts it only.
pub(crate) fn record(trapped: Trapped) {
    let fields = match trapped {
        Trapped::HfenceGvma {
            rs1,
            rs1_value,
            rs2,
            rs2_value,
        } => [GVMA, rs1.into(), rs1_value, rs2.into(), rs2_value],
        Trapped::HfenceVvma {
            rs1,
            rs1_value,
            rs2,
            vmid,
        } => [VVMA, rs1.into(), rs1_value, rs2.into(), vmid],
        Trapped::HgatpWrite {
            value,
            interrupts_enabled,
        } => [HGATP_WRITE, value, interrupts_enabled.into(), 0, 0],
    };
    let i = COUNT.fetch_add(1, Ordering::Relaxed);
    if let Some(entry) = ENTRIES.get(i) {
        for (slot, field) in entry.iter().zip(fields) {
            slot.store(field, Ordering::Relaxed);
        }
    }
}

/// Empties the log.
pub fn clear() {
    COUNT.store(0, Ordering::Relaxed);
}

/// How many watched instructions trapped since [`clear`], including any
/// beyond [`CAPACITY`].
pub fn len() -> usize {
    COUNT.load(Ordering::Relaxed)
}

/// The `i`-th entry since [`clear`], if kept.
pub fn get(index: usize) -> Option<Trapped> {
    if index >= len() {
        return None;
    }
    let [kind, fields @ ..] = ENTRIES
        .get(index)?
        .each_ref()
        .map(|field| field.load(Ordering::Relaxed));
    // The register numbers were stored from `u8`s.
    #[allow(clippy::cast_possible_truncation)]
    let register = |n: usize| n as u8;
    match (kind, fields) {
        (GVMA, [rs1, rs1_value, rs2, rs2_value]) => Some(Trapped::HfenceGvma {
            rs1: register(rs1),
            rs1_value,
            rs2: register(rs2),
            rs2_value,
        }),
        (VVMA, [rs1, rs1_value, rs2, vmid]) => Some(Trapped::HfenceVvma {
            rs1: register(rs1),
            rs1_value,
            rs2: register(rs2),
            vmid,
        }),
        (HGATP_WRITE, [value, interrupts_enabled, ..]) => Some(Trapped::HgatpWrite {
            value,
            interrupts_enabled: interrupts_enabled != 0,
        }),
        _ => None,
    }
}

/// The kept entries since [`clear`], in order.
pub fn entries() -> impl Iterator<Item = Trapped> {
    (0..len()).map_while(get)
}

/// The log since [`clear`], for the console: every entry, or the first two
/// and the last of a long one.
pub struct Summary;

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = len();
        if len == 0 {
            return write!(f, "(nothing)");
        }
        for (i, entry) in entries().enumerate() {
            if len > 4 && (2..len - 1).contains(&i) {
                if i == 2 {
                    write!(f, "; … {} more …", len - 3)?;
                }
                continue;
            }
            let separator = if i == 0 { "" } else { "; " };
            write!(f, "{separator}{entry}")?;
        }
        Ok(())
    }
}
