//! `MemoryAddr::align_down` takes any `Into<usize>`, as page_table_multiarch's
//! `PageSize` is: no inherent method may narrow that to `usize` alone.
#![deny(warnings)]

use addr_types::{gpa, GuestPhysAddr, MemoryAddr};

/// A page size as page tables name it.
#[derive(Clone, Copy)]
enum PageSize {
    Size4K = 0x1000,
    Size2M = 0x20_0000,
}

impl From<PageSize> for usize {
    fn from(size: PageSize) -> usize {
        size as usize
    }
}

fn main() {
    let gpa: GuestPhysAddr = gpa!(0x8034_5678);
    for (page_size, down, up) in [
        (PageSize::Size4K, 0x8034_5000, 0x8034_6000),
        (PageSize::Size2M, 0x8020_0000, 0x8040_0000),
    ] {
        assert_eq!(gpa.align_down(page_size), gpa!(down));
        assert_eq!(gpa.align_up(page_size), gpa!(up));
        assert!(!gpa.is_aligned(page_size));
        assert_eq!(gpa.align_offset(page_size), gpa - gpa!(down));
    }
}
