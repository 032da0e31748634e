//! The `FlushTlb` of every address kind, one `#[no_mangle]`, never inlined
//! function per form, called by the bare-metal programs of tests/aarch64 and
//! tests/x86_64: the host tests find each one by name in the disassembly
//! and check its instructions. Each program calls every wrapper it links,
//! so none is left out of the image.
#![no_std]
// `#[no_mangle]` counts as unsafe code (two crates could export one symbol):
// the names are the point here, and nothing else in the crate is unsafe.
#![allow(unsafe_code)]

use addr_types::{address, FlushTlb, GuestPhysAddr, GuestVirtAddr};

/// A host virtual address type of the host-virtual kind.
#[address(prefix = "HVA", translates = "host-virtual")]
pub struct HostVa(usize);

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
