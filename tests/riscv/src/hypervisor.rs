//! The hypervisor state the programs set up in M-mode (`hgatp`, HS-mode with
//! `mstatus.TVM = 1`) and the guest reads they make from HS-mode.

use core::arch::asm;
use core::sync::atomic::{AtomicBool, Ordering};

use addr_types::arch::riscv::{HGATP_VMID_BITS, HGATP_VMID_SHIFT};

/// `hgatp.MODE` of the G-stage translation the programs install: Sv39x4 on
/// RV64 (`8 << 60`), Sv32x4 on RV32 (`1 << 31`).
#[cfg(target_arch = "riscv64")]
pub const HGATP_MODE_X4: usize = 8 << 60;
/// `hgatp.MODE` of the G-stage translation the programs install: Sv39x4 on
/// RV64 (`8 << 60`), Sv32x4 on RV32 (`1 << 31`).
#[cfg(target_arch = "riscv32")]
pub const HGATP_MODE_X4: usize = 1 << 31;

/// `hgatp` for a G-stage root table at host physical address `root` (16 KiB
/// aligned) and `vmid`.
///
/// # Panics
///
/// If `root` is not 16 KiB aligned: a real hart reads `hgatp.PPN`'s two low
/// bits as zero and would walk another table, while QEMU 7.2 keeps and uses
/// them, so it could not catch the mistake.
#[must_use]
pub fn hgatp(root: usize, vmid: usize) -> usize {
    assert_eq!(root % 0x4000, 0, "the G-stage root must be 16 KiB aligned");
    HGATP_MODE_X4 | vmid << HGATP_VMID_SHIFT | root >> 12
}

/// The VMID field of an `hgatp` value.
#[must_use]
pub const fn hgatp_vmid(hgatp: usize) -> usize {
    (hgatp >> HGATP_VMID_SHIFT) & ((1 << HGATP_VMID_BITS) - 1)
}

/// The current `hgatp` (in HS-mode, QEMU 8 and later trap the read under TVM;
/// the handler performs it).
#[must_use]
pub fn read_hgatp() -> usize {
    let value;
    // SAFETY: reads a CSR.
    unsafe { asm!("csrr {0}, hgatp", out(reg) value, options(nomem, nostack)) };
    value
}

/// Whether S-mode interrupts are enabled (`sstatus.SIE`).
#[must_use]
pub fn interrupts_enabled() -> bool {
    let sstatus: usize;
    // SAFETY: reads a CSR.
    unsafe { asm!("csrr {0}, sstatus", out(reg) sstatus, options(nomem, nostack)) };
    sstatus & 0b10 != 0
}

/// Installs `value` in `hgatp` with the VS stage Bare and `hlv` accesses at
/// VS-mode privilege, then fences every G-stage translation. In M-mode,
/// before the code under test runs.
pub fn install_hgatp(value: usize) {
    const HSTATUS_SPVP: usize = 1 << 8;
    // SAFETY: runs in M-mode, before anything uses the G stage: configures
    // the two-stage translation `hlv` uses, and flushes what the hart cached
    // of the previous one.
    unsafe {
        asm!(
            "csrw hgatp, {hgatp}",
            "csrw vsatp, zero",
            "csrs hstatus, {spvp}",
            hgatp = in(reg) value,
            spvp = in(reg) HSTATUS_SPVP,
            options(nostack),
        );
    }
    addr_types::arch::riscv::hfence_gvma_all();
}

/// Returns in HS-mode (S-mode with V = 0) with `mstatus.TVM = 1`, so that
/// every `hfence.gvma` from now on traps to M-mode, and with S-mode
/// interrupts enabled (`sstatus.SIE = 1`; none is, in `sie`, so none
/// fires) so that a flush that masks them shows it.
pub fn enter_hs_mode_with_tvm() {
    const MSTATUS_SIE: usize = 1 << 1;
    const MSTATUS_MPP_MASK: usize = 0b11 << 11;
    const MSTATUS_MPP_S: usize = 0b01 << 11;
    const MSTATUS_TVM: usize = 1 << 20;
    #[cfg(target_arch = "riscv64")]
    const MSTATUS_MPV: usize = 1 << 39;
    // RV32 keeps MPV in mstatush.
    #[cfg(target_arch = "riscv32")]
    const MSTATUS_MPV: usize = 0;
    // SAFETY: `mret` continues at label 2, in S-mode, with every register
    // and the stack unchanged; PMP lets S-mode reach all memory, and no
    // interrupt is enabled in `mie`/`sie`.
    unsafe {
        asm!(
            "csrw sie, zero",
            "csrw mie, zero",
            "csrc mstatus, {clear}",
            "csrs mstatus, {set}",
            "la {pc}, 2f",
            "csrw mepc, {pc}",
            "mret",
            "2:",
            clear = in(reg) MSTATUS_MPP_MASK | MSTATUS_MPV,
            set = in(reg) MSTATUS_MPP_S | MSTATUS_TVM | MSTATUS_SIE,
            pc = out(reg) _,
            options(nostack),
        );
    }
}

/// A guest-page fault on a [`read_guest`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuestPageFault;

static EXPECTING_FAULT: AtomicBool = AtomicBool::new(false);
static FAULTED: AtomicBool = AtomicBool::new(false);

/// For the trap handler: if a [`read_guest`] is under way, notes its fault,
/// lets `skip` clear the load's destination, and returns `true`.
pub(crate) fn take_expected_fault(skip: impl FnOnce()) -> bool {
    if !EXPECTING_FAULT.swap(false, Ordering::Relaxed) {
        return false;
    }
    skip();
    FAULTED.store(true, Ordering::Relaxed);
    true
}

/// Reads the doubleword at guest physical address `gpa` through the
/// two-stage translation (the VS stage being Bare: through the G stage
/// only), from HS-mode; a guest-page fault is returned, not fatal.
///
/// # Errors
///
/// [`GuestPageFault`] if the G stage does not map `gpa`.
#[cfg(target_arch = "riscv64")]
pub fn read_guest(gpa: usize) -> Result<u64, GuestPageFault> {
    FAULTED.store(false, Ordering::Relaxed);
    EXPECTING_FAULT.store(true, Ordering::Relaxed);
    let value;
    // SAFETY: `hlv.d` is a load through the G-stage table; a fault traps to
    // M-mode, which clears the destination and resumes after it. The
    // atomics around it are ordered by the `asm!` (not `nomem`).
    unsafe {
        asm!(
            ".option push",
            ".option arch, +h",
            "hlv.d {value}, ({gpa})",
            ".option pop",
            value = out(reg) value,
            gpa = in(reg) gpa,
            options(nostack),
        );
    }
    EXPECTING_FAULT.store(false, Ordering::Relaxed);
    if FAULTED.swap(false, Ordering::Relaxed) {
        Err(GuestPageFault)
    } else {
        Ok(value)
    }
}
