//! The code under test, and how the harness sees what it does to `hgatp`.
//!
//! Under `mstatus.TVM = 1` the privileged spec traps HS-mode accesses to
//! `hgatp`, but QEMU 7.2 (Debian 12's) does not: it traps `hfence.gvma`
//! only (tests/riscv/README.md). And no mode traps `hfence.vvma`. So before
//! the code under test runs, [`patch`] replaces each `hgatp` access and each
//! `hfence.vvma` in it with an illegal instruction (all zeros) and keeps the
//! original; the trap handler performs the original on its behalf, in
//! M-mode, and logs it. Nothing else changes: same registers, same order.
//!
//! The code under test is every function placed in the `.text.code_under_test`
//! section (`#[link_section = ".text.code_under_test"]`), which `link.x`
//! brackets with `_code_under_test_start`/`_end`. Only code that runs in
//! HS-mode may be placed there: the handler watches S-mode traps only.
//! Code inlined into such a function is in it; a call out of it is not.

use core::arch::asm;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use riscv_protocol::encoding::{decode_csr, decode_fence, instruction_length, FenceKind, HGATP};

/// How many instructions [`patch`] can replace.
const CAPACITY: usize = 32;

static PATCHED: AtomicUsize = AtomicUsize::new(0);
static PCS: [AtomicUsize; CAPACITY] = [const { AtomicUsize::new(0) }; CAPACITY];
static ORIGINALS: [AtomicU32; CAPACITY] = [const { AtomicU32::new(0) }; CAPACITY];

extern "C" {
    static _code_under_test_start: u16;
    static _code_under_test_end: u16;
}

/// Whether the harness must watch this instruction: an access to `hgatp` or
/// an `hfence.vvma`.
fn watched(word: u32) -> bool {
    decode_csr(word).is_some_and(|access| access.csr == HGATP)
        || decode_fence(word).is_some_and(|fence| fence.kind == FenceKind::HfenceVvma)
}

/// Replaces every watched instruction of the code under test with one that
/// traps, and returns how many it replaced. Run it once, in M-mode, before
/// the code under test runs.
///
/// # Panics
///
/// If the code under test holds more than [`CAPACITY`] watched instructions.
pub fn patch() -> usize {
    let start = core::ptr::addr_of!(_code_under_test_start).cast_mut();
    let end = core::ptr::addr_of!(_code_under_test_end);
    let mut pc = start;
    // The section holds instructions only (and their 2-byte padding), so a
    // walk by instruction length from its start stays on instruction
    // boundaries.
    while pc.cast_const() < end {
        // SAFETY: `pc` lies inside the section, which is code in RAM that
        // M-mode may read and write; a 4-byte instruction's second halfword
        // is inside it too.
        unsafe {
            let low = pc.read_volatile();
            let length = instruction_length(low);
            if length == 4 {
                let word = u32::from(low) | u32::from(pc.add(1).read_volatile()) << 16;
                if watched(word) {
                    let i = PATCHED.fetch_add(1, Ordering::Relaxed);
                    assert!(i < CAPACITY, "too many watched instructions");
                    PCS[i].store(pc as usize, Ordering::Relaxed);
                    ORIGINALS[i].store(word, Ordering::Relaxed);
                    // An all-zero parcel is defined to be illegal.
                    pc.write_volatile(0);
                    pc.add(1).write_volatile(0);
                }
            }
            pc = pc.byte_add(length);
        }
    }
    // SAFETY: makes this hart fetch the patched instructions.
    unsafe { asm!("fence.i", options(nostack)) };
    PATCHED.load(Ordering::Relaxed)
}

/// The original of the instruction [`patch`] replaced at `pc`, if any.
pub(crate) fn original_at(pc: usize) -> Option<u32> {
    let patched = PATCHED.load(Ordering::Relaxed).min(CAPACITY);
    (0..patched)
        .find(|&i| PCS[i].load(Ordering::Relaxed) == pc)
        .map(|i| ORIGINALS[i].load(Ordering::Relaxed))
}
