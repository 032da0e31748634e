//! The seed era's own names: its prelude, its shorthands, and the text
//! services every generation shares.
use addr_types::memory_addr_04::prelude::*;
use addr_types::{parse_addr, HexAddr};

fn main() {
    let root: memory_addr::PhysAddr = hpa!(0x8020_0000);
    let ram: memory_addr::AddrRange<GuestPhysAddr> = gpa_range!(0x8000_0000..0x8800_0000);
    assert_eq!(ram.pages_2m().map(Iterator::count), Some(64));
    assert_eq!(parse_addr::<HostPhysAddr>("0x8020_0000"), Ok(root));
    assert_eq!(format!("{:>12}", HexAddr::new(root)), "  0x80200000");
    assert_eq!(addr_types::hpa!(memory_addr_04; 0x8020_0000), root);
    assert!(gpa!(0x1000).is_aligned_4k());
}
