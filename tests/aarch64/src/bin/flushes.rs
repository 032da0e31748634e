//! Executes every aarch64 flush of addr-types at EL2: through both guest
//! types' `FlushTlb`, a host-virtual type's, the `arch::aarch64` functions,
//! and each `VmContext` method for the loaded VM and for another one.
//! Exits 0 when none of them faulted and each per-VM flush left
//! `VTTBR_EL2` and `DAIF` as it found them.
//!
//! The `flush_*` functions (the flush-wrappers crate, tests/flush-wrappers)
//! and the `vm_flush_*` ones below are `#[no_mangle]` and never inlined so
//! that the host test can find each one in the disassembly and check its
//! instructions and operands.
#![no_std]
#![no_main]
// The wrappers are found by name in the disassembly, never called from
// another language: the Rust ABI passes a `VmContext` in one register.
#![allow(clippy::no_mangle_with_rust_abi)]

use addr_types::arch::aarch64::{self, VmContext, VmidWidth};
use addr_types::{
    gpa_range, gva_range, GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange,
};
use core::hint::black_box;
use el2::exit_code;
use el2::machine::{daif, load_vttbr, set_daif, vttbr};

/// A guest physical address whose shift by 12 shows in the operand.
const GPA: usize = 0x40_8020_3000;
/// An upper-half virtual address, whose top bits the operand drops.
const VA: usize = 0xffff_ffc0_8020_3000;

use flush_wrappers::{
    flush_gpa_all, flush_gpa_one, flush_gva_all, flush_gva_one, flush_host_all, flush_host_one,
};

/// `vm.flush_guest_physical(gpa)`.
#[no_mangle]
#[inline(never)]
fn vm_flush_gpa_one(vm: VmContext, gpa: GuestPhysAddr) {
    vm.flush_guest_physical(gpa);
}

/// `vm.flush_guest_physical_range(range)`.
#[no_mangle]
#[inline(never)]
fn vm_flush_gpa_range(vm: VmContext, range: GuestPhysAddrRange) {
    vm.flush_guest_physical_range(range);
}

/// `vm.flush_guest_physical_all()`.
#[no_mangle]
#[inline(never)]
fn vm_flush_gpa_all(vm: VmContext) {
    vm.flush_guest_physical_all();
}

/// `vm.flush_guest_virtual(gva)`.
#[no_mangle]
#[inline(never)]
fn vm_flush_gva_one(vm: VmContext, gva: GuestVirtAddr) {
    vm.flush_guest_virtual(gva);
}

/// `vm.flush_guest_virtual_range(range)`.
#[no_mangle]
#[inline(never)]
fn vm_flush_gva_range(vm: VmContext, range: GuestVirtAddrRange) {
    vm.flush_guest_virtual_range(range);
}

/// `vm.flush_guest_virtual_all()`.
#[no_mangle]
#[inline(never)]
fn vm_flush_gva_all(vm: VmContext) {
    vm.flush_guest_virtual_all();
}

/// DAIF with IRQ and FIQ unmasked: the flushes mask them and must put them
/// back.
const DAIF_IRQ_FIQ_UNMASKED: u64 = 0b1100 << 6;

/// Runs every per-VM flush of `vm` (through black boxes, so the wrappers
/// stay calls) and checks what each leaves.
fn per_vm_flushes(vm: VmContext) -> Result<(), u8> {
    let loaded = vttbr();
    let flushes: [&dyn Fn(); 9] = [
        &|| vm_flush_gpa_one(black_box(vm), black_box(GuestPhysAddr::from_usize(GPA))),
        // Page by page (or range TLBIs), the whole VMID, nothing.
        &|| vm_flush_gpa_range(black_box(vm), black_box(gpa_range!(GPA..GPA + 0x3000))),
        &|| vm_flush_gpa_range(black_box(vm), black_box(gpa_range!(GPA..GPA + 0x20_1000))),
        &|| vm_flush_gpa_range(black_box(vm), black_box(gpa_range!(GPA..GPA))),
        &|| vm_flush_gpa_all(black_box(vm)),
        &|| vm_flush_gva_one(black_box(vm), black_box(GuestVirtAddr::from_usize(VA))),
        &|| vm_flush_gva_range(black_box(vm), black_box(gva_range!(VA..VA + 0x3000))),
        &|| vm_flush_gva_range(black_box(vm), black_box(gva_range!(VA..VA + 0x20_1000))),
        &|| vm_flush_gva_all(black_box(vm)),
    ];
    for flush in flushes {
        set_daif(DAIF_IRQ_FIQ_UNMASKED);
        flush();
        let after = daif();
        set_daif(0b1111 << 6);
        if vttbr() != loaded {
            return Err(exit_code::VTTBR_NOT_RESTORED);
        }
        if after != DAIF_IRQ_FIQ_UNMASKED {
            return Err(exit_code::DAIF_NOT_RESTORED);
        }
    }
    Ok(())
}

#[no_mangle]
extern "C" fn el2_main() -> ! {
    if el2::current_el() != 2 {
        el2::exit(Err(exit_code::NOT_AT_EL2));
    }
    flush_gpa_one(black_box(GPA));
    flush_gpa_all();
    flush_gva_one(black_box(VA));
    flush_gva_all();
    flush_host_one(black_box(VA));
    flush_host_all();
    aarch64::flush_guest_physical(black_box(GPA));
    aarch64::flush_guest_physical_all();
    aarch64::flush_guest_virtual(black_box(VA));
    aarch64::flush_guest_virtual_all();
    aarch64::flush_host_virtual(black_box(VA));
    aarch64::flush_host_virtual_all();
    // Stage 2 stays off: the per-VM flushes only need VTTBR_EL2 values.
    // VM 1's context flushes with VM 1 loaded, then with VM 2 loaded.
    let width = VmidWidth::current();
    let vm = |vmid: u64| VmContext::new(vmid << 48 | 0x4100_0000, width).expect("VMIDs 1, 2 fit");
    let (one, two) = (vm(1), vm(2));
    load_vttbr(one.vttbr());
    let result = per_vm_flushes(one).and_then(|()| {
        load_vttbr(two.vttbr());
        per_vm_flushes(one)
    });
    el2::exit(result)
}
