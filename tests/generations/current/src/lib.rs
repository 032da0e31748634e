//! A current-generation client of addr-types, as axvm-types 0.7 and
//! axaddrspace 0.6 are: the top-level names are ax-memory-addr 0.7's, and
//! guest ranges are what ax-memory-set 0.8 gives and takes.

use addr_types::{GuestPhysAddr, GuestPhysAddrRange, HostPhysAddr};
use ax_memory_set::{MappingBackend, MemoryArea};

/// The default generation's host physical address, as this crate sees it.
pub type Frame = HostPhysAddr;

/// The default generation's guest-physical range, as this crate sees it.
pub type GuestRam = GuestPhysAddrRange;

/// `frame` through a function that names ax-memory-addr 0.7's own type.
#[must_use]
pub fn as_ax_memory_addr(frame: Frame) -> ax_memory_addr::PhysAddr {
    frame
}

/// The guest range of an ax-memory-set area over guest-physical addresses:
/// `MemoryArea::va_range` returns exactly `GuestPhysAddrRange`.
#[must_use]
pub fn area_range<B: MappingBackend<Addr = GuestPhysAddr>>(area: &MemoryArea<B>) -> GuestRam {
    area.va_range()
}

/// An area over `range`: ax-memory-set takes the range's ends as they are.
pub fn area_over<B: MappingBackend<Addr = GuestPhysAddr>>(
    range: GuestRam,
    flags: B::Flags,
    backend: B,
) -> MemoryArea<B> {
    MemoryArea::new(range.start, range.size(), flags, backend)
}
