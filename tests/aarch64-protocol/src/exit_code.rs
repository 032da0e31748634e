//! Exit codes of the bare-metal programs, shared with the host test that runs
//! them (tests/tests/aarch64_qemu.rs).
//!
//! A program ends with semihosting `SYS_EXIT`; QEMU exits with the code the
//! program passes. Every code is below 256, so the status is the code.

/// The stage-2 test's outcome: [`STALE_BASE`] plus one bit per case that read
/// stale after its flush, 0 when every case read fresh.
pub const STALE_BASE: u8 = 64;
/// Mode A (EL1 MMU off: the guest read's VA is the IPA whose leaf changed),
/// `flush_tlb(Some(ipa))` through page_table_multiarch's cursor.
pub const STALE_A_ONE: u8 = 1;
/// Mode A, `flush_tlb(None)`.
pub const STALE_A_ALL: u8 = 2;
/// Mode B (EL1 MMU on: the IPA whose leaf changed holds the guest's stage-1
/// table), `flush_tlb(Some(ipa))`.
pub const STALE_B_ONE: u8 = 4;
/// Mode B, `flush_tlb(None)`.
pub const STALE_B_ALL: u8 = 8;

/// A Rust panic (for example a page-table operation that returned an error).
pub const PANIC: u8 = 100;
/// Before the flush, the guest read already returned the new page, so the
/// harness cannot tell a working flush from a missing one.
pub const STALENESS_INVISIBLE: u8 = 101;
/// The first read of a freshly mapped page returned neither page's marker.
pub const MAPPING_NOT_VISIBLE: u8 = 102;
/// The guest's read did not end in its `hvc`: an abort or another exception
/// reached EL2.
pub const GUEST_EXCEPTION: u8 = 103;
/// An exception taken from EL2 itself: the code under test (or the harness)
/// faulted, for example on an UNDEFINED instruction.
pub const EL2_EXCEPTION: u8 = 104;
/// The program did not start at EL2 (QEMU without `virtualization=on`).
pub const NOT_AT_EL2: u8 = 105;
