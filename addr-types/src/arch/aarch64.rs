//! AArch64 TLB maintenance for a hypervisor running at EL2, safe to call
//! there.
//!
//! | address kind | instructions (`Some` / `None`) | operand | invalidates | upstream mistake it avoids | proven by |
//! |---|---|---|---|---|---|
//! | guest physical ([`GuestPhysAddr`]) | `tlbi ipas2e1is, Xt`; `dsb ish`; `tlbi vmalle1is` / `tlbi vmalls12e1is` | Xt = IPA >> 12 | stage-2 entries of the IPA, then every stage-1 and combined entry of the VMID / all stage-1 and stage-2 entries of the VMID | axaddrspace's `tlbi vae2is, <raw GPA>` and `tlbi alle2is`: EL2's own regime, guest reads stay stale | QEMU: stale without the flush, fresh after it, in modes A and B; five controls stay stale; disassembly |
//! | guest virtual ([`GuestVirtAddr`]) | `tlbi vaae1is, Xt` / `tlbi vmalle1is` | Xt = VA\[55:12\] | EL1&0 stage-1 and combined entries of the VA, all ASIDs, of the VMID / all of them | (none upstream) | disassembly, executed at EL2 on QEMU |
//! | host virtual | `tlbi vaae1is, Xt` / `tlbi vmalle1` | Xt = VA\[55:12\] | page_table_multiarch's stage-1 flush, EL1&0 regime | (same as upstream) | disassembly, executed at EL2 on QEMU |
//!
//! Every sequence starts with `dsb ishst` and ends with a `dsb` and an `isb`:
//!
//! - `dsb ishst` first, because a TLBI only orders against page-table stores
//!   that have completed: without it a table walk that starts after the
//!   invalidation may still read the old descriptor from a store buffer and
//!   cache it again (Arm ARM, "Ordering and completion of TLB maintenance
//!   instructions"; Linux's `__kvm_tlb_flush_vmid_ipa` begins the same way).
//!   So the caller owes only program order: write the descriptor, then call.
//!   The `asm!` blocks are not `nomem`, so the compiler keeps that order.
//! - `dsb ish` after, so the invalidation is complete on every PE of the
//!   Inner Shareable domain, and `isb` so this PE's later instructions are
//!   fetched and translated after it.
//!
//! What each invalidates, and why it is the whole of it:
//!
//! - **Guest physical.** `ipas2e1is` removes only stage-2-only entries of one
//!   IPA; the combined stage 1+2 entries a guest access leaves (VA → PA, with
//!   the IPA forgotten) survive it, as the Arm ARM allows. So the one-address
//!   flush must also drop the current VMID's stage-1 entries (`vmalle1is`),
//!   after the `dsb ish` that completes the stage-2 invalidation, exactly as
//!   Linux KVM's `__kvm_tlb_flush_vmid_ipa`. The operand is the IPA **shifted
//!   right by 12**: Xt holds IPA\[51:12\] in bits \[39:0\].
//!   Upstream axaddrspace flushes guest physical addresses with `tlbi vae2is,
//!   <raw GPA>` and `tlbi alle2is`: EL2's own stage-1 regime, a different
//!   translation regime, so guest reads stay stale (measured, see below).
//! - **Guest virtual.** `vaae1is` removes the EL1&0 entries of one VA for all
//!   ASIDs, combined stage 1+2 entries included; the operand is VA\[55:12\]
//!   in bits \[43:0\], masked so an upper-half VA leaves the TTL hint
//!   (bits \[47:44\]) zero.
//! - **Host virtual.** page_table_multiarch's own aarch64 stage-1 flush, with
//!   the leading `dsb ishst`: the EL1&0 regime (the EL2&0 regime when the
//!   host runs with `HCR_EL2.{E2H,TGE} = {1,1}`); its `None` form is local
//!   to the executing PE, as upstream's is.
//!
//! The guest operations act on the VMID in `VTTBR_EL2` (and, at EL2,
//! require `HCR_EL2.TGE = 0`): install the guest's VTTBR_EL2 before calling
//! them. They must run at EL2; at EL1 they are UNDEFINED, and a guest
//! executing them traps to its hypervisor.
//!
//! How it is proven: tests/aarch64 runs a real stage-2 table over
//! [`GuestPhysAddr`] on QEMU (`virt,virtualization=on`), reads a remapped page
//! from EL1 and requires the read to be stale without a flush and fresh after
//! each of `flush_tlb(Some(_))`/`flush_tlb(None)`, in two modes (EL1 MMU off,
//! and a guest stage-1 table whose own IPA is remapped); five known mistakes
//! (no flush, upstream's `vae2is`, the unshifted IPA, `vmalle1is` alone,
//! `ipas2e1is` alone) must read stale. tests/tests/aarch64_qemu.rs runs it
//! and checks the disassembly of each sequence; tests/aarch64/README.md has
//! the measured table.
//!
//! The operand computations are `const fn`s, compiled on every target so
//! they are unit-tested on the host; the instructions exist on `aarch64`
//! only.
//!
//! [`GuestPhysAddr`]: crate::GuestPhysAddr
//! [`GuestVirtAddr`]: crate::GuestVirtAddr

/// The Xt operand of `tlbi ipas2e1is` for intermediate physical address
/// `ipa`: IPA\[51:12\] in bits \[39:0\], that is the address **shifted right
/// by 12**. An IPA has at most 52 bits, so nothing reaches the TTL hint.
#[must_use]
#[inline]
pub const fn tlbi_ipa_operand(ipa: usize) -> usize {
    ipa >> 12
}

/// Bits \[43:0\] of a TLBI-by-VA operand: VA\[55:12\]. Written so that it
/// also compiles where `usize` has 32 bits (and the mask keeps them all).
const VA_OPERAND_MASK: usize = usize::MAX >> usize::BITS.saturating_sub(44);

/// The Xt operand of `tlbi vaae1is` for virtual address `va`: VA\[55:12\] in
/// bits \[43:0\], the rest zero (bits \[47:44\] are the TTL hint, where a
/// nonzero value would promise the level of the entry). The same as
/// page_table_multiarch's.
#[must_use]
#[inline]
pub const fn tlbi_va_operand(va: usize) -> usize {
    (va >> 12) & VA_OPERAND_MASK
}

#[cfg(target_arch = "aarch64")]
pub use self::tlbi::*;

// The functions are `#[inline]`, so building addr-types alone does not
// assemble them: the crate that calls them does. tests/aarch64's programs
// call every one and run them under QEMU.
#[cfg(target_arch = "aarch64")]
#[allow(unsafe_code)]
mod tlbi {
    use core::arch::asm;

    /// Invalidates the stage-2 translations of IPA `ipa`, and every
    /// stage-1 (and combined) translation, of the VMID in `VTTBR_EL2`.
    /// Linux KVM's `__kvm_tlb_flush_vmid_ipa`.
    #[inline]
    pub fn flush_guest_physical(ipa: usize) {
        // SAFETY: TLB maintenance and barriers only: they invalidate cached
        // translations, read and write no memory the program owns, and
        // clobber no register. Memory is not declared untouched so that
        // page-table stores stay before them.
        unsafe {
            asm!(
                "dsb ishst",
                "tlbi ipas2e1is, {0}",
                "dsb ish",
                "tlbi vmalle1is",
                "dsb ish",
                "isb",
                in(reg) super::tlbi_ipa_operand(ipa),
                options(nostack, preserves_flags),
            );
        }
    }

    /// Invalidates all stage-1 and stage-2 translations of the VMID in
    /// `VTTBR_EL2`.
    #[inline]
    pub fn flush_guest_physical_all() {
        // SAFETY: as in `flush_guest_physical`.
        unsafe {
            asm!(
                "dsb ishst",
                "tlbi vmalls12e1is",
                "dsb ish",
                "isb",
                options(nostack, preserves_flags),
            );
        }
    }

    /// Invalidates the guest stage-1 (and combined) translations of VA `va`,
    /// for all ASIDs of the VMID in `VTTBR_EL2`.
    #[inline]
    pub fn flush_guest_virtual(va: usize) {
        // SAFETY: as in `flush_guest_physical`.
        unsafe {
            asm!(
                "dsb ishst",
                "tlbi vaae1is, {0}",
                "dsb ish",
                "isb",
                in(reg) super::tlbi_va_operand(va),
                options(nostack, preserves_flags),
            );
        }
    }

    /// Invalidates all guest stage-1 (and combined) translations of the VMID
    /// in `VTTBR_EL2`.
    #[inline]
    pub fn flush_guest_virtual_all() {
        // SAFETY: as in `flush_guest_physical`.
        unsafe {
            asm!(
                "dsb ishst",
                "tlbi vmalle1is",
                "dsb ish",
                "isb",
                options(nostack, preserves_flags),
            );
        }
    }

    /// Invalidates the EL1&0 stage-1 translations of VA `va` for all ASIDs:
    /// page_table_multiarch's `A64PagingMetaData::flush_tlb(Some(_))`.
    #[inline]
    pub fn flush_host_virtual(va: usize) {
        // SAFETY: as in `flush_guest_physical`.
        unsafe {
            asm!(
                "dsb ishst",
                "tlbi vaae1is, {0}",
                "dsb sy",
                "isb",
                in(reg) super::tlbi_va_operand(va),
                options(nostack, preserves_flags),
            );
        }
    }

    /// Invalidates all EL1&0 stage-1 translations on this PE:
    /// page_table_multiarch's `A64PagingMetaData::flush_tlb(None)`.
    #[inline]
    pub fn flush_host_virtual_all() {
        // SAFETY: as in `flush_guest_physical`.
        unsafe {
            asm!(
                "dsb ishst",
                "tlbi vmalle1",
                "dsb sy",
                "isb",
                options(nostack, preserves_flags),
            );
        }
    }
}

/// What [`FlushTlb`](crate::FlushTlb) runs for each kind of address.
#[cfg(target_arch = "aarch64")]
#[inline]
pub(super) fn flush(translation: super::Translation, addr: Option<usize>) {
    use super::Translation::{GuestPhysical, GuestVirtual, HostVirtual};
    match (translation, addr) {
        (GuestPhysical, Some(ipa)) => flush_guest_physical(ipa),
        (GuestPhysical, None) => flush_guest_physical_all(),
        (GuestVirtual, Some(va)) => flush_guest_virtual(va),
        (GuestVirtual, None) => flush_guest_virtual_all(),
        (HostVirtual, Some(va)) => flush_host_virtual(va),
        (HostVirtual, None) => flush_host_virtual_all(),
    }
}

#[cfg(test)]
mod tests {
    use super::{tlbi_ipa_operand, tlbi_va_operand};

    #[test]
    fn ipa_operand_is_the_ipa_shifted_right_by_twelve() {
        assert_eq!(tlbi_ipa_operand(0x40_8020_5000), 0x408_0205);
        assert_eq!(tlbi_ipa_operand(0xfff), 0);
        // The top of a 52-bit IPA space fits bits [39:0].
        assert_eq!(tlbi_ipa_operand((1 << 52) - 1), (1 << 40) - 1);
    }

    #[test]
    fn va_operand_keeps_va_bits_55_to_12_only() {
        assert_eq!(tlbi_va_operand(0x30_0060_1abc), 0x300_0601);
        // An upper-half VA: bits 63:56 are dropped, the TTL hint stays 0.
        assert_eq!(tlbi_va_operand(0xffff_ffc0_8020_0000), 0xfff_fc08_0200);
        assert_eq!(tlbi_va_operand(usize::MAX) >> 44, 0);
    }
}
