//! aarch64 stage 2 as axvm 0.8 declares it (`A64HVPagingMetaDataL3`): a
//! page-table-generic table over a 39-bit IPA space that starts at level 1,
//! with stage-2 descriptors, and the one-line flush hook of addr-types.
//!
//! - [`Stage2`] is the table's `TableMeta`: `LEVEL_BITS = [9, 9, 9]` from one
//!   4 KiB root (VTCR_EL2 T0SZ = 25, SL0 = 1: [`VTCR_EL2`]), 2 MiB blocks at
//!   most (`MAX_BLOCK_LEVEL = 2`, as axvm), and IPAs at or above 2^39
//!   refused (`STRICT_ADDRESS_WIDTH`: stage 2 would fault on them). Its
//!   `flush` is the line the README gives as the replacement of axvm's body.
//! - [`S2Descriptor`] is a VMSAv8-64 stage-2 descriptor: the memory type is
//!   in the descriptor (MemAttr), the permissions are S2AP; stage 1's
//!   AttrIndx and AP mean nothing here.
//! - `Stage2<H>` is the same table with another hook: tests/aarch64 runs
//!   axvm's own body, and other known mistakes, through it as negative
//!   controls; the default hook is the one line ([`AddrTypesFlush`]).

use core::fmt;
use core::marker::PhantomData;

use page_table_generic::{PageTableEntry, PhysAddr, TableMeta, VirtAddr};

use crate::{AddrTypesFlush, FlushHook};

/// Bits of the IPA space.
pub const IPA_BITS: u32 = 39;

/// The VTCR_EL2 this table is walked with: T0SZ = 64 - 39, SL0 = 1 (start
/// at level 1 with a 4 KiB granule), inner/outer write-back walks, inner
/// shareable, TG0 = 4 KiB, PS = 40-bit output, and RES1 bit 31.
pub const VTCR_EL2: u64 =
    (64 - IPA_BITS as u64) | 1 << 6 | 1 << 8 | 1 << 10 | 3 << 12 | 2 << 16 | 1 << 31;

/// The stage-2 table of a VM, indexed by guest physical addresses, flushed
/// by `H`.
#[derive(Clone, Copy, Debug)]
pub struct Stage2<H = AddrTypesFlush>(PhantomData<H>);

impl<H: FlushHook> TableMeta for Stage2<H> {
    type P = S2Descriptor;

    const PAGE_SIZE: usize = addr_types::PAGE_SIZE_4K;
    const LEVEL_BITS: &[usize] = &[9, 9, 9];
    const MAX_BLOCK_LEVEL: usize = 2;
    const STRICT_ADDRESS_WIDTH: bool = true;

    fn flush(vaddr: Option<VirtAddr>) {
        H::flush(vaddr);
    }
}

/// The memory type of a stage-2 leaf (MemAttr\[3:0\], with FWB off).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S2Memory {
    /// Normal, inner and outer write-back cacheable (MemAttr = 0b1111),
    /// inner shareable.
    Normal,
    /// Device-nGnRE (MemAttr = 0b0001).
    Device,
}

/// What a stage-2 leaf says besides its output address: page-table
/// generic's `PteConfig` for [`S2Descriptor`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct S2Attributes {
    /// MemAttr.
    pub memory: S2Memory,
    /// S2AP\[0\]: the guest may read.
    pub read: bool,
    /// S2AP\[1\]: the guest may write.
    pub write: bool,
    /// XN clear: the guest may execute.
    pub execute: bool,
}

impl S2Attributes {
    /// Normal memory the guest reads and writes but does not execute.
    pub const DATA: Self = Self {
        memory: S2Memory::Normal,
        read: true,
        write: true,
        execute: false,
    };

    /// Normal memory the guest reads, writes and executes (its RAM).
    pub const RAM: Self = Self {
        execute: true,
        ..Self::DATA
    };
}

/// A VMSAv8-64 stage-2 descriptor (Arm ARM, "Stage 2 translation table
/// descriptor attributes"), 4 KiB granule.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct S2Descriptor(u64);

impl S2Descriptor {
    const VALID: u64 = 1 << 0;
    /// A table at levels 1 and 2, a page at level 3; clear: a block.
    const NON_BLOCK: u64 = 1 << 1;
    const MEM_ATTR: u64 = 0b1111 << 2;
    const MEM_NORMAL_WB: u64 = 0b1111 << 2;
    const MEM_DEVICE_NGNRE: u64 = 0b0001 << 2;
    const S2AP_READ: u64 = 1 << 6;
    const S2AP_WRITE: u64 = 1 << 7;
    const INNER_SHAREABLE: u64 = 0b11 << 8;
    const AF: u64 = 1 << 10;
    /// XN\[1:0\] = 0b10 (bit 54): not executable at EL1 or EL0.
    const XN: u64 = 1 << 54;
    /// Output address bits \[47:12\].
    const ADDR_MASK: u64 = 0x0000_ffff_ffff_f000;

    /// The descriptor's 64 bits, as the CPU reads them.
    #[must_use]
    pub const fn bits(self) -> u64 {
        self.0
    }

    fn address(paddr: PhysAddr) -> u64 {
        paddr.as_usize() as u64 & Self::ADDR_MASK
    }
}

impl PageTableEntry for S2Descriptor {
    type PteConfig = S2Attributes;

    fn new_page(paddr: PhysAddr, config: S2Attributes, is_huge: bool) -> Self {
        let mut bits = Self::address(paddr) | Self::VALID | Self::AF;
        if !is_huge {
            bits |= Self::NON_BLOCK;
        }
        bits |= match config.memory {
            S2Memory::Normal => Self::MEM_NORMAL_WB | Self::INNER_SHAREABLE,
            S2Memory::Device => Self::MEM_DEVICE_NGNRE,
        };
        if config.read {
            bits |= Self::S2AP_READ;
        }
        if config.write {
            bits |= Self::S2AP_WRITE;
        }
        if !config.execute {
            bits |= Self::XN;
        }
        Self(bits)
    }

    fn new_table(paddr: PhysAddr) -> Self {
        Self(Self::address(paddr) | Self::VALID | Self::NON_BLOCK)
    }

    fn paddr(&self, _is_dir: bool) -> PhysAddr {
        // Blocks and pages alike: a block's low address bits are zero.
        PhysAddr::from_usize((self.0 & Self::ADDR_MASK) as usize)
    }

    fn config(&self, _is_dir: bool) -> S2Attributes {
        S2Attributes {
            memory: if self.0 & Self::MEM_ATTR == Self::MEM_DEVICE_NGNRE {
                S2Memory::Device
            } else {
                S2Memory::Normal
            },
            read: self.0 & Self::S2AP_READ != 0,
            write: self.0 & Self::S2AP_WRITE != 0,
            execute: self.0 & Self::XN == 0,
        }
    }

    fn present(&self) -> bool {
        self.0 & Self::VALID != 0
    }

    fn huge(&self, is_dir: bool) -> bool {
        is_dir && self.present() && self.0 & Self::NON_BLOCK == 0
    }

    fn unused(&self) -> bool {
        self.0 == 0
    }

    fn clear(&mut self) {
        self.0 = 0;
    }
}

impl fmt::Debug for S2Descriptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S2Descriptor({:#x})", self.0)
    }
}

// The table on the host: its geometry, its descriptors, and when it calls
// its hook. Whether the hook's flush works is proven on QEMU (tests/aarch64).
#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use page_table_generic::{
        MapConfig, PageTable, PageTableEntry, PagingError, PhysAddr, TableMeta, UnmapConfig,
        VirtAddr,
    };

    use super::{S2Attributes, S2Descriptor, S2Memory, Stage2};
    use crate::host_tables::{take_calls, HeapFrames, Recorder};

    const G: usize = 0x40_8020_3000;
    const P1: usize = 0x4100_0000;
    const P2: usize = 0x4100_1000;

    // One test, so the recorder sees one table's calls.
    #[test]
    fn the_table_calls_its_hook_once_per_changed_leaf() {
        let mut table = PageTable::<Stage2<Recorder>, _>::new(HeapFrames).unwrap();
        let g = VirtAddr::from_usize(G);
        table
            .map_page(g, PhysAddr::from_usize(P1), 0x1000, S2Attributes::DATA)
            .unwrap();
        assert_eq!(take_calls(), [Some(G)]);
        table
            .remap_page(g, PhysAddr::from_usize(P2), S2Attributes::DATA)
            .unwrap();
        assert_eq!(take_calls(), [Some(G)]);
        table.unmap_page(g).unwrap();
        assert_eq!(take_calls(), [Some(G)]);
        // What a hypervisor does for a VM that is not loaded: change
        // without flushing, then flush the VM once.
        table
            .map(&MapConfig {
                vaddr: g,
                paddr: PhysAddr::from_usize(P1),
                size: 0x2000,
                pte: S2Attributes::DATA,
                allow_huge: false,
                flush: false,
            })
            .unwrap();
        table
            .unmap_with_config(&UnmapConfig {
                start_vaddr: g,
                size: 0x2000,
                flush: false,
            })
            .unwrap();
        assert_eq!(take_calls(), []);
        // More pages than page-table-generic flushes one by one (32).
        table
            .map_region(
                g,
                |gpa| PhysAddr::from_usize(gpa.as_usize() - G + P1),
                33 * 0x1000,
                S2Attributes::DATA,
            )
            .unwrap();
        assert_eq!(take_calls(), [None]);
    }

    #[test]
    fn descriptors_are_stage_2_ones() {
        // `Stage2` itself, whose hook would flush this host's TLB: written
        // with `flush: false` only, then read.
        let mut table = PageTable::<Stage2, _>::new(HeapFrames).unwrap();
        let device = S2Attributes {
            memory: S2Memory::Device,
            read: true,
            write: false,
            execute: false,
        };
        for (gpa, paddr, size, pte) in [
            (G, P1, 0x1000, S2Attributes::DATA),
            (0x4000_0000, 0x4000_0000, 0x20_0000, S2Attributes::RAM),
            (0x0900_0000, 0x0900_0000, 0x1000, device),
        ] {
            table
                .map(&MapConfig {
                    vaddr: VirtAddr::from_usize(gpa),
                    paddr: PhysAddr::from_usize(paddr),
                    size,
                    pte,
                    allow_huge: true,
                    flush: false,
                })
                .unwrap();
        }
        let leaf = |gpa: usize| table.query_occupied(VirtAddr::from_usize(gpa)).unwrap();
        // Page: valid | page | MemAttr 0b1111 | S2AP read, write | SH inner
        // | AF | XN.
        // page-table-generic numbers levels from the leaves: 1 is the
        // stage-2 level 3.
        let (page, level) = leaf(G);
        assert_eq!((page.bits(), level), (0x0040_0000_4100_07ff, 1));
        // A 2 MiB block: the same without bit 1, executable.
        let (block, level) = leaf(0x4000_0000);
        assert_eq!((block.bits(), level), (0x0000_0000_4000_07fd, 2));
        // Device-nGnRE, read only, no shareability bits.
        let (mmio, _) = leaf(0x0900_0000);
        assert_eq!(mmio.bits(), 0x0040_0000_0900_0447);
        assert_eq!(PageTableEntry::config(&mmio, false), device);
        assert_eq!(PageTableEntry::config(&page, false), S2Attributes::DATA);
        assert_eq!(PageTableEntry::config(&block, true), S2Attributes::RAM);
        assert!(block.huge(true) && !page.huge(false));
    }

    #[test]
    fn geometry_is_axvm_s_39_bit_stage_2() {
        let mut table = PageTable::<Stage2<Recorder>, _>::new(HeapFrames).unwrap();
        // 2^39 is outside T0SZ's range.
        let outside = table.map(&MapConfig {
            vaddr: VirtAddr::from_usize(1 << 39),
            paddr: PhysAddr::from_usize(P1),
            size: 0x1000,
            pte: S2Attributes::DATA,
            allow_huge: false,
            flush: false,
        });
        assert!(matches!(outside, Err(PagingError::AddressOverflow { .. })));
        // No 1 GiB blocks: axvm's MAX_BLOCK_LEVEL is 2.
        let gib = table.map_page(
            VirtAddr::from_usize(0x4000_0000),
            PhysAddr::from_usize(0x4000_0000),
            0x4000_0000,
            S2Attributes::RAM,
        );
        assert!(matches!(gib, Err(PagingError::InvalidSize { .. })));
        assert_eq!(<Stage2 as TableMeta>::LEVEL_BITS, [9, 9, 9]);
        // A table descriptor: valid, non-block, the next table's address.
        let next = S2Descriptor::new_table(PhysAddr::from_usize(P1));
        assert_eq!(next.bits(), 0x4100_0003);
    }
}
