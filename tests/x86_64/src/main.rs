//! Every VMX invalidation of addr-types, one `#[no_mangle]` function each,
//! never inlined, so that the host test finds each one in the disassembly
//! and checks its encoding. Built, never run: its entry point only keeps
//! the functions alive.
#![no_std]
#![no_main]

use addr_types::arch::x86_64::{self as vmx, VmContext, VmFail};
use addr_types::{GuestPhysAddr, GuestVirtAddr};

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

/// `vm.flush_guest_physical(gpa)`: single-context INVEPT of the VM's EPTP.
#[no_mangle]
#[inline(never)]
pub extern "C" fn vm_flush_guest_physical(vm: &VmContext, gpa: usize) -> u8 {
    code(vm.flush_guest_physical(GuestPhysAddr::from_usize(gpa)))
}

/// `vm.flush_guest_physical_all()`: the same.
#[no_mangle]
#[inline(never)]
pub extern "C" fn vm_flush_guest_physical_all(vm: &VmContext) -> u8 {
    code(vm.flush_guest_physical_all())
}

/// `vm.flush_guest_virtual(gva)`: individual-address INVVPID of the VM's
/// VPID.
#[no_mangle]
#[inline(never)]
pub extern "C" fn vm_flush_guest_virtual(vm: &VmContext, gva: usize) -> u8 {
    code(vm.flush_guest_virtual(GuestVirtAddr::from_usize(gva)))
}

/// `vm.flush_guest_virtual_all()`: single-context INVVPID of the VM's VPID.
#[no_mangle]
#[inline(never)]
pub extern "C" fn vm_flush_guest_virtual_all(vm: &VmContext) -> u8 {
    code(vm.flush_guest_virtual_all())
}

use flush_wrappers::{
    flush_gpa_all, flush_gpa_one, flush_gva_all, flush_gva_one, flush_host_all, flush_host_one,
};

/// Keeps every function in the image.
#[no_mangle]
extern "C" fn _start() -> ! {
    let kept: [*const (); 15] = [
        invept_single as *const (),
        invept_all as *const (),
        invvpid_individual as *const (),
        invvpid_single as *const (),
        invvpid_all as *const (),
        vm_flush_guest_physical as *const (),
        vm_flush_guest_physical_all as *const (),
        vm_flush_guest_virtual as *const (),
        vm_flush_guest_virtual_all as *const (),
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
