//! The current generation of the ArceOS hypervisor stack: ax-memory-addr
//! 0.7 (axvm-types 0.7.4 and later, axaddrspace 0.5.20 and 0.6,
//! ax-memory-set 0.7–0.8, page-table-generic 0.9, axvm 0.8). Its names are
//! also addr-types' top-level names.
//!
//! No ax-page-table-multiarch release is of this generation (every 0.8 is of
//! `addr_types::ax_memory_addr_06`): page-table-generic's
//! flush hook hands its input over as a `VirtAddr`, which
//! [`FlushTlb::flush_tlb_from`] reads back as the address it is.
//!
//! ```
//! use addr_types::ax_memory_addr_07::{GuestPhysAddr, GuestPhysAddrRange, HostPhysAddr};
//!
//! // The very types of ax-memory-addr 0.7: no conversion at the boundary.
//! let root: ax_memory_addr::PhysAddr = HostPhysAddr::from_usize(0x8020_0000);
//! let ram: ax_memory_addr::AddrRange<GuestPhysAddr> =
//!     GuestPhysAddrRange::from_start_size(0x8000_0000.into(), 0x1000);
//! # let _ = (root, ram);
//! ```

crate::generation::generation_items!(
    ax_memory_addr,
    "ax-memory-addr 0.7",
    "page-table-generic 0.9 (its `PageTableEntry` and `FrameAllocator`) and ax-memory-set 0.7–0.8",
    [hpa, hva, gpa_range, gva_range]
);
