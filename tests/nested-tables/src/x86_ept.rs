//! Intel EPT as axvm 0.8 builds it (`src/arch/x86_64/nested_paging/ept.rs`):
//! a page-table-generic 0.9 table indexed by guest physical addresses, 4
//! levels of 9 bits over 4 KiB pages, with 2 MiB and 1 GiB blocks.
//!
//! Its flush hook is a type parameter, so that the production hook stays the
//! one line the README gives and a test can swap in axvm's own body:
//! [`Ept`] (= `Ept<AddrTypesFlush>`) flushes through addr-types;
//! tests/x86_64 builds `Ept<AxvmFlush>` with axvm's `invlpg`/CR3 reload as
//! its negative control.
//!
//! The hook is given no VM, so addr-types' line is an all-context INVEPT:
//! every VM's guest-physical mappings. A hypervisor that edits a VM other
//! than the running one can map with `MapConfig { flush: false, .. }` and
//! then call that VM's `addr_types::arch::x86_64::VmContext` range flush,
//! one single-context INVEPT.

use core::marker::PhantomData;

use page_table_generic::{PageTableEntry, PhysAddr, TableMeta, VirtAddr};

use crate::{AddrTypesFlush, FlushHook};

/// The EPT's shape for page-table-generic, flushed by `H`.
#[derive(Clone, Copy, Debug)]
pub struct Ept<H = AddrTypesFlush>(PhantomData<H>);

impl<H: FlushHook> TableMeta for Ept<H> {
    type P = EptEntry;

    const PAGE_SIZE: usize = 0x1000;
    /// PML4, PDPT, PD, PT: a 48-bit guest physical address space.
    const LEVEL_BITS: &[usize] = &[9, 9, 9, 9];
    /// 1 GiB blocks in the PDPT, 2 MiB blocks in the PD.
    const MAX_BLOCK_LEVEL: usize = 3;
    const STRICT_ADDRESS_WIDTH: bool = true;

    fn flush(vaddr: Option<VirtAddr>) {
        H::flush(vaddr);
    }
}

/// Bits 6:0 of an EPT leaf (Intel SDM, "EPT Translation Mechanism"): read
/// (0), write (1), execute (2), the memory type (5:3) and ignore-PAT (6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EptAttributes(u64);

impl EptAttributes {
    /// Guest RAM: read, write and execute, write-back.
    pub const RAM: Self = Self(READ | WRITE | EXECUTE | WRITE_BACK << 3);
    /// A device's registers: read and write, uncacheable.
    pub const MMIO: Self = Self(READ | WRITE);
    /// Guest RAM read-only: read and execute, write-back.
    pub const READ_ONLY: Self = Self(READ | EXECUTE | WRITE_BACK << 3);

    /// The bits as they stand in a leaf.
    #[must_use]
    pub const fn bits(self) -> u64 {
        self.0
    }
}

const READ: u64 = 1 << 0;
const WRITE: u64 = 1 << 1;
const EXECUTE: u64 = 1 << 2;
const WRITE_BACK: u64 = 6;
/// What a leaf's attributes occupy.
const ATTRIBUTES: u64 = 0x7f;
/// Bit 7 of a PDPT or PD entry: a 1 GiB or 2 MiB block, not a table.
const BLOCK: u64 = 1 << 7;
/// Bits 51:12: the host physical address of the page, block or table.
const ADDRESS: u64 = 0x000f_ffff_ffff_f000;

/// One 64-bit EPT entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(transparent)]
pub struct EptEntry(u64);

impl EptEntry {
    /// The entry as the processor reads it.
    #[must_use]
    pub const fn bits(self) -> u64 {
        self.0
    }
}

impl PageTableEntry for EptEntry {
    type PteConfig = EptAttributes;

    fn new_page(paddr: PhysAddr, config: EptAttributes, is_huge: bool) -> Self {
        let block = if is_huge { BLOCK } else { 0 };
        Self(paddr.as_usize() as u64 & ADDRESS | config.0 & ATTRIBUTES | block)
    }

    /// A table entry grants everything, so that the leaf alone decides; its
    /// bits 7:3 are reserved and stay zero.
    fn new_table(paddr: PhysAddr) -> Self {
        Self(paddr.as_usize() as u64 & ADDRESS | READ | WRITE | EXECUTE)
    }

    fn paddr(&self, _is_dir: bool) -> PhysAddr {
        PhysAddr::from_usize(usize::try_from(self.0 & ADDRESS).expect("a 64-bit host"))
    }

    fn config(&self, _is_dir: bool) -> EptAttributes {
        EptAttributes(self.0 & ATTRIBUTES)
    }

    /// An EPT entry is present when it grants any access.
    fn present(&self) -> bool {
        self.0 & (READ | WRITE | EXECUTE) != 0
    }

    fn huge(&self, is_dir: bool) -> bool {
        is_dir && self.0 & BLOCK != 0
    }

    fn unused(&self) -> bool {
        self.0 == 0
    }

    fn clear(&mut self) {
        self.0 = 0;
    }
}

#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    //! The entries page-table-generic writes through [`Ept`], and when it
    //! calls the hook; 64-bit only (EPT entries hold 52-bit addresses).
    use super::{Ept, EptAttributes, EptEntry};
    use crate::host_tables::{take_calls, HeapFrames, Recorder};
    use page_table_generic::{MapConfig, PageTable, PageTableEntry as _, PhysAddr, VirtAddr};

    /// The leaf of `gpa` and its level (1: a page, 2: 2 MiB, 3: 1 GiB).
    fn leaf(table: &PageTable<Ept<Recorder>, HeapFrames>, gpa: usize) -> (EptEntry, usize) {
        table
            .query_occupied(VirtAddr::from_usize(gpa))
            .expect("mapped")
    }

    fn map(
        gpa: usize,
        hpa: usize,
        size: usize,
        attributes: EptAttributes,
    ) -> MapConfig<EptAttributes> {
        MapConfig {
            vaddr: VirtAddr::from_usize(gpa),
            paddr: PhysAddr::from_usize(hpa),
            size,
            pte: attributes,
            allow_huge: true,
            flush: true,
        }
    }

    #[test]
    fn leaves_blocks_and_the_hook_as_page_table_generic_drives_them() {
        let mut table = PageTable::<Ept<Recorder>, HeapFrames>::new(HeapFrames).expect("a root");
        take_calls();

        table
            .map(&map(0x8000_1000, 0x1_2345_6000, 0x1000, EptAttributes::RAM))
            .expect("a page");
        let (entry, level) = leaf(&table, 0x8000_1000);
        // Address, RWX, write-back in bits 5:3, no block bit.
        assert_eq!((entry.bits(), level), (0x1_2345_6000 | 0x37, 1));

        table
            .map(&map(0x4020_0000, 0x20_0000, 0x20_0000, EptAttributes::MMIO))
            .expect("a 2 MiB block");
        let (entry, level) = leaf(&table, 0x4020_0000);
        assert_eq!((entry.bits(), level), (0x20_0000 | 0x83, 2));

        table
            .map(&map(
                0x1_0000_0000,
                0x4000_0000,
                0x4000_0000,
                EptAttributes::READ_ONLY,
            ))
            .expect("a 1 GiB block");
        let (entry, level) = leaf(&table, 0x1_0000_0000);
        assert_eq!((entry.bits(), level), (0x4000_0000 | 0xb5, 3));

        table
            .remap_page(
                VirtAddr::from_usize(0x8000_1000),
                PhysAddr::from_usize(0x7000),
                EptAttributes::READ_ONLY,
            )
            .expect("remapped");
        assert_eq!(leaf(&table, 0x8000_1000).0.bits(), 0x7000 | 0x35);

        table
            .unmap(VirtAddr::from_usize(0x8000_1000), 0x1000)
            .expect("unmapped");
        assert!(table
            .query_occupied(VirtAddr::from_usize(0x8000_1000))
            .is_err());

        // One call per change, with the guest physical address changed.
        assert_eq!(
            take_calls(),
            [
                Some(0x8000_1000),
                Some(0x4020_0000),
                Some(0x1_0000_0000),
                Some(0x8000_1000),
                Some(0x8000_1000)
            ]
        );
    }

    #[test]
    fn table_entries_grant_everything_and_hold_no_memory_type() {
        let table = EptEntry::new_table(PhysAddr::from_usize(0x5000));
        assert_eq!(table.bits(), 0x5007);
        assert!(table.present() && !table.huge(true));
    }
}
