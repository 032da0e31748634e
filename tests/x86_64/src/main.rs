//! Every VMX invalidation of addr-types, one `#[no_mangle]` function each,
//! never inlined, so that the host test finds each one in the disassembly
//! and checks its encoding. Built, never run: its entry point only keeps
//! the functions alive.
#![no_std]
#![no_main]

use addr_types::arch::x86_64::{self as vmx, VmFail};
use addr_types::{address, FlushTlb, GuestPhysAddr, GuestVirtAddr};

/// A host virtual address type, given the host-virtual kind the way the
/// `#[address]` expansion gives one.
#[address(prefix = "HVA")]
pub struct HostVa(usize);
addr_types::__private::impl_address_kind!(HostVa, host_virtual);

/// 0 for success, 1 for VMfailInvalid, 2 for VMfailValid.
fn code(result: Result<(), VmFail>) -> u8 {
    match result {
        Ok(()) => 0,
        Err(VmFail::Invalid) => 1,
        Err(VmFail::Valid) => 2,
    }
}

/// INVEPT single-context of `eptp`.
#[no_mangle]
#[inline(never)]
pub extern "C" fn invept_single(eptp: u64) -> u8 {
    code(vmx::invept_single_context(eptp))
}

/// INVEPT all-context.
#[no_mangle]
#[inline(never)]
pub extern "C" fn invept_all() -> u8 {
    code(vmx::invept_all_context())
}

/// INVVPID individual-address of `gva` in `vpid`.
#[no_mangle]
#[inline(never)]
pub extern "C" fn invvpid_individual(vpid: u16, gva: u64) -> u8 {
    code(vmx::invvpid_individual_address(vpid, gva))
}

/// INVVPID single-context of `vpid`.
#[no_mangle]
#[inline(never)]
pub extern "C" fn invvpid_single(vpid: u16) -> u8 {
    code(vmx::invvpid_single_context(vpid))
}

/// INVVPID all-context.
#[no_mangle]
#[inline(never)]
pub extern "C" fn invvpid_all() -> u8 {
    code(vmx::invvpid_all_context())
}

/// `<GuestPhysAddr as FlushTlb>::flush_tlb(Some(gpa))`.
#[no_mangle]
#[inline(never)]
pub extern "C" fn flush_gpa_one(gpa: usize) {
    GuestPhysAddr::flush_tlb(Some(GuestPhysAddr::from_usize(gpa)));
}

/// `<GuestPhysAddr as FlushTlb>::flush_tlb(None)`.
#[no_mangle]
#[inline(never)]
pub extern "C" fn flush_gpa_all() {
    GuestPhysAddr::flush_tlb(None);
}

/// `<GuestVirtAddr as FlushTlb>::flush_tlb(Some(gva))`.
#[no_mangle]
#[inline(never)]
pub extern "C" fn flush_gva_one(gva: usize) {
    GuestVirtAddr::flush_tlb(Some(GuestVirtAddr::from_usize(gva)));
}

/// `<GuestVirtAddr as FlushTlb>::flush_tlb(None)`.
#[no_mangle]
#[inline(never)]
pub extern "C" fn flush_gva_all() {
    GuestVirtAddr::flush_tlb(None);
}

/// `<HostVa as FlushTlb>::flush_tlb(Some(va))`.
#[no_mangle]
#[inline(never)]
pub extern "C" fn flush_host_one(va: usize) {
    HostVa::flush_tlb(Some(HostVa::from_usize(va)));
}

/// `<HostVa as FlushTlb>::flush_tlb(None)`.
#[no_mangle]
#[inline(never)]
pub extern "C" fn flush_host_all() {
    HostVa::flush_tlb(None);
}

/// Keeps every function in the image.
#[no_mangle]
extern "C" fn _start() -> ! {
    let kept: [*const (); 11] = [
        invept_single as *const (),
        invept_all as *const (),
        invvpid_individual as *const (),
        invvpid_single as *const (),
        invvpid_all as *const (),
        flush_gpa_one as *const (),
        flush_gpa_all as *const (),
        flush_gva_one as *const (),
        flush_gva_all as *const (),
        flush_host_one as *const (),
        flush_host_all as *const (),
    ];
    core::hint::black_box(kept);
    loop {
        core::hint::spin_loop();
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {
        core::hint::spin_loop();
    }
}
