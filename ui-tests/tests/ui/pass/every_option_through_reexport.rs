//! A crate that reaches addr-types only through a re-export, as a kernel
//! that re-exports it from its own `mm` crate would: `crate = ...` points the
//! expansion there, written as a path or as a string holding one.
#![deny(warnings)]
mod reexport {
    pub use ::addr_types;
}

use reexport::addr_types::{address, MemoryAddr};

/// Guest physical address, every option given, `crate` as a path.
#[address(
    prefix = "GPA",
    range = GuestPhysAddrRange,
    translates = "guest-physical",
    crate = crate::reexport::addr_types
)]
pub struct GuestPhysAddr(usize);

/// Guest virtual address, every option given, `crate` as a string.
#[address(
    crate = "crate::reexport::addr_types",
    translates = "guest-virtual",
    range = GuestVirtAddrRange,
    prefix = "GVA",
)]
pub struct GuestVirtAddr(usize);

fn main() {
    let gpa = GuestPhysAddr::from_usize(0x8000_1000);
    let gva = GuestVirtAddr::from_usize(0xffff_f000);
    let gpas: GuestPhysAddrRange = reexport::addr_types::AddrRange::from_start_size(gpa, 0x3000);
    let gvas = GuestVirtAddrRange::try_from_start_size(gva, 0x1000).unwrap();
    assert_eq!(
        format!("{gpa:?} {gpa:x} {gpa:X}"),
        "GPA:0x80001000 GPA:0x80001000 GPA:0x80001000"
    );
    assert_eq!(format!("{gva:?} {gva:X}"), "GVA:0xfffff000 GVA:0xFFFFF000");
    assert_eq!(gpas.size(), 0x3000);
    assert_eq!(gvas.end.as_usize(), 0x1_0000_0000);
    assert_eq!(gpa.add(0x10).sub_addr(gpa), 0x10);
    assert_eq!(gpa.align_up(0x2000usize), GuestPhysAddr::from_usize(0x8000_2000));
}
