//! The expansion needs only `core`: here `std` is linked for the test
//! harness's entry point but is in no scope the expansion could see.
#![no_std]
#![deny(warnings)]

extern crate std;

use addr_types::address;

/// A bare-metal kernel's physical address.
#[address(prefix = "KPA", range = KernelPhysAddrRange)]
pub struct KernelPhysAddr(usize);

fn main() {
    let base = KernelPhysAddr::from_usize(0x8020_1234);
    let range = KernelPhysAddrRange::from_start_size(base.align_down_4k(), 0x2000);
    std::assert_eq!(std::format!("{base:?}"), "KPA:0x80201234");
    std::assert_eq!(range.end.as_usize(), 0x8020_3000);
}
