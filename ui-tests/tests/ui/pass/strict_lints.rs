//! A user crate with strict lints sees none of them fire on the expansion.
//! trybuild runs rustc only, so the `clippy::` levels here take effect when
//! clippy lints this same code in `ui-tests/src/lib.rs` (see there).
#![deny(warnings, unused_qualifications, missing_docs, unsafe_code)]
#![deny(rust_2018_idioms, unreachable_pub, missing_debug_implementations)]
#![deny(trivial_casts, trivial_numeric_casts, unused_results, dead_code)]
#![deny(clippy::all, clippy::pedantic)]

use addr_types::address;

/// Guest physical address.
#[address(prefix = "GPA", range = GuestPhysAddrRange, translates = "guest-physical")]
pub struct GuestPhysAddr(usize);

/// Guest virtual address, under its default prefix.
#[address(range = GuestVirtAddrRange, translates = "guest-virtual")]
pub struct GuestVirtAddr(usize);

/// Host virtual address, with a public field.
#[address(prefix = "HVA", translates = "host-virtual", crate = ::addr_types)]
pub struct HostVirtAddr(pub usize);

fn main() {
    let gpa = GuestPhysAddr::from_usize(0x1234);
    let gva = GuestVirtAddr::from_usize(0x5678);
    let hva = HostVirtAddr(0x9abc);
    let gpas = GuestPhysAddrRange::from_start_size(gpa.align_down_4k(), 0x1000);
    let gvas = GuestVirtAddrRange::from_start_size(gva.align_down_4k(), 0x1000);
    assert!(gpas.contains(gpa) && gvas.contains(gva));
    assert_eq!(
        format!("{gpa:?} {gva:x} {hva:X}"),
        "GPA:0x1234 GuestVirtAddr:0x5678 HVA:0x9ABC"
    );
}
