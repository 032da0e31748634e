//! The generation before the current one: ax-memory-addr 0.6 and
//! ax-page-table-multiarch 0.8 (axvm-types 0.5 to 0.7.3, axaddrspace 0.5.1
//! to 0.5.19, axdevice 0.4.3 to 0.5.7, ax-memory-set 0.6, every
//! ax-page-table-multiarch and ax-page-table-entry 0.8 release). Enable the
//! `ax-memory-addr-06` feature and name this module: what it means never
//! depends on the features other crates of the build enable.
//!
//! On riscv64 the guest types (and every `#[address(translates = …)]` type)
//! implement ax-page-table-multiarch 0.8's `SvVirtAddr`, so a nested
//! `PageTable64<M, PTE, H>` with `M::VirtAddr = GuestPhysAddr` flushes with
//! the right fence; its `PagingHandler` takes this module's
//! [`HostPhysAddr`].
//!
//! ```
//! use addr_types::ax_memory_addr_06::{GuestPhysAddr, GuestPhysAddrRange, HostPhysAddr};
//!
//! // The very types of ax-memory-addr 0.6: no conversion at the boundary.
//! let root: ax_memory_addr_06::PhysAddr = HostPhysAddr::from_usize(0x8020_0000);
//! let ram: ax_memory_addr_06::AddrRange<GuestPhysAddr> =
//!     GuestPhysAddrRange::from_start_size(0x8000_0000.into(), 0x1000);
//! // The current generation's host address is another type: convert
//! // through its `usize`.
//! let current: addr_types::HostPhysAddr = addr_types::HostPhysAddr::from_usize(root.as_usize());
//! # let _ = (current, ram);
//! ```

crate::generation::generation_items!(
    ax_memory_addr_06,
    "ax-memory-addr 0.6",
    "ax-page-table-multiarch 0.8 (its `PagingHandler`), ax-page-table-entry 0.8 and ax-memory-set 0.6",
    [
        __hpa_ax_memory_addr_06,
        __hva_ax_memory_addr_06,
        __gpa_range_ax_memory_addr_06,
        __gva_range_ax_memory_addr_06
    ]
);
