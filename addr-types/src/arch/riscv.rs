//! RISC-V address-translation fences, safe to call from S/HS-mode code.
//!
//! | address type      | translation it names          | fence         |
//! |-------------------|-------------------------------|---------------|
//! | [`GuestPhysAddr`] | G-stage: GPA → host PA        | `hfence.gvma` |
//! | [`GuestVirtAddr`] | VS-stage: GVA → GPA           | `hfence.vvma` |
//! | host `VirtAddr`   | HS-stage: host VA → host PA   | `sfence.vma`  |
//!
//! Each fence has an "all" form and a "one address" form; every form covers
//! all VMIDs/ASIDs (rs2 = `zero`). The operand computations are plain
//! functions, compiled on every target so they are unit-tested on the host;
//! the fences themselves exist on `riscv32`/`riscv64` only.
//!
//! **With several VMs**, these context-free fences, and so
//! [`FlushTlb`](crate::FlushTlb) and every page-table hook built on it, act
//! as follows. Guest physical: `hfence.gvma` with rs2 = `zero` covers every
//! VMID, which is correct whichever VM's table changed, but drops that
//! address's entries (all entries, for `None`) of every VM. Guest virtual:
//! `hfence.vvma` acts on the VMID in the loaded `hgatp` only, so a VM that
//! is not loaded keeps its stale entries. For one VM at a time, whichever
//! VM is loaded, use [`VmContext`] (built on every target; its flushes and
//! `probe_vmidlen` exist on riscv32 and riscv64):
//!
//! | [`VmContext`] method           | instructions                                                                 | invalidates (that VM only)              |
//! |--------------------------------|------------------------------------------------------------------------------|-----------------------------------------|
//! | `flush_guest_physical(gpa)`    | `hfence.gvma` rs1 = `gpa >> 2`, rs2 = a register holding the VMID            | G-stage entries of `gpa`                |
//! | `flush_guest_physical_range(r)`| that, once per 4 KiB page, up to 512 pages; else as `_all`                   | G-stage entries of the pages of `r`     |
//! | `flush_guest_physical_all()`   | `hfence.gvma zero, <VMID register>`                                          | all its G-stage entries                 |
//! | `flush_guest_virtual(gva)`     | mask `sstatus.SIE`; `hgatp` ← VMID, MODE = Bare; `hfence.vvma gva, zero`; `hgatp` ← saved; `SIE` ← saved | VS-stage entries of `gva`, all ASIDs |
//! | `flush_guest_virtual_range(r)` | one swap around an `hfence.vvma` per page, up to 512 pages; else as `_all`   | VS-stage entries of the pages of `r`    |
//! | `flush_guest_virtual_all()`    | the swap around `hfence.vvma zero, zero`                                     | all its VS-stage entries                |
//! | `probe_vmidlen()`              | mask `SIE`; `hgatp` ← all-ones VMID, MODE = Bare; read back; restore        | nothing: returns VMIDLEN for [`VmContext::new`] |
//!
//! The `hgatp` swap is Linux KVM's (`kvm_riscv_local_hfence_vvma_*`). The
//! range threshold is [`RANGE_FLUSH_PAGE_LIMIT`](super::RANGE_FLUSH_PAGE_LIMIT);
//! an empty or invalid range flushes nothing. `hgatp`'s VMID field is bits
//! 57:44 on RV64 and 28:22 on RV32 ([`HGATP_VMID_SHIFT`],
//! [`HGATP_VMID_BITS`]).
//!
//! The hypervisor fences are emitted under `.option arch, +h`, so no
//! `target-feature` is needed to build: executing them on a hart without the
//! H extension (or below HS-mode) raises an illegal-instruction exception, as
//! the privileged spec says.
//!
//! How it is proven: tests/riscv runs every fence and flush on QEMU `virt` in
//! HS-mode under `mstatus.TVM = 1`, where an M-mode handler logs each
//! `hfence.gvma`, `hfence.vvma` and `hgatp` write with its operands, and
//! checks the log; negative controls (no flush, the tgoskits tree's operand-less
//! `hfence.gvma`, the context-free flush as a per-VM one, `x0` for VMID 0,
//! `hfence.vvma` without the swap) must fail. tests/riscv/README.md has
//! the measured table.
//!
//! [`GuestPhysAddr`]: crate::GuestPhysAddr
//! [`GuestVirtAddr`]: crate::GuestVirtAddr

/// The rs1 operand of `hfence.gvma` for guest physical address `gpa`: the
/// address **shifted right by 2**, because guest physical addresses are up
/// to XLEN + 2 bits wide (RISC-V privileged spec, hypervisor extension,
/// "Hypervisor Memory-Management Fence Instructions").
#[must_use]
#[inline]
pub const fn hfence_gvma_operand(gpa: usize) -> usize {
    gpa >> 2
}

/// The rs1 operand of `hfence.vvma` for guest virtual address `gva`: the
/// address as is.
#[must_use]
#[inline]
pub const fn hfence_vvma_operand(gva: usize) -> usize {
    gva
}

/// The rs1 operand of `sfence.vma` for virtual address `va`: the address as is.
#[must_use]
#[inline]
pub const fn sfence_vma_operand(va: usize) -> usize {
    va
}

/// Where `hgatp` holds the VMID: bits 57:44 on RV64, 28:22 on RV32. Built
/// for another target, the layout of that target's pointer width (so host
/// tests on a 64-bit machine see RV64's).
pub const HGATP_VMID_SHIFT: u32 = if usize::BITS == 64 { 44 } else { 22 };

/// The width of `hgatp`'s VMID field: 14 bits on RV64, 7 on RV32. A hart's
/// VMIDLEN is at most this, and may be less (even 0).
pub const HGATP_VMID_BITS: u32 = if usize::BITS == 64 { 14 } else { 7 };

/// One VM's G-stage translation context on RISC-V: its VMID, checked against
/// the hart's VMIDLEN.
///
/// Its flushes act on that VM whichever VM's `hgatp` is loaded, as Linux
/// KVM's `kvm_riscv_local_hfence_*` do, and leave `hgatp` as they found it:
///
/// - guest physical: `hfence.gvma` with rs2 = a register holding the VMID,
///   which names the VM without touching `hgatp`. VMID 0 too is passed in a
///   register: rs2 = `x0` would mean every VMID.
/// - guest virtual: `hfence.vvma` acts on the VMID in `hgatp` only, so the
///   flush swaps `hgatp` to [`bare_hgatp`](Self::bare_hgatp) (this VMID,
///   `MODE` = Bare), fences, and writes the saved value back. S-mode
///   interrupts are masked (`sstatus.SIE`) for the swap and the mask
///   restored after it: a handler that ran in between would find a Bare
///   G-stage under another VM's VMID (`hlv`/`hsv` would reach host physical
///   memory), and an `hgatp` it wrote would be undone by the restore.
///
/// A range flush invalidates the 4 KiB pages of `[start, end)` one by one up
/// to [`RANGE_FLUSH_PAGE_LIMIT`] pages, and every translation of that kind
/// of the VM beyond, in one instruction (KVM's threshold). An empty or
/// invalid range (`start >= end`) flushes nothing; nothing loops or wraps.
///
/// ```
/// use addr_types::arch::riscv::VmContext;
/// use addr_types::arch::VmidTooWide;
///
/// // A hart with 7 VMID bits (on riscv, `probe_vmidlen()` reads it).
/// let vm = VmContext::new(5, 7)?;
/// assert_eq!(vm.vmid(), 5);
/// assert_eq!(VmContext::new(128, 7), Err(VmidTooWide { vmid: 128, bits: 7 }));
/// # Ok::<(), VmidTooWide>(())
/// ```
///
/// [`RANGE_FLUSH_PAGE_LIMIT`]: super::RANGE_FLUSH_PAGE_LIMIT
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VmContext {
    vmid: u16,
}

impl VmContext {
    /// The context of VMID `vmid` on a hart with `vmidlen` VMID bits
    /// (`probe_vmidlen()` on the hart; a value above
    /// [`HGATP_VMID_BITS`] is read as that, `hgatp` holds no more).
    ///
    /// # Errors
    ///
    /// [`VmidTooWide`](super::VmidTooWide), with the width that applied, if
    /// `vmid` needs more bits: the hart would truncate it and flush another
    /// VM's translations.
    pub const fn new(vmid: u16, vmidlen: u32) -> Result<Self, super::VmidTooWide> {
        let bits = if vmidlen < HGATP_VMID_BITS {
            vmidlen
        } else {
            HGATP_VMID_BITS
        };
        // `bits` is at most 14: the shift cannot overflow.
        if (vmid as u32) >> bits != 0 {
            return Err(super::VmidTooWide {
                vmid: vmid as u64,
                bits,
            });
        }
        Ok(Self { vmid })
    }

    /// The VMID.
    #[must_use]
    pub const fn vmid(&self) -> u16 {
        self.vmid
    }

    /// `hgatp` with this VMID and `MODE` = Bare (no root): what the
    /// guest-virtual flushes load for the duration of their `hfence.vvma`,
    /// as Linux KVM's `kvm_riscv_local_hfence_vvma_*` do.
    #[must_use]
    pub const fn bare_hgatp(&self) -> usize {
        (self.vmid as usize) << HGATP_VMID_SHIFT
    }
}

#[cfg(any(target_arch = "riscv32", target_arch = "riscv64"))]
pub use self::fences::*;

// The fences are `#[inline]`, so building addr-types alone (an rlib) does
// not assemble them: the crate that calls them does. tests/riscv's programs
// call every one, for riscv64gc and riscv32imac, and run them under QEMU.
#[cfg(any(target_arch = "riscv32", target_arch = "riscv64"))]
#[allow(unsafe_code)]
mod fences {
    use core::arch::asm;

    /// Invalidates the G-stage (guest-physical → host-physical) translations
    /// of guest physical address `gpa`, for all VMIDs.
    #[inline]
    pub fn hfence_gvma(gpa: usize) {
        // SAFETY: a fence only invalidates cached translations; it reads and
        // writes no memory and clobbers no register. Memory is not declared
        // untouched so that page-table stores stay ordered before it.
        unsafe {
            asm!(
                ".option push",
                ".option arch, +h",
                "hfence.gvma {0}, zero",
                ".option pop",
                in(reg) super::hfence_gvma_operand(gpa),
                options(nostack, preserves_flags),
            );
        }
    }

    /// Invalidates all G-stage translations, for all VMIDs.
    #[inline]
    pub fn hfence_gvma_all() {
        // SAFETY: as in `hfence_gvma`.
        unsafe {
            asm!(
                ".option push",
                ".option arch, +h",
                "hfence.gvma zero, zero",
                ".option pop",
                options(nostack, preserves_flags),
            );
        }
    }

    /// Invalidates the VS-stage (guest-virtual → guest-physical) translations
    /// of guest virtual address `gva`, for all ASIDs of the current VMID.
    #[inline]
    pub fn hfence_vvma(gva: usize) {
        // SAFETY: as in `hfence_gvma`.
        unsafe {
            asm!(
                ".option push",
                ".option arch, +h",
                "hfence.vvma {0}, zero",
                ".option pop",
                in(reg) super::hfence_vvma_operand(gva),
                options(nostack, preserves_flags),
            );
        }
    }

    /// Invalidates all VS-stage translations of the current VMID.
    #[inline]
    pub fn hfence_vvma_all() {
        // SAFETY: as in `hfence_gvma`.
        unsafe {
            asm!(
                ".option push",
                ".option arch, +h",
                "hfence.vvma zero, zero",
                ".option pop",
                options(nostack, preserves_flags),
            );
        }
    }

    /// Invalidates the translations of virtual address `va` in the current
    /// (S/HS) stage, for all ASIDs.
    #[inline]
    pub fn sfence_vma(va: usize) {
        // SAFETY: as in `hfence_gvma`.
        unsafe {
            asm!(
                "sfence.vma {0}, zero",
                in(reg) super::sfence_vma_operand(va),
                options(nostack, preserves_flags),
            );
        }
    }

    /// Invalidates all translations of the current (S/HS) stage.
    #[inline]
    pub fn sfence_vma_all() {
        // SAFETY: as in `hfence_gvma`.
        unsafe {
            asm!("sfence.vma zero, zero", options(nostack, preserves_flags));
        }
    }
}

/// The per-VM flushes, and the VMIDLEN probe: the instructions of
/// [`VmContext`], on riscv32 and riscv64.
#[cfg(any(target_arch = "riscv32", target_arch = "riscv64"))]
#[allow(unsafe_code)]
mod per_vm {
    use core::arch::asm;

    use super::super::{plan_range_flush, RangeFlush, RANGE_FLUSH_PAGE_LIMIT};
    use super::{hfence_gvma_operand, VmContext, HGATP_VMID_BITS, HGATP_VMID_SHIFT};
    use crate::{AddrRangeExt, GuestPhysAddr, GuestVirtAddr, PAGE_SIZE_4K};

    /// `asm!` that runs `$body` with `{hgatp}` in `hgatp`: S-mode interrupts
    /// masked (`sstatus.SIE`), `hgatp` swapped in, `$body`, the saved `hgatp`
    /// written back, `SIE` restored. The one place that says how `hgatp` is
    /// borrowed; the operands given name `hgatp` and those of `$body`.
    macro_rules! asm_with_hgatp {
        ([$($body:literal),+], $($operands:tt)+) => {
            asm!(
                ".option push",
                ".option arch, +h",
                "csrrci {sstatus}, sstatus, 2",
                "csrrw {saved}, hgatp, {hgatp}",
                $($body,)+
                "csrw hgatp, {saved}",
                "andi {sstatus}, {sstatus}, 2",
                "csrs sstatus, {sstatus}",
                ".option pop",
                sstatus = out(reg) _,
                saved = out(reg) _,
                $($operands)+
            )
        };
    }

    /// The number of VMID bits the hart implements (VMIDLEN), as the
    /// privileged spec says to find it: write ones to every bit of
    /// `hgatp.VMID`, read back which stick, and restore `hgatp`.
    ///
    /// The probe writes `MODE` = Bare, so no G-stage translation exists while
    /// the all-ones VMID is in `hgatp` and nothing can be cached under it;
    /// S-mode interrupts are masked meanwhile, as in the guest-virtual
    /// flushes of [`VmContext`]. Run it in HS-mode (or M-mode), once at boot:
    /// pass the result to [`VmContext::new`].
    #[must_use]
    #[inline]
    pub fn probe_vmidlen() -> u32 {
        let all_ones = ((1usize << HGATP_VMID_BITS) - 1) << HGATP_VMID_SHIFT;
        let read_back: usize;
        // SAFETY: `hgatp` is written twice, with the probe value and then the
        // value it held, with interrupts masked in between (see above);
        // `MODE` = Bare meanwhile, so no translation depends on it. Reads
        // and writes no memory.
        unsafe {
            asm_with_hgatp!(
                ["csrr {read_back}, hgatp"],
                hgatp = in(reg) all_ones,
                read_back = out(reg) read_back,
                options(nomem, nostack, preserves_flags),
            );
        }
        // The implemented VMID bits are the low ones (WARL).
        let vmid = (read_back >> HGATP_VMID_SHIFT) & ((1 << HGATP_VMID_BITS) - 1);
        usize::BITS - vmid.leading_zeros()
    }

    /// `hfence.gvma` of one guest physical address for one VMID.
    #[inline]
    fn hfence_gvma_vmid(gpa: usize, vmid: usize) {
        // SAFETY: a fence only invalidates cached translations. Not `nomem`,
        // so that page-table stores stay ordered before it. `vmid` is in a
        // register (`reg` never allocates `x0`), so VMID 0 is VMID 0 and
        // not "every VMID".
        unsafe {
            asm!(
                ".option push",
                ".option arch, +h",
                "hfence.gvma {gpa}, {vmid}",
                ".option pop",
                gpa = in(reg) hfence_gvma_operand(gpa),
                vmid = in(reg) vmid,
                options(nostack, preserves_flags),
            );
        }
    }

    /// `hfence.gvma` of every guest physical address of one VMID.
    #[inline]
    fn hfence_gvma_vmid_all(vmid: usize) {
        // SAFETY: as in `hfence_gvma_vmid`.
        unsafe {
            asm!(
                ".option push",
                ".option arch, +h",
                "hfence.gvma zero, {vmid}",
                ".option pop",
                vmid = in(reg) vmid,
                options(nostack, preserves_flags),
            );
        }
    }

    /// `hfence.vvma` of `count` (at least 1) guest virtual pages from `first`,
    /// all ASIDs, for the VMID of `hgatp_value`: loaded into `hgatp` for the
    /// fences, the saved value written back after them, S-mode interrupts
    /// masked throughout.
    #[inline]
    fn hfence_vvma_pages_in(hgatp_value: usize, first: usize, count: usize) {
        debug_assert!(count > 0);
        // SAFETY: `hgatp` holds `hgatp_value` only between the swap and the
        // restore, with interrupts masked, and no access through the G stage
        // happens there (see `VmContext`). The fences only invalidate
        // cached translations; not `nomem`, so that page-table stores stay
        // ordered before them.
        unsafe {
            asm_with_hgatp!(
                [
                    "2:",
                    "hfence.vvma {gva}, zero",
                    "add {gva}, {gva}, {page}",
                    "addi {count}, {count}, -1",
                    "bnez {count}, 2b"
                ],
                hgatp = in(reg) hgatp_value,
                gva = inout(reg) first => _,
                count = inout(reg) count => _,
                page = in(reg) PAGE_SIZE_4K,
                options(nostack),
            );
        }
    }

    /// `hfence.vvma` of every guest virtual address, all ASIDs, for the VMID
    /// of `hgatp_value`, swapped in and out as in `hfence_vvma_pages_in`.
    #[inline]
    fn hfence_vvma_all_in(hgatp_value: usize) {
        // SAFETY: as in `hfence_vvma_pages_in`.
        unsafe {
            asm_with_hgatp!(
                ["hfence.vvma zero, zero"],
                hgatp = in(reg) hgatp_value,
                options(nostack, preserves_flags),
            );
        }
    }

    impl VmContext {
        /// Invalidates this VM's G-stage translations of `gpa`:
        /// `hfence.gvma` with rs1 = `gpa >> 2`, rs2 = the VMID. Works
        /// whichever `hgatp` is loaded.
        #[inline]
        pub fn flush_guest_physical(&self, gpa: GuestPhysAddr) {
            hfence_gvma_vmid(gpa.as_usize(), self.vmid.into());
        }

        /// Invalidates this VM's G-stage translations of the 4 KiB pages of
        /// `range`: one `hfence.gvma` per page up to
        /// [`RANGE_FLUSH_PAGE_LIMIT`], else
        /// [`flush_guest_physical_all`](Self::flush_guest_physical_all). An
        /// empty or invalid range (`start >= end`) flushes nothing.
        #[inline]
        pub fn flush_guest_physical_range<R: AddrRangeExt<Addr = GuestPhysAddr>>(&self, range: R) {
            let (start, end) = range.to_ends();
            match plan_range_flush(start, end, RANGE_FLUSH_PAGE_LIMIT) {
                RangeFlush::Nothing => {}
                RangeFlush::Pages { first, count } => {
                    for page in 0..count {
                        hfence_gvma_vmid(first + page * PAGE_SIZE_4K, self.vmid.into());
                    }
                }
                RangeFlush::All => self.flush_guest_physical_all(),
            }
        }

        /// Invalidates all of this VM's G-stage translations:
        /// `hfence.gvma zero, <VMID>`. Works whichever `hgatp` is loaded.
        #[inline]
        pub fn flush_guest_physical_all(&self) {
            hfence_gvma_vmid_all(self.vmid.into());
        }

        /// Invalidates this VM's VS-stage translations of `gva`, all ASIDs:
        /// `hfence.vvma gva, zero` with this VM's VMID swapped into `hgatp`
        /// and the saved `hgatp` restored (see [`VmContext`]).
        #[inline]
        pub fn flush_guest_virtual(&self, gva: GuestVirtAddr) {
            hfence_vvma_pages_in(self.bare_hgatp(), gva.as_usize(), 1);
        }

        /// Invalidates this VM's VS-stage translations of the 4 KiB pages of
        /// `range`, all ASIDs: one `hfence.vvma` per page up to
        /// [`RANGE_FLUSH_PAGE_LIMIT`], inside one `hgatp` swap, else
        /// [`flush_guest_virtual_all`](Self::flush_guest_virtual_all). An
        /// empty or invalid range (`start >= end`) flushes nothing and leaves
        /// `hgatp` alone.
        #[inline]
        pub fn flush_guest_virtual_range<R: AddrRangeExt<Addr = GuestVirtAddr>>(&self, range: R) {
            let (start, end) = range.to_ends();
            match plan_range_flush(start, end, RANGE_FLUSH_PAGE_LIMIT) {
                RangeFlush::Nothing => {}
                RangeFlush::Pages { first, count } => {
                    hfence_vvma_pages_in(self.bare_hgatp(), first, count);
                }
                RangeFlush::All => self.flush_guest_virtual_all(),
            }
        }

        /// Invalidates all of this VM's VS-stage translations:
        /// `hfence.vvma zero, zero` inside an `hgatp` swap (see
        /// [`VmContext`]).
        #[inline]
        pub fn flush_guest_virtual_all(&self) {
            hfence_vvma_all_in(self.bare_hgatp());
        }
    }
}

#[cfg(any(target_arch = "riscv32", target_arch = "riscv64"))]
pub use self::per_vm::probe_vmidlen;

/// What [`FlushTlb`](crate::FlushTlb) runs for each kind of address.
#[cfg(any(target_arch = "riscv32", target_arch = "riscv64"))]
#[inline]
pub(super) fn flush(translation: super::Translation, addr: Option<usize>) {
    use super::Translation::{GuestPhysical, GuestVirtual, HostVirtual};
    match (translation, addr) {
        (GuestPhysical, Some(gpa)) => hfence_gvma(gpa),
        (GuestPhysical, None) => hfence_gvma_all(),
        (GuestVirtual, Some(gva)) => hfence_vvma(gva),
        (GuestVirtual, None) => hfence_vvma_all(),
        (HostVirtual, Some(va)) => sfence_vma(va),
        (HostVirtual, None) => sfence_vma_all(),
    }
}

// On riscv64, one `SvVirtAddr` impl per enabled page-table generation.
// Each macro is chosen by addr-types' own feature and target: a `cfg`
// inside an expansion would test the user's crate's features instead.
#[cfg(all(feature = "ax-memory-addr-06", target_arch = "riscv64"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_sv_virt_addr_06 {
    ($ty:ident, $addr:ident) => {
        #[automatically_derived]
        impl $crate::__private::ax_memory_addr_06::SvVirtAddr for $ty {
            #[inline]
            fn flush_tlb($addr: ::core::option::Option<Self>) {
                <Self as $crate::FlushTlb>::flush_tlb($addr);
            }
        }
    };
}

#[cfg(not(all(feature = "ax-memory-addr-06", target_arch = "riscv64")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_sv_virt_addr_06 {
    ($ty:ident, $addr:ident) => {};
}

#[cfg(all(feature = "memory-addr-04", target_arch = "riscv64"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_sv_virt_addr_04 {
    ($ty:ident, $addr:ident) => {
        #[automatically_derived]
        impl $crate::__private::memory_addr_04::SvVirtAddr for $ty {
            #[inline]
            fn flush_tlb($addr: ::core::option::Option<Self>) {
                <Self as $crate::FlushTlb>::flush_tlb($addr);
            }
        }
    };
}

#[cfg(not(all(feature = "memory-addr-04", target_arch = "riscv64")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_sv_virt_addr_04 {
    ($ty:ident, $addr:ident) => {};
}

#[cfg(test)]
mod tests {
    use super::super::VmidTooWide;
    use super::{
        hfence_gvma_operand, hfence_vvma_operand, sfence_vma_operand, VmContext, HGATP_VMID_BITS,
    };

    #[test]
    fn a_vmid_that_fits_vmidlen_builds_a_context() {
        let vm = VmContext::new(5, 3).expect("5 fits 3 bits");
        assert_eq!(vm.vmid(), 5);
        assert_eq!(VmContext::new(0, 0).map(|vm| vm.vmid()), Ok(0));
        let widest = (1u16 << HGATP_VMID_BITS) - 1;
        assert_eq!(
            VmContext::new(widest, HGATP_VMID_BITS).map(|vm| vm.vmid()),
            Ok(widest)
        );
    }

    #[test]
    fn a_vmid_wider_than_vmidlen_is_refused_never_truncated() {
        assert_eq!(VmContext::new(8, 3), Err(VmidTooWide { vmid: 8, bits: 3 }));
        // A hart without VMIDs (VMIDLEN = 0) has VMID 0 only.
        assert_eq!(VmContext::new(1, 0), Err(VmidTooWide { vmid: 1, bits: 0 }));
        assert_eq!(
            VmContext::new(u16::MAX, 16),
            Err(VmidTooWide {
                vmid: u64::from(u16::MAX),
                bits: HGATP_VMID_BITS
            })
        );
    }

    #[test]
    fn vmidlen_above_the_hgatp_field_is_the_field_width() {
        let too_wide = 1u16 << HGATP_VMID_BITS;
        assert_eq!(
            VmContext::new(too_wide, HGATP_VMID_BITS + 2),
            Err(VmidTooWide {
                vmid: u64::from(too_wide),
                bits: HGATP_VMID_BITS
            })
        );
        assert_eq!(
            VmContext::new(too_wide - 1, u32::MAX).map(|vm| vm.vmid()),
            Ok(too_wide - 1)
        );
    }

    #[test]
    fn bare_hgatp_has_the_layout_of_the_pointer_width() {
        // RV64: VMID in bits 57:44; RV32: in bits 28:22. MODE (the top
        // bits) is Bare, 0; so is the PPN.
        #[cfg(target_pointer_width = "64")]
        let (bits, vmid_1, widest) = (14, 1 << 44, 0x03ff_f000_0000_0000);
        #[cfg(target_pointer_width = "32")]
        let (bits, vmid_1, widest) = (7, 1 << 22, 0x1fc0_0000);
        assert_eq!(HGATP_VMID_BITS, bits);
        let hgatp = |vmid| VmContext::new(vmid, bits).map(|vm| vm.bare_hgatp());
        assert_eq!(hgatp((1 << bits) - 1), Ok(widest));
        assert_eq!(hgatp(1), Ok(vmid_1));
        assert_eq!(hgatp(0), Ok(0));
    }

    #[test]
    fn gvma_operand_is_the_gpa_shifted_right_by_two() {
        assert_eq!(hfence_gvma_operand(0x8020_1000), 0x2008_0400);
        assert_eq!(hfence_gvma_operand(0), 0);
        assert_eq!(hfence_gvma_operand(0b111), 0b1);
        assert_eq!(hfence_gvma_operand(usize::MAX), usize::MAX >> 2);
    }

    #[test]
    fn virtual_fence_operands_are_the_address() {
        assert_eq!(hfence_vvma_operand(usize::MAX - 0xfff), usize::MAX - 0xfff);
        assert_eq!(sfence_vma_operand(0x1234), 0x1234);
    }
}
