//! A seed-era client of addr-types, as axaddrspace 0.3 is: its address types
//! are memory_addr 0.4's and go straight into page_table_entry 0.6.

use addr_types::memory_addr_04::{GuestPhysAddr, GuestPhysAddrRange, HostPhysAddr};
use page_table_entry::{GenericPTE, MappingFlags};

/// The seed era's host physical address, as this crate sees it.
pub type Frame = HostPhysAddr;

/// The seed era's guest-physical range, as this crate sees it.
pub type GuestRam = GuestPhysAddrRange;

/// A leaf entry for `frame`: `GenericPTE::new_page` takes memory_addr 0.4's
/// `PhysAddr`, which is `HostPhysAddr` with no conversion.
#[must_use]
pub fn leaf<P: GenericPTE>(frame: Frame) -> P {
    P::new_page(frame, MappingFlags::READ | MappingFlags::WRITE, false)
}

/// `frame` through a function that names memory_addr 0.4's own type.
#[must_use]
pub fn as_memory_addr(frame: Frame) -> memory_addr::PhysAddr {
    frame
}

/// Guest RAM as memory_addr 0.4's own `AddrRange`.
#[must_use]
pub fn guest_ram(start: usize, size: usize) -> memory_addr::AddrRange<GuestPhysAddr> {
    GuestRam::from_start_size(GuestPhysAddr::from_usize(start), size)
}
