//! The seed era of the ArceOS hypervisor stack: memory_addr 0.4 and
//! page_table_multiarch 0.6 (axaddrspace 0.1–0.3, axvm 0.3, the standalone
//! riscv_vcpu/arm_vcpu/x86_vcpu crates). Enable the `memory-addr-04`
//! feature and name this module: what it means never depends on the
//! features other crates of the build enable.
//!
//! Its prelude, `use addr_types::memory_addr_04::prelude::*;`, has the
//! four types, their ranges, the traits and the shorthand macros, each of
//! this generation (`hpa!(0x1000)` is memory_addr 0.4's `PhysAddr`).
//!
//! ```
//! use addr_types::memory_addr_04::{GuestPhysAddr, GuestPhysAddrRange, HostPhysAddr};
//!
//! let root: memory_addr::PhysAddr = HostPhysAddr::from_usize(0x8020_0000);
//! let ram: memory_addr::AddrRange<GuestPhysAddr> =
//!     GuestPhysAddrRange::from_start_size(0x8000_0000.into(), 0x1000);
//! # let _ = (root, ram);
//! ```

crate::generation::generation_items!(
    memory_addr,
    "memory_addr 0.4",
    "page_table_multiarch 0.6, page_table_entry 0.6 and memory_set 0.4",
    [
        __hpa_memory_addr_04,
        __hva_memory_addr_04,
        __gpa_range_memory_addr_04,
        __gva_range_memory_addr_04
    ]
);
