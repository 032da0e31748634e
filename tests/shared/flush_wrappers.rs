//! The `FlushTlb` of every address kind, one `#[no_mangle]`, never inlined
//! function per form, shared by the bare-metal programs of tests/aarch64 and
//! tests/x86_64 (each includes it with `#[path]`): the host tests find each
//! one by name in the disassembly and check its instructions.

use addr_types::{address, FlushTlb, GuestPhysAddr, GuestVirtAddr};

/// A host virtual address type, given the host-virtual kind the way the
/// `#[address]` expansion gives one.
#[address(prefix = "HVA")]
pub struct HostVa(usize);
addr_types::__private::impl_address_kind!(HostVa, host_virtual);

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
