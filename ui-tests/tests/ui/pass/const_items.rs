//! The inherent API is `const`: addresses can be computed in `const` items,
//! and arbitrary alignments through memory_addr's const free functions.
#![deny(warnings)]

use addr_types::{GuestPhysAddr, GuestVirtAddr};

const BASE: GuestPhysAddr = GuestPhysAddr::from_usize(0x8020_1234).align_down_4k();
const END: GuestPhysAddr = GuestPhysAddr::from_usize(0x8020_1234).align_up_4k();
const OFFSET: usize = GuestPhysAddr::from_usize(0x8020_1234).align_offset_4k();
const ALIGNED: bool = BASE.is_aligned_4k();
const RAW: usize = BASE.as_usize();
const HUGE: GuestVirtAddr =
    GuestVirtAddr::from_usize(memory_addr::align_down(0x4030_0000, 0x20_0000));
static TABLE: [GuestPhysAddr; 2] = [BASE, END];

fn main() {
    assert_eq!(BASE.as_usize(), 0x8020_1000);
    assert_eq!(END.as_usize(), 0x8020_2000);
    assert_eq!(OFFSET, 0x234);
    assert!(ALIGNED);
    assert_eq!(RAW, 0x8020_1000);
    assert_eq!(HUGE.as_usize(), 0x4020_0000);
    assert_eq!(TABLE[1] - TABLE[0], 0x1000);
}
