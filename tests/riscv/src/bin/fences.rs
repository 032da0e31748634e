//! Executes every fence of addr-types on the hart, in M-mode: on riscv64
//! through both guest address types' `SvVirtAddr::flush_tlb` of both
//! page-table generations (page_table_multiarch 0.6 and
//! ax-page-table-multiarch 0.8: two different traits), on both
//! architectures through the `arch::riscv` functions and the per-VM
//! `VmContext` (whose trap log the `pervm` program checks).
//!
//! With the H extension (QEMU's default CPU) it exits 0. Without it
//! (`-cpu rv64,h=false`), the first `hfence.*` raises an illegal-instruction
//! exception and the program exits with 2: the fences really execute.
//!
//! The `fence_*` and `vm_*` functions are `#[no_mangle]` and never inlined
//! so that the host test can find each one in the disassembly and check its
//! encoding.
#![no_std]
#![no_main]

use addr_types::arch::riscv::{self, VmContext};
use addr_types::{GuestPhysAddr, GuestVirtAddr};
use core::hint::black_box;

/// A guest physical address whose shift by 2 shows in the operand.
const GPA: usize = 0x8020_3000;
/// A guest virtual address; any value does, the checks are on the form.
const GVA: usize = 0x0040_3000;

/// Flushes the G-stage translations of one guest physical address.
#[no_mangle]
#[inline(never)]
pub extern "C" fn fence_gpa_one(gpa: usize) {
    #[cfg(target_arch = "riscv64")]
    {
        use addr_types::GuestPhysAddr;
        use page_table_multiarch::riscv::SvVirtAddr;
        <GuestPhysAddr as SvVirtAddr>::flush_tlb(Some(GuestPhysAddr::from_usize(gpa)));
    }
    #[cfg(target_arch = "riscv32")]
    riscv::hfence_gvma(gpa);
}

/// Flushes all G-stage translations.
#[no_mangle]
#[inline(never)]
pub extern "C" fn fence_gpa_all() {
    #[cfg(target_arch = "riscv64")]
    {
        use addr_types::GuestPhysAddr;
        use page_table_multiarch::riscv::SvVirtAddr;
        <GuestPhysAddr as SvVirtAddr>::flush_tlb(None);
    }
    #[cfg(target_arch = "riscv32")]
    riscv::hfence_gvma_all();
}

/// Flushes the VS-stage translations of one guest virtual address.
#[no_mangle]
#[inline(never)]
pub extern "C" fn fence_gva_one(gva: usize) {
    #[cfg(target_arch = "riscv64")]
    {
        use addr_types::GuestVirtAddr;
        use page_table_multiarch::riscv::SvVirtAddr;
        <GuestVirtAddr as SvVirtAddr>::flush_tlb(Some(GuestVirtAddr::from_usize(gva)));
    }
    #[cfg(target_arch = "riscv32")]
    riscv::hfence_vvma(gva);
}

/// Flushes all VS-stage translations.
#[no_mangle]
#[inline(never)]
pub extern "C" fn fence_gva_all() {
    #[cfg(target_arch = "riscv64")]
    {
        use addr_types::GuestVirtAddr;
        use page_table_multiarch::riscv::SvVirtAddr;
        <GuestVirtAddr as SvVirtAddr>::flush_tlb(None);
    }
    #[cfg(target_arch = "riscv32")]
    riscv::hfence_vvma_all();
}

/// The guest types' flushes through ax-page-table-multiarch 0.8's
/// `SvVirtAddr`, one function per form as above, so that the host test
/// checks their encodings too. Each body is its 0.6 twin's, so each starts
/// with an empty `black_box(())`: rustc merges identical functions into
/// aliases, and the disassembly would show the twin's name only.
#[cfg(target_arch = "riscv64")]
mod current_generation {
    use addr_types::{GuestPhysAddr, GuestVirtAddr};
    use ax_page_table_multiarch::riscv::SvVirtAddr;

    /// `fence_gpa_one` through the 0.8 trait.
    #[no_mangle]
    #[inline(never)]
    pub extern "C" fn fence_gpa_one_pt08(gpa: usize) {
        core::hint::black_box(());
        <GuestPhysAddr as SvVirtAddr>::flush_tlb(Some(GuestPhysAddr::from_usize(gpa)));
    }

    /// `fence_gpa_all` through the 0.8 trait.
    #[no_mangle]
    #[inline(never)]
    pub extern "C" fn fence_gpa_all_pt08() {
        core::hint::black_box(());
        <GuestPhysAddr as SvVirtAddr>::flush_tlb(None);
    }

    /// `fence_gva_one` through the 0.8 trait.
    #[no_mangle]
    #[inline(never)]
    pub extern "C" fn fence_gva_one_pt08(gva: usize) {
        core::hint::black_box(());
        <GuestVirtAddr as SvVirtAddr>::flush_tlb(Some(GuestVirtAddr::from_usize(gva)));
    }

    /// `fence_gva_all` through the 0.8 trait.
    #[no_mangle]
    #[inline(never)]
    pub extern "C" fn fence_gva_all_pt08() {
        core::hint::black_box(());
        <GuestVirtAddr as SvVirtAddr>::flush_tlb(None);
    }
}

/// Flushes the current stage's translations of one host virtual address.
#[no_mangle]
#[inline(never)]
pub extern "C" fn fence_host_one(va: usize) {
    riscv::sfence_vma(va);
}

/// Flushes all of the current stage's translations.
#[no_mangle]
#[inline(never)]
pub extern "C" fn fence_host_all() {
    riscv::sfence_vma_all();
}

/// VMID 0, known to the compiler: the per-VM flushes must still pass it in
/// a register (rs2 = `x0` would mean every VMID).
const VM0: VmContext = match VmContext::new(0, 0) {
    Ok(vm) => vm,
    Err(_) => panic!("VMID 0 fits any VMIDLEN"),
};

/// The context of VMID `vmid` on a hart with 14 (RV64) or 7 (RV32) VMID
/// bits; `None` for a wider one.
fn vm(vmid: u16) -> Option<VmContext> {
    VmContext::new(vmid, riscv::HGATP_VMID_BITS).ok()
}

/// Per VM: the G-stage translations of one guest physical address.
#[no_mangle]
#[inline(never)]
pub extern "C" fn vm_gpa_one(vmid: u16, gpa: usize) {
    if let Some(vm) = vm(vmid) {
        vm.flush_guest_physical(GuestPhysAddr::from(gpa));
    }
}

/// Per VM: [`vm_gpa_one`] for VMID 0, a constant.
#[no_mangle]
#[inline(never)]
pub extern "C" fn vm_gpa_one_vmid0(gpa: usize) {
    VM0.flush_guest_physical(GuestPhysAddr::from(gpa));
}

/// Per VM: all G-stage translations of VMID 0, a constant.
#[no_mangle]
#[inline(never)]
pub extern "C" fn vm_gpa_all_vmid0() {
    VM0.flush_guest_physical_all();
}

/// Per VM: the VS-stage translations of one guest virtual address.
#[no_mangle]
#[inline(never)]
pub extern "C" fn vm_gva_one(vmid: u16, gva: usize) {
    if let Some(vm) = vm(vmid) {
        vm.flush_guest_virtual(GuestVirtAddr::from(gva));
    }
}

/// Per VM: all VS-stage translations.
#[no_mangle]
#[inline(never)]
pub extern "C" fn vm_gva_all(vmid: u16) {
    if let Some(vm) = vm(vmid) {
        vm.flush_guest_virtual_all();
    }
}

#[no_mangle]
extern "C" fn hart_main() -> ! {
    // The trait impls and the plain functions (the same fences on riscv64,
    // reached two ways).
    fence_gpa_one(black_box(GPA));
    fence_gpa_all();
    fence_gva_one(black_box(GVA));
    fence_gva_all();
    fence_host_one(black_box(GVA));
    fence_host_all();
    #[cfg(target_arch = "riscv64")]
    {
        current_generation::fence_gpa_one_pt08(black_box(GPA));
        current_generation::fence_gpa_all_pt08();
        current_generation::fence_gva_one_pt08(black_box(GVA));
        current_generation::fence_gva_all_pt08();
    }
    riscv::hfence_gvma(black_box(GPA));
    riscv::hfence_gvma_all();
    riscv::hfence_vvma(black_box(GVA));
    riscv::hfence_vvma_all();
    riscv::sfence_vma(black_box(GVA));
    riscv::sfence_vma_all();
    // The per-VM forms and the VMIDLEN probe, in M-mode: the guest-virtual
    // ones and the probe swap hgatp and back.
    if riscv::probe_vmidlen() != riscv::HGATP_VMID_BITS {
        hart::exit(Err(hart::exit_code::VMIDLEN_PROBE));
    }
    vm_gpa_one(black_box(5), black_box(GPA));
    vm_gpa_one_vmid0(black_box(GPA));
    vm_gpa_all_vmid0();
    vm_gva_one(black_box(5), black_box(GVA));
    vm_gva_all(black_box(5));
    hart::exit(Ok(()))
}
