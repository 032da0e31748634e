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
//! The hypervisor fences are emitted under `.option arch, +h`, so no
//! `target-feature` is needed to build: executing them on a hart without the
//! H extension (or below HS-mode) raises an illegal-instruction exception, as
//! the privileged spec says.
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
    use super::{hfence_gvma_operand, hfence_vvma_operand, sfence_vma_operand};

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
