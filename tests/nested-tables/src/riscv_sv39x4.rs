//! The RISC-V G-stage table as axvm 0.8 declares it (`Sv39x4MetaData` in
//! `src/arch/riscv64/npt.rs`): Sv39x4, a 41-bit guest physical address
//! space, 2 MiB blocks, a 16 KiB root.
//!
//! Its flush hook is the one line the README gives as the replacement of
//! axvm's body (an operand-less `hfence.gvma`):
//!
//! ```ignore
//! fn flush(vaddr: Option<page_table_generic::VirtAddr>) {
//!     GuestPhysAddr::flush_tlb_from(vaddr);
//! }
//! ```
//!
//! It is [`AddrTypesFlush`], the default hook of [`Sv39x4`]. The table is
//! generic over the hook only so that tests/riscv can build the very same
//! table with axvm's body (and with none) as negative controls, and host
//! tests with a hook that runs no fence.
//!
//! **The root.** Sv39x4's root has 2048 entries: 16 KiB, and `hgatp` needs
//! it 16 KiB aligned (the two low bits of its PPN read as zero).
//! page-table-generic asks for it with `FrameAllocator::alloc_frames(4,
//! 0x4000)` and zeroes all 16 KiB itself; the trait's default
//! `alloc_frames` refuses any count but 1, so a hypervisor's allocator must
//! implement it (every other table is one 4 KiB `alloc_frame`).

use core::marker::PhantomData;

use page_table_generic::{PageTableEntry, PhysAddr, TableMeta, VirtAddr};

use crate::{AddrTypesFlush, FlushHook};

/// Sv39x4 G-stage metadata: page-table-generic's `TableMeta` with axvm
/// 0.8's constants and the flush hook `H`.
#[derive(Clone, Copy, Debug)]
pub struct Sv39x4<H = AddrTypesFlush>(PhantomData<H>);

impl<H: FlushHook> TableMeta for Sv39x4<H> {
    type P = GStagePte;

    const PAGE_SIZE: usize = addr_types::PAGE_SIZE_4K;
    /// 11 bits at the root (2048 entries, 16 KiB), then two levels of 9.
    const LEVEL_BITS: &[usize] = &[11, 9, 9];
    /// 2 MiB blocks at level 2; 1 GiB ones are left out, as in axvm.
    const MAX_BLOCK_LEVEL: usize = 2;
    /// A guest physical address of 41 bits or more is refused, never
    /// folded onto a lower one.
    const STRICT_ADDRESS_WIDTH: bool = true;

    fn flush(vaddr: Option<VirtAddr>) {
        H::flush(vaddr);
    }
}

/// The access a G-stage leaf grants: page-table-generic's `PteConfig` for
/// [`GStagePte`]. No access at all makes a non-present leaf.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GStageAccess {
    /// The guest may read.
    pub read: bool,
    /// The guest may write (RISC-V has no write-only pages: also readable).
    pub write: bool,
    /// The guest may execute.
    pub execute: bool,
}

impl GStageAccess {
    /// Read and write, no execute: guest RAM holding data.
    pub const READ_WRITE: Self = Self {
        read: true,
        write: true,
        execute: false,
    };
}

/// An Sv39x4 page-table entry: PPN in bits 53:10, flags in 7:0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(transparent)]
pub struct GStagePte(u64);

impl GStagePte {
    const V: u64 = 1 << 0;
    const R: u64 = 1 << 1;
    const W: u64 = 1 << 2;
    const X: u64 = 1 << 3;
    /// Every G-stage access counts as a U-mode access: a leaf without U
    /// faults.
    const U: u64 = 1 << 4;
    /// Set up front, so neither a hart that updates them (Svadu) nor one that
    /// faults instead (Svade) ever needs to.
    const A: u64 = 1 << 6;
    const D: u64 = 1 << 7;
    const PPN_SHIFT: u32 = 10;
    const PPN_MASK: u64 = ((1 << 44) - 1) << Self::PPN_SHIFT;

    /// The entry's raw bits, as the hart reads them.
    #[must_use]
    pub const fn bits(self) -> u64 {
        self.0
    }

    fn with_paddr(paddr: PhysAddr, flags: u64) -> Self {
        let ppn = paddr.as_usize() as u64 >> 12;
        Self(((ppn << Self::PPN_SHIFT) & Self::PPN_MASK) | flags)
    }

    fn is_leaf(self) -> bool {
        self.0 & (Self::R | Self::W | Self::X) != 0
    }
}

impl PageTableEntry for GStagePte {
    type PteConfig = GStageAccess;

    fn new_page(paddr: PhysAddr, access: GStageAccess, _is_huge: bool) -> Self {
        // A block and a page have the same format; the level tells them apart.
        let mut flags = 0;
        if access.read || access.write {
            flags |= Self::R;
        }
        if access.write {
            flags |= Self::W;
        }
        if access.execute {
            flags |= Self::X;
        }
        if flags != 0 {
            flags |= Self::V | Self::U | Self::A | Self::D;
        }
        Self::with_paddr(paddr, flags)
    }

    fn new_table(paddr: PhysAddr) -> Self {
        Self::with_paddr(paddr, Self::V)
    }

    fn paddr(&self, _is_dir: bool) -> PhysAddr {
        let ppn = (self.0 & Self::PPN_MASK) >> Self::PPN_SHIFT;
        // Host physical addresses fit a usize on every host that runs a
        // 64-bit hypervisor; this table is for RV64.
        #[allow(clippy::cast_possible_truncation)]
        PhysAddr::from_usize((ppn << 12) as usize)
    }

    fn config(&self, _is_dir: bool) -> GStageAccess {
        GStageAccess {
            read: self.0 & Self::R != 0,
            write: self.0 & Self::W != 0,
            execute: self.0 & Self::X != 0,
        }
    }

    fn present(&self) -> bool {
        self.0 & Self::V != 0
    }

    fn huge(&self, is_dir: bool) -> bool {
        is_dir && self.is_leaf()
    }

    fn unused(&self) -> bool {
        self.0 == 0
    }

    fn clear(&mut self) {
        self.0 = 0;
    }
}

// Sv39x4 is an RV64 format, and the guest physical addresses of these
// tests need 64 bits: 64-bit hosts only.
#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use page_table_generic::{
        MapConfig, PageTable, PageTableEntry, PagingError, PhysAddr, TableMeta, VirtAddr,
    };

    use super::{GStageAccess, GStagePte, Sv39x4};
    use crate::host_tables::{
        live_frames, take_calls, take_multi_frame_requests, HeapFrames, Recorder,
    };

    type Table = PageTable<Sv39x4<Recorder>, HeapFrames>;

    fn map(table: &mut Table, gpa: usize, hpa: usize, flush: bool) -> Result<(), PagingError> {
        table.map(&MapConfig {
            vaddr: VirtAddr::from_usize(gpa),
            paddr: PhysAddr::from_usize(hpa),
            size: 0x1000,
            pte: GStageAccess::READ_WRITE,
            allow_huge: false,
            flush,
        })
    }

    #[test]
    fn the_root_is_four_frames_aligned_to_16k() {
        take_multi_frame_requests();
        let table = Table::new(HeapFrames).expect("the heap has room");
        assert_eq!(take_multi_frame_requests(), [(4, 0x4000)]);
        assert_eq!(table.root_paddr().as_usize() % 0x4000, 0);
    }

    #[test]
    fn all_four_root_pages_are_used_and_41_bits_is_too_wide() {
        let mut table = Table::new(HeapFrames).expect("the heap has room");
        // 2^39 apart: root entries i, 512 + i, 1024 + i, 1536 + i, which a
        // 9-bit root index (Sv39's) would fold onto one.
        for quarter in 0..4 {
            let gpa = 0x8020_3000 + (quarter << 39);
            map(&mut table, gpa, 0x1_0000_0000 + quarter * 0x1000, false).expect("maps");
        }
        for quarter in 0..4 {
            let gpa = 0x8020_3000 + (quarter << 39);
            assert_eq!(
                table.translate_phys(VirtAddr::from_usize(gpa)),
                Ok(PhysAddr::from_usize(0x1_0000_0000 + quarter * 0x1000))
            );
        }
        assert!(matches!(
            map(&mut table, 1 << 41, 0x1000, false),
            Err(PagingError::AddressOverflow { .. })
        ));
    }

    #[test]
    fn every_change_calls_the_hook_with_the_guest_physical_address() {
        let live_before = live_frames();
        {
            let mut table = Table::new(HeapFrames).expect("the heap has room");
            let gpa = 0x40_8020_3000;
            take_calls();
            map(&mut table, gpa, 0x1000_0000, true).expect("maps");
            let gpa_addr = VirtAddr::from_usize(gpa);
            table
                .remap_page(
                    gpa_addr,
                    PhysAddr::from_usize(0x2000_0000),
                    GStageAccess::READ_WRITE,
                )
                .expect("remaps");
            table.unmap(gpa_addr, 0x1000).expect("unmaps");
            assert_eq!(take_calls(), [Some(gpa), Some(gpa), Some(gpa)]);
            // A flush-free map leaves the hook alone (KVM's order: edit, then
            // one per-VM flush).
            map(&mut table, gpa, 0x1000_0000, false).expect("maps");
            assert_eq!(take_calls(), []);
        }
        assert_eq!(live_frames(), live_before, "no leak");
    }

    #[test]
    fn a_leaf_is_valid_user_accessed_dirty_with_the_ppn_at_bit_10() {
        let pte = GStagePte::new_page(
            PhysAddr::from_usize(0x8765_4000),
            GStageAccess::READ_WRITE,
            false,
        );
        // PPN 0x87654 << 10 | D A U W R V
        assert_eq!(pte.bits(), 0x87654 << 10 | 0b1101_0111);
        assert_eq!(pte.paddr(false), PhysAddr::from_usize(0x8765_4000));
        assert_eq!(pte.config(false), GStageAccess::READ_WRITE);
        assert!(pte.present() && !pte.huge(false) && pte.huge(true));

        let write_only = GStageAccess {
            write: true,
            ..GStageAccess::default()
        };
        let pte = GStagePte::new_page(PhysAddr::from_usize(0x1000), write_only, false);
        assert!(pte.config(false).read, "W without R is reserved");
    }

    #[test]
    fn a_table_pointer_is_v_alone_and_no_access_is_not_present() {
        let table = GStagePte::new_table(PhysAddr::from_usize(0x8000_4000));
        assert_eq!(table.bits(), 0x80004 << 10 | 1);
        assert!(table.present() && !table.huge(true));

        let mut none = GStagePte::new_page(
            PhysAddr::from_usize(0x8000_5000),
            GStageAccess::default(),
            false,
        );
        assert!(!none.present() && !none.unused());
        assert_eq!(none.paddr(false), PhysAddr::from_usize(0x8000_5000));
        none.clear();
        assert!(none.unused());
    }

    #[test]
    fn the_metadata_is_axvms() {
        // STRICT_ADDRESS_WIDTH: the 41-bit case of the test above.
        type Meta = Sv39x4<Recorder>;
        assert_eq!(Meta::LEVEL_BITS, [11, 9, 9]);
        assert_eq!(Meta::MAX_BLOCK_LEVEL, 2);
        assert_eq!(Meta::PAGE_SIZE, 0x1000);
    }
}
