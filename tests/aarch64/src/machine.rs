//! The system registers the programs set at EL2: stage 2 and the EL1&0
//! regime the guest reads run in, VTTBR_EL2 and DAIF as the per-VM flushes
//! see them, and an invalidation independent of the code under test.

use core::arch::asm;

use nested_tables::aarch64_stage2::VTCR_EL2;

/// HCR_EL2: EL1 is AArch64 (RW), stage 2 on (VM); TGE clear, as the guest
/// TLB operations require.
const HCR_EL2: u64 = 1 << 31 | 1;
/// MAIR_EL1 attribute 0: Normal, inner and outer write-back.
const MAIR_EL1: u64 = 0xff;
/// TCR_EL1: T0SZ = 25 (39-bit VA, walk from level 1), write-back inner
/// shareable walks, 4K granule, TTBR1 walks off (EPD1), IPS = 40 bits.
const TCR_EL1: u64 = (64 - 39) | 1 << 8 | 1 << 10 | 3 << 12 | 1 << 23 | 2 << 32;
/// SCTLR_EL1's RES1 bits (ARMv8.0): 29, 28, 23, 22, 20, 11.
const SCTLR_EL1_RES1: u64 = 0x30d0_0800;

/// Installs stage 2 with `vttbr` (walked with the table's [`VTCR_EL2`])
/// and EL1's stage-1 registers, with the guest's stage-1 root at
/// `stage1_root`. TCR_EL1 is written here only: writing it between two
/// reads makes QEMU forget every cached translation.
pub fn configure(vttbr: u64, stage1_root: usize) {
    // SAFETY: configures the EL1&0 regime (not running yet) and stage 2;
    // EL2's own translation (off) is untouched.
    unsafe {
        asm!(
            "msr vtcr_el2, {vtcr}",
            "msr vttbr_el2, {vttbr}",
            "msr hcr_el2, {hcr}",
            "msr mair_el1, {mair}",
            "msr tcr_el1, {tcr}",
            "msr ttbr0_el1, {ttbr0}",
            "isb",
            vtcr = in(reg) VTCR_EL2,
            vttbr = in(reg) vttbr,
            hcr = in(reg) HCR_EL2,
            mair = in(reg) MAIR_EL1,
            tcr = in(reg) TCR_EL1,
            ttbr0 = in(reg) stage1_root,
            options(nostack),
        );
    }
}

/// Loads another VM's `VTTBR_EL2`, as a hypervisor does to run it.
pub fn load_vttbr(vttbr: u64) {
    // SAFETY: EL1 is not running; the next guest entry uses the new value.
    unsafe { asm!("msr vttbr_el2, {0}", "isb", in(reg) vttbr, options(nostack)) };
}

/// The `VTTBR_EL2` loaded now.
#[must_use]
pub fn vttbr() -> u64 {
    let vttbr;
    // SAFETY: a register read, no side effect.
    unsafe { asm!("mrs {0}, vttbr_el2", out(reg) vttbr, options(nomem, nostack)) };
    vttbr
}

/// `DAIF`: bits 9 (D), 8 (A), 7 (I), 6 (F).
#[must_use]
pub fn daif() -> u64 {
    let daif;
    // SAFETY: a register read, no side effect.
    unsafe { asm!("mrs {0}, daif", out(reg) daif, options(nomem, nostack)) };
    daif
}

/// Sets `DAIF`. Unmasking IRQ and FIQ at EL2 is harmless here: with
/// HCR_EL2.{IMO,FMO} clear they are never taken to EL2, and nothing is
/// configured to raise them.
pub fn set_daif(daif: u64) {
    // SAFETY: see above: no interrupt can be taken.
    unsafe { asm!("msr daif, {0}", in(reg) daif, options(nomem, nostack)) };
}

/// Mode A (`false`: EL1's MMU off, its VA is the IPA) or B (`true`).
pub fn set_el1_mmu(on: bool) {
    // SAFETY: EL1 is not running; the next guest entry sees the new value.
    unsafe {
        asm!(
            "msr sctlr_el1, {0}",
            "isb",
            in(reg) SCTLR_EL1_RES1 | u64::from(on),
            options(nostack),
        );
    }
}

/// Every stage-1 and stage-2 entry of the loaded VMID: the start of each
/// case, independent of the code under test.
pub fn invalidate_all() {
    // SAFETY: TLB maintenance and barriers only.
    unsafe {
        asm!(
            "dsb ishst",
            "tlbi vmalls12e1is",
            "dsb ish",
            "isb",
            options(nostack),
        );
    }
}
