//! A client of ax-memory-addr 0.6, as axvm-types 0.7.3 and axaddrspace
//! 0.5.19 are: its address types are ax-memory-addr 0.6's and go straight
//! into ax-page-table-entry 0.8.

use addr_types::ax_memory_addr_06::{GuestPhysAddr, GuestPhysAddrRange, HostPhysAddr};
use ax_page_table_entry::{GenericPTE, MappingFlags};

/// This generation's host physical address, as this crate sees it.
pub type Frame = HostPhysAddr;

/// This generation's guest-physical range, as this crate sees it.
pub type GuestRam = GuestPhysAddrRange;

/// A leaf entry for `frame`: `GenericPTE::new_page` takes ax-memory-addr
/// 0.6's `PhysAddr`, which is `HostPhysAddr` with no conversion.
#[must_use]
pub fn leaf<P: GenericPTE>(frame: Frame) -> P {
    P::new_page(frame, MappingFlags::READ | MappingFlags::WRITE, false)
}

/// `frame` through a function that names ax-memory-addr 0.6's own type.
#[must_use]
pub fn as_ax_memory_addr_06(frame: Frame) -> ax_memory_addr_06::PhysAddr {
    frame
}

/// Guest RAM as ax-memory-addr 0.6's own `AddrRange`.
#[must_use]
pub fn guest_ram(start: usize, size: usize) -> ax_memory_addr_06::AddrRange<GuestPhysAddr> {
    GuestRam::from_start_size(GuestPhysAddr::from_usize(start), size)
}
