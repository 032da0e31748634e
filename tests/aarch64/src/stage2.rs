//! A stage-2 translation table for page_table_multiarch 0.6's
//! `PageTable64`: the metadata, the descriptor format, and a frame pool.
//!
//! page_table_multiarch walks 3 or 4 levels of 512 entries from a single
//! 4 KiB root. Stage 2 can start at level 1 with one root table when the
//! IPA space has 39 bits: VTCR_EL2.T0SZ = 25, SL0 = 1 ([`VTCR_EL2`]). A
//! 40-bit IPA space with a level-1 start would need two concatenated level-1
//! tables (an 8 KiB root indexed by 10 bits), which `PageTable64` cannot
//! express: it allocates one frame and indexes it with 9 bits. So the
//! metadata is `LEVELS = 3` over 39 bits, and [`Stage2MetaData`] refuses
//! IPAs at or above 2^39 (stage 2 would fault on them: they are outside
//! T0SZ's range).

use core::cell::UnsafeCell;
use core::fmt;
use core::marker::PhantomData;

use addr_types::FlushTlb;
use memory_addr::{MemoryAddr, PhysAddr, VirtAddr};
use page_table_entry::{GenericPTE, MappingFlags};
use page_table_multiarch::{PageTable64, PagingHandler, PagingMetaData};

/// Bits of the IPA space.
pub const IPA_BITS: usize = 39;

/// VTCR_EL2: T0SZ = 64 - 39, SL0 = 1 (start at level 1 with a 4K granule),
/// inner/outer write-back walks, inner shareable, TG0 = 4K, PS = 40-bit
/// output, and RES1 bit 31.
pub const VTCR_EL2: u64 =
    (64 - IPA_BITS as u64) | 1 << 6 | 1 << 8 | 1 << 10 | 3 << 12 | 2 << 16 | 1 << 31;

/// Stage 2 over the guest physical address type `A`: its `flush_tlb` is
/// `A`'s [`FlushTlb`], the code under test.
pub struct Stage2MetaData<A>(PhantomData<fn() -> A>);

impl<A: MemoryAddr + FlushTlb> PagingMetaData for Stage2MetaData<A> {
    const LEVELS: usize = 3;
    const PA_MAX_BITS: usize = 40;
    const VA_MAX_BITS: usize = IPA_BITS;

    type VirtAddr = A;

    // An IPA is not sign-extended: bit 38 set is an ordinary address.
    fn vaddr_is_valid(ipa: usize) -> bool {
        ipa < 1 << IPA_BITS
    }

    fn flush_tlb(ipa: Option<A>) {
        A::flush_tlb(ipa);
    }
}

/// A stage-2 table over guest physical address type `A`.
pub type Stage2Table<A> = PageTable64<Stage2MetaData<A>, S2Descriptor, FramePool>;

/// A VMSAv8-64 stage-2 descriptor (Arm ARM, "Stage 2 translation table
/// descriptor attributes"): unlike stage 1, the memory type is in the
/// descriptor (MemAttr\[3:0\], bits 5:2) and the access permissions are
/// S2AP (bits 7:6: read, write).
#[derive(Clone, Copy)]
#[repr(transparent)]
pub struct S2Descriptor(u64);

impl S2Descriptor {
    const VALID: u64 = 1 << 0;
    /// A table at levels 0-2, a page at level 3; clear: a block.
    const NON_BLOCK: u64 = 1 << 1;
    /// MemAttr = 0b1111: Normal, inner and outer write-back cacheable.
    const NORMAL_WB: u64 = 0b1111 << 2;
    const S2AP_READ: u64 = 1 << 6;
    const S2AP_WRITE: u64 = 1 << 7;
    const INNER_SHAREABLE: u64 = 0b11 << 8;
    const AF: u64 = 1 << 10;
    /// XN\[1:0\] = 0b10: not executable at EL1 or EL0.
    const XN: u64 = 0b10 << 53;
    const ADDR_MASK: u64 = 0x0000_ffff_ffff_f000;

    fn attributes(flags: MappingFlags, is_huge: bool) -> u64 {
        let mut bits = Self::VALID | Self::NORMAL_WB | Self::INNER_SHAREABLE | Self::AF;
        if !is_huge {
            bits |= Self::NON_BLOCK;
        }
        if flags.contains(MappingFlags::READ) {
            bits |= Self::S2AP_READ;
        }
        if flags.contains(MappingFlags::WRITE) {
            bits |= Self::S2AP_WRITE;
        }
        if !flags.contains(MappingFlags::EXECUTE) {
            bits |= Self::XN;
        }
        bits
    }

    fn address(paddr: PhysAddr) -> u64 {
        paddr.as_usize() as u64 & Self::ADDR_MASK
    }
}

impl GenericPTE for S2Descriptor {
    fn new_page(paddr: PhysAddr, flags: MappingFlags, is_huge: bool) -> Self {
        Self(Self::address(paddr) | Self::attributes(flags, is_huge))
    }

    fn new_table(paddr: PhysAddr) -> Self {
        Self(Self::address(paddr) | Self::VALID | Self::NON_BLOCK)
    }

    fn paddr(&self) -> PhysAddr {
        PhysAddr::from_usize((self.0 & Self::ADDR_MASK) as usize)
    }

    fn flags(&self) -> MappingFlags {
        let mut flags = MappingFlags::empty();
        if self.0 & Self::S2AP_READ != 0 {
            flags |= MappingFlags::READ;
        }
        if self.0 & Self::S2AP_WRITE != 0 {
            flags |= MappingFlags::WRITE;
        }
        if self.0 & Self::XN == 0 {
            flags |= MappingFlags::EXECUTE;
        }
        flags
    }

    fn set_paddr(&mut self, paddr: PhysAddr) {
        self.0 = (self.0 & !Self::ADDR_MASK) | Self::address(paddr);
    }

    fn set_flags(&mut self, flags: MappingFlags, is_huge: bool) {
        self.0 = (self.0 & Self::ADDR_MASK) | Self::attributes(flags, is_huge);
    }

    fn bits(self) -> usize {
        usize::try_from(self.0).expect("aarch64 has 64-bit pointers")
    }

    fn is_unused(&self) -> bool {
        self.0 == 0
    }

    fn is_present(&self) -> bool {
        self.0 & Self::VALID != 0
    }

    fn is_huge(&self) -> bool {
        self.0 & Self::NON_BLOCK == 0
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

/// Tables the pool holds: the root, and one level-2 and one level-3 table
/// for the test pages.
const FRAMES: usize = 4;

#[repr(C, align(4096))]
struct Frame(UnsafeCell<[u8; 4096]>);

/// A bump allocator over [`FRAMES`] static frames. The programs run on one
/// CPU with interrupts masked, so a plain cell suffices (and EL2 runs with
/// its MMU off, where exclusive accesses to Device memory are not
/// guaranteed to work).
pub struct FramePool {
    frames: [Frame; FRAMES],
    next: UnsafeCell<usize>,
}

// SAFETY: one CPU, no interrupts: nothing accesses the pool concurrently. A
// frame is handed out once and from then on belongs to its table.
unsafe impl Sync for FramePool {}

static POOL: FramePool = FramePool {
    frames: [const { Frame(UnsafeCell::new([0; 4096])) }; FRAMES],
    next: UnsafeCell::new(0),
};

impl PagingHandler for FramePool {
    fn alloc_frames(num: usize, align: usize) -> Option<PhysAddr> {
        if num != 1 || align > 4096 {
            return None;
        }
        // SAFETY: see `impl Sync for FramePool`: no other access is live.
        let next = unsafe { &mut *POOL.next.get() };
        let frame = POOL.frames.get(*next)?;
        *next += 1;
        Some(PhysAddr::from_usize(frame.0.get() as usize))
    }

    // The program ends before any table is dropped.
    fn dealloc_frames(_: PhysAddr, _: usize) {}

    // EL2's MMU is off: physical addresses are the addresses it uses.
    fn phys_to_virt(paddr: PhysAddr) -> VirtAddr {
        VirtAddr::from_usize(paddr.as_usize())
    }
}
