//! Exit codes of the bare-metal programs, shared with the host test that runs
//! them (tests/tests/riscv_qemu.rs).
//!
//! A program ends by writing to QEMU `virt`'s SiFive test device: `0x5555`
//! makes QEMU exit with status 0, `0x3333 | code << 16` with status `code`.
//! Every failure code is nonzero and below 256, so the status is the code.

/// An unexpected exception ends the program with its `mcause` (1..=63); the
/// QEMU proof's negative control expects [`ILLEGAL_INSTRUCTION`].
pub const UNEXPECTED_TRAP_MAX: u8 = 63;
/// `mcause` 2: what a hart without the H extension raises on `hfence.*`.
pub const ILLEGAL_INSTRUCTION: u8 = 2;
/// `mcause` 21: a read of a guest page that should be mapped faulted.
pub const LOAD_GUEST_PAGE_FAULT: u8 = 21;
/// An unexpected trap whose `mcause` cannot be the exit code: an interrupt,
/// or exception 0, which would read as success.
pub const OTHER_TRAP: u8 = 64;
/// A Rust panic (for example a page-table operation that returned an error).
pub const PANIC: u8 = 100;

/// G-stage test: after the flush, `hlv.d` still returned the old page.
pub const STALE_AFTER_FLUSH: u8 = 101;
/// G-stage test: before the flush, `hlv.d` already returned the new page, so
/// the harness cannot tell a working flush from a missing one.
pub const STALENESS_INVISIBLE: u8 = 102;
/// G-stage test: the flush executed no `hfence.gvma`.
pub const NO_HFENCE_GVMA: u8 = 103;
/// G-stage test: `hfence.gvma`'s rs1 was not `x0` for a full flush, or was
/// `x0` or not the guest physical address shifted right by 2 for a
/// one-address flush.
pub const WRONG_RS1: u8 = 104;
/// G-stage test: `hfence.gvma`'s rs2 was not `x0`, so it flushed one VMID
/// instead of all of them.
pub const WRONG_RS2: u8 = 105;
/// G-stage test: one flush executed more than one `hfence.gvma`.
pub const EXTRA_HFENCE_GVMA: u8 = 106;
/// G-stage test: the first read of the mapped guest page returned neither
/// host page's marker.
pub const MAPPING_NOT_VISIBLE: u8 = 107;
/// G-stage test: page_table_multiarch no longer maps `G + 2^39` onto `G`'s
/// entry; the README's advice on guest physical addresses above 2^39 is out
/// of date.
pub const ROOT_INDEX_ALIASING_CHANGED: u8 = 108;

/// Per-VM test: the harness (`hart::code_under_test::patch`) found no
/// `hgatp` access or `hfence.vvma` in the code under test, so the harness
/// could not see what it does to them.
pub const NOTHING_PATCHED: u8 = 110;
/// Per-VM test: the VMIDLEN probe wrote `hgatp` other than "all-ones VMID
/// with MODE = Bare, then the saved value", or returned another width than
/// M-mode measured.
pub const VMIDLEN_PROBE: u8 = 111;
/// Per-VM test: a VMID that fits VMIDLEN was refused.
pub const VMID_REFUSED: u8 = 112;
/// Per-VM test: an `hfence.gvma` did not name the VM: rs2 was `x0` (every
/// VMID) or a register holding another VMID.
pub const GVMA_WRONG_VMID: u8 = 113;
/// Per-VM test: an `hfence.gvma` had the wrong rs1 (not the page's GPA >> 2
/// in a register, or not `x0` for all).
pub const GVMA_WRONG_ADDRESS: u8 = 114;
/// Per-VM test: a flush executed another number of fences than its form
/// and range call for.
pub const WRONG_FENCE_COUNT: u8 = 115;
/// Per-VM test: a guest-virtual flush did not first write `hgatp` with the
/// VM's VMID and MODE = Bare, so its `hfence.vvma` acted on the loaded VM.
pub const NO_HGATP_SWAP: u8 = 116;
/// Per-VM test: an `hfence.vvma` had the wrong operands, or ran under
/// another VMID than the VM's.
pub const VVMA_WRONG: u8 = 117;
/// Per-VM test: `hgatp` did not end as it was before the flush.
pub const HGATP_NOT_RESTORED: u8 = 118;
/// Per-VM test: `hgatp` was written with S-mode interrupts enabled, or
/// `sstatus.SIE` did not end as it was.
pub const INTERRUPTS_NOT_MASKED: u8 = 119;
