//! Nothing of the prelude is in scope: every name the expansion uses must be
//! an absolute path.
#![no_implicit_prelude]
#![deny(warnings)]

use ::addr_types::{address, MemoryAddr};

/// A physical address of a device's DMA window.
#[address(prefix = "DMA", range = DmaAddrRange, translates = "host-virtual")]
pub struct DmaAddr(usize);

fn main() {
    let addr = DmaAddr::from_usize(0x1fff) + 1;
    let range = DmaAddrRange::from_start_size(addr, 0x1000);
    ::std::assert!(addr.is_aligned_4k());
    ::std::assert_eq!(::std::format!("{addr:?} {addr:X}"), "DMA:0x2000 DMA:0x2000");
    ::std::assert_eq!(range.end - addr, 0x1000);
    ::std::assert_eq!(
        addr.align_up(0x1_0000usize),
        <DmaAddr as ::core::convert::From<usize>>::from(0x1_0000)
    );
}
