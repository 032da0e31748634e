//! Nested page tables built the way axvm 0.8 builds its own: a
//! page-table-generic 0.9 `PageTable` per architecture, indexed by guest
//! physical addresses, whose `TableMeta::flush` hook is the one line of
//! addr-types that the README gives as the replacement of axvm's body.
//!
//! The bare-metal programs of tests/aarch64, tests/riscv and tests/x86_64
//! map and remap pages through these tables on an emulator and check what
//! the hook invalidated; each also builds the same table with axvm's own
//! hook body as a negative control.
//!
//! Each table is generic over its hook, [`FlushHook`], whose default is
//! [`AddrTypesFlush`]: the one line. The hook type exists only so that the
//! programs can build the very same table with a wrong body (a negative
//! control). The crate builds for the architectures whose `FlushTlb`
//! addr-types implements (riscv32, riscv64, aarch64, x86_64), as a
//! hypervisor's tables do.
#![no_std]

use addr_types::{FlushTlb, GuestPhysAddr};
use page_table_generic::VirtAddr;

/// What a table runs after it changed the entry of one guest physical
/// address (`Some`) or several (`None`): page-table-generic's
/// `TableMeta::flush`, chosen by a marker type.
pub trait FlushHook: Clone + Copy + Send + Sync + 'static {
    /// Invalidates the translations of `vaddr` (a guest physical address,
    /// whatever page-table-generic calls it), or all of them for `None`.
    fn flush(vaddr: Option<VirtAddr>);
}

/// addr-types' guest-physical flush: the line the README gives as the
/// whole body of axvm's nested-table hooks.
#[derive(Clone, Copy, Debug)]
pub struct AddrTypesFlush;

impl FlushHook for AddrTypesFlush {
    fn flush(vaddr: Option<VirtAddr>) {
        GuestPhysAddr::flush_tlb_from(vaddr);
    }
}

// The three tables' unit tests need 64-bit addresses.
#[cfg(all(test, target_pointer_width = "64"))]
mod host_tables;

pub mod aarch64_stage2;
pub mod riscv_sv39x4;
pub mod x86_ept;
