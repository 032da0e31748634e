//! Exit codes of the bare-metal programs, shared with the host test that runs
//! them (tests/tests/aarch64_qemu.rs).
//!
//! A program ends with semihosting `SYS_EXIT`; QEMU exits with the code the
//! program passes. 0: the program ran to its end (the `stage2` program has
//! printed its report, stale cases included); anything else ended it early,
//! and says why.

/// A Rust panic (for example a page-table operation that returned an error).
pub const PANIC: u8 = 100;
/// Before the flush, the guest read already returned the new page, so the
/// harness cannot tell a working flush from a missing one.
pub const STALENESS_INVISIBLE: u8 = 101;
/// A guest read returned neither page's marker (nor, after an unmap, a
/// stage-2 abort).
pub const UNEXPECTED_READ: u8 = 102;
/// The guest's read did not end in its `hvc` or in a stage-2 data abort:
/// another exception reached EL2.
pub const GUEST_EXCEPTION: u8 = 103;
/// An exception taken from EL2 itself: the code under test (or the harness)
/// faulted, for example on an UNDEFINED instruction.
pub const EL2_EXCEPTION: u8 = 104;
/// The program did not start at EL2 (QEMU without `virtualization=on`).
pub const NOT_AT_EL2: u8 = 105;
/// A per-VM flush left another `VTTBR_EL2` than the one it found.
pub const VTTBR_NOT_RESTORED: u8 = 106;
/// A per-VM flush left another `DAIF` than the one it found.
pub const DAIF_NOT_RESTORED: u8 = 107;
/// The command line names no suite ([`crate::report::Suite::parse`]).
pub const BAD_ARGUMENT: u8 = 108;
