use std::cell::{Cell, RefCell};
use std::marker::PhantomData;

use addr_types::memory_addr_04::{
    AddrRange, GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, HostPhysAddr, HostPhysAddrRange,
    HostVirtAddr, MemoryAddr, PhysAddr, PAGE_SIZE_4K,
};
use addr_types::{gpa, gva};
use page_table_multiarch::{
    MappingFlags, PageSize, PageTable64, PagingError, PagingHandler, PagingMetaData, PagingResult,
};

// page_table_entry compiles only the PTE of the architecture it is built
// for, so the demo uses whichever the host has; the tables are the same
// `PageTable64` on all of them.
#[cfg(target_arch = "x86_64")]
type Pte = page_table_entry::x86_64::X64PTE;
#[cfg(target_arch = "aarch64")]
type Pte = page_table_entry::aarch64::A64PTE;
#[cfg(target_arch = "riscv64")]
type Pte = page_table_entry::riscv::Rv64PTE;
#[cfg(target_arch = "loongarch64")]
type Pte = page_table_entry::loongarch64::LA64PTE;
#[cfg(not(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    target_arch = "riscv64",
    target_arch = "loongarch64"
)))]
compile_error!("the two_stage machine needs a host with a page_table_entry PTE: x86_64, aarch64, riscv64 or loongarch64");

/// Simulated host physical memory: byte `i` of the heap buffer is
/// `HOST_RAM.start + i`.
pub const HOST_RAM: HostPhysAddrRange = AddrRange {
    start: HostPhysAddr::from_usize(0x4000_0000),
    end: HostPhysAddr::from_usize(0x4060_0000),
};

/// Where the hypervisor takes the frames of the nested table from.
pub const HYPERVISOR_FRAMES: HostPhysAddrRange = AddrRange {
    start: HostPhysAddr::from_usize(0x4000_0000),
    end: HostPhysAddr::from_usize(0x4020_0000),
};

/// The guest's RAM, as the guest sees it.
pub const GUEST_RAM: GuestPhysAddrRange = AddrRange {
    start: gpa!(0x8000_0000),
    end: gpa!(0x8040_0000),
};

/// The host RAM behind [`GUEST_RAM`]: 2 MiB aligned, so that the nested
/// table maps it with 2M pages.
pub const GUEST_RAM_BACKING: HostPhysAddr = HostPhysAddr::from_usize(0x4020_0000);

/// Where the guest kernel takes the frames of its own page table from.
pub const GUEST_TABLE_FRAMES: GuestPhysAddrRange = AddrRange {
    start: gpa!(0x8030_0000),
    end: gpa!(0x8040_0000),
};

/// A region one page table maps: `size` bytes from `from` to `to`.
#[derive(Clone, Copy, Debug)]
pub struct Region<From, To> {
    /// What the region is, for the demo's output.
    pub name: &'static str,
    /// First address the table translates.
    pub from: From,
    /// Where `from` goes.
    pub to: To,
    /// Size in bytes, a multiple of 4 KiB.
    pub size: usize,
    /// Access rights of the mapping.
    pub flags: MappingFlags,
}

/// What the hypervisor maps in the nested table.
pub const NESTED_REGIONS: [Region<GuestPhysAddr, HostPhysAddr>; 2] = [
    // `USER` on the nested table's leaves, because RISC-V's G-stage treats
    // every guest access as a user-mode one (an EPT entry has no such bit,
    // and the flag does no harm there).
    Region {
        name: "guest RAM",
        from: GUEST_RAM.start,
        to: GUEST_RAM_BACKING,
        size: 0x40_0000,
        flags: MappingFlags::READ
            .union(MappingFlags::WRITE)
            .union(MappingFlags::EXECUTE)
            .union(MappingFlags::USER),
    },
    Region {
        name: "UART (passed through)",
        from: gpa!(0x1000_0000),
        to: HostPhysAddr::from_usize(0xfeb0_0000),
        size: PAGE_SIZE_4K,
        flags: MappingFlags::READ
            .union(MappingFlags::WRITE)
            .union(MappingFlags::DEVICE)
            .union(MappingFlags::USER),
    },
];

/// What the guest kernel maps in its own table.
pub const GUEST_REGIONS: [Region<GuestVirtAddr, GuestPhysAddr>; 5] = [
    Region {
        name: "kernel image",
        from: gva!(0xffff_ffff_8000_0000),
        to: gpa!(0x8000_0000),
        size: 0x20_0000,
        flags: MappingFlags::READ.union(MappingFlags::EXECUTE),
    },
    Region {
        name: "kernel data",
        from: gva!(0xffff_ffff_8020_0000),
        to: gpa!(0x8020_0000),
        size: 0x4000,
        flags: MappingFlags::READ.union(MappingFlags::WRITE),
    },
    Region {
        name: "user program",
        from: gva!(0x40_0000),
        to: gpa!(0x8022_0000),
        size: 0x2000,
        flags: MappingFlags::READ
            .union(MappingFlags::EXECUTE)
            .union(MappingFlags::USER),
    },
    Region {
        name: "UART",
        from: gva!(0xffff_ffff_c000_0000),
        to: gpa!(0x1000_0000),
        size: PAGE_SIZE_4K,
        flags: MappingFlags::READ
            .union(MappingFlags::WRITE)
            .union(MappingFlags::DEVICE),
    },
    Region {
        name: "virtio-mmio (emulated)",
        from: gva!(0xffff_ffff_c000_1000),
        to: gpa!(0x2000_0000),
        size: PAGE_SIZE_4K,
        flags: MappingFlags::READ
            .union(MappingFlags::WRITE)
            .union(MappingFlags::DEVICE),
    },
];

/// The guest virtual addresses the demo translates: one per region, then
/// one the guest never mapped.
pub const PROBES: [GuestVirtAddr; 6] = [
    gva!(0xffff_ffff_8012_3456),
    gva!(0xffff_ffff_8020_1abc),
    gva!(0x40_1010),
    gva!(0xffff_ffff_c000_0018),
    gva!(0xffff_ffff_c000_1008),
    gva!(0xdead_b000),
];

/// What became of one guest virtual address.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Translation {
    /// Both stages mapped it.
    Mapped {
        /// The address the guest used.
        gva: GuestVirtAddr,
        /// What the guest table made of it.
        gpa: GuestPhysAddr,
        /// The page size of the guest table's mapping.
        guest_page: PageSize,
        /// What the nested table made of `gpa`.
        hpa: HostPhysAddr,
        /// The page size of the nested table's mapping.
        nested_page: PageSize,
    },
    /// The guest table did not map it: the guest's own page fault.
    GuestFault {
        /// The address the guest used.
        gva: GuestVirtAddr,
        /// Why the guest table's walk stopped.
        error: PagingError,
    },
    /// The guest table mapped it, the nested table did not map the result:
    /// a stage-2 fault the hypervisor handles (here, by emulating a device).
    NestedFault {
        /// The address the guest used.
        gva: GuestVirtAddr,
        /// What the guest table made of it.
        gpa: GuestPhysAddr,
        /// The page size of the guest table's mapping.
        guest_page: PageSize,
        /// Why the nested table's walk stopped.
        error: PagingError,
    },
}

/// Frames in use by each table, to show that dropping the tables frees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FramesInUse {
    /// Frames of host RAM holding the nested table.
    pub nested: usize,
    /// Frames of guest RAM holding the guest table.
    pub guest: usize,
}

/// The frames in use on this thread's machine.
#[must_use]
pub fn frames_in_use() -> FramesInUse {
    RAM.with(|ram| {
        let ram = ram.borrow();
        FramesInUse {
            nested: ram.hypervisor.in_use,
            guest: ram.guest.in_use,
        }
    })
}

/// A 4-level table of 512 entries and 48-bit addresses (the layout of
/// x86_64's 4-level paging, AArch64's 4K granule and RISC-V's Sv48), indexed
/// by `A`: [`GuestPaging`] and [`NestedPaging`] differ in nothing else.
pub struct FourLevels<A>(PhantomData<A>);

impl<A: MemoryAddr + Send + Sync> PagingMetaData for FourLevels<A> {
    const LEVELS: usize = 4;
    const PA_MAX_BITS: usize = 52;
    const VA_MAX_BITS: usize = 48;

    type VirtAddr = A;

    // page_table_multiarch flushes only when built for bare metal
    // (`target_os = "none"`), and no TLB caches these simulated tables: there
    // is nothing to flush. Real code flushes per stage: `invlpg`/`invept`, or
    // on RISC-V `hfence.vvma`/`hfence.gvma` (what `translates` emits).
    fn flush_tlb(_: Option<A>) {}
}

/// Guest stage, indexed by [`GuestVirtAddr`].
pub type GuestPaging = FourLevels<GuestVirtAddr>;

/// Nested stage, indexed by [`GuestPhysAddr`], as Intel's EPT or RISC-V's
/// G-stage are.
pub type NestedPaging = FourLevels<GuestPhysAddr>;

/// The guest kernel's page table. page_table_multiarch types every address a
/// PTE holds as `PhysAddr`; in this table they are guest-physical, so the
/// wrapper's typed API is the one place where the two meet.
struct GuestPageTable(PageTable64<GuestPaging, Pte, GuestFrames>);

/// The hypervisor's nested page table: `GuestPhysAddr` in, `HostPhysAddr`
/// out, no conversion needed.
type NestedPageTable = PageTable64<NestedPaging, Pte, HypervisorFrames>;

impl GuestPageTable {
    fn map_region(&mut self, region: &Region<GuestVirtAddr, GuestPhysAddr>) -> PagingResult {
        self.0.cursor().map_region(
            region.from,
            |gva| table_paddr(region.to + (gva - region.from)),
            region.size,
            region.flags,
            true,
        )
    }

    fn query(&self, gva: GuestVirtAddr) -> PagingResult<(GuestPhysAddr, PageSize)> {
        let (paddr, _, page) = self.0.query(gva)?;
        Ok((table_gpa(paddr), page))
    }

    /// The guest-physical frames holding the table itself, root first.
    fn frames(&self) -> Vec<GuestPhysAddr> {
        let frames = RefCell::new(vec![table_gpa(self.0.root_paddr())]);
        let collect = |level: usize, _: usize, _: GuestVirtAddr, entry: &Pte| {
            use page_table_multiarch::GenericPTE as _;
            if level < GuestPaging::LEVELS - 1 && !entry.is_huge() {
                frames.borrow_mut().push(table_gpa(entry.paddr()));
            }
        };
        self.0.walk(usize::MAX, Some(&collect), None);
        frames.into_inner()
    }
}

/// A GPA as the guest table stores it: in page_table_multiarch's `PhysAddr`
/// (not a [`HostPhysAddr`] here, although the two are one type).
fn table_paddr(gpa: GuestPhysAddr) -> PhysAddr {
    PhysAddr::from_usize(gpa.as_usize())
}

/// What the guest table stores, as the GPA it is.
fn table_gpa(paddr: PhysAddr) -> GuestPhysAddr {
    GuestPhysAddr::from_usize(paddr.as_usize())
}

/// The simulated machine: one per thread, because page_table_multiarch's
/// `PagingHandler` has no `self` and reaches this thread's RAM.
pub struct Machine {
    guest: GuestPageTable,
    nested: NestedPageTable,
    // Declared last so it is released after the tables have freed their
    // frames.
    _claim: ThreadClaim,
}

thread_local! {
    static RAM: RefCell<HostRam> = RefCell::new(HostRam::new());
    static MACHINE_ON_THREAD: Cell<bool> = const { Cell::new(false) };
}

impl Machine {
    /// Boots the machine: the hypervisor builds the nested table, then the
    /// guest kernel builds its own table in guest RAM.
    ///
    /// # Errors
    ///
    /// If a table runs out of frames or a region overlaps another one.
    ///
    /// # Panics
    ///
    /// If this thread already runs a machine: the two would share its RAM.
    pub fn boot() -> PagingResult<Self> {
        let claim = ThreadClaim::acquire();
        let mut nested = NestedPageTable::try_new()?;
        {
            let mut cursor = nested.cursor();
            for region in &NESTED_REGIONS {
                cursor.map_region(
                    region.from,
                    |gpa| region.to + (gpa - region.from),
                    region.size,
                    region.flags,
                    true,
                )?;
            }
        }
        let mut guest = GuestPageTable(PageTable64::try_new()?);
        for region in &GUEST_REGIONS {
            guest.map_region(region)?;
        }
        Ok(Self {
            guest,
            nested,
            _claim: claim,
        })
    }

    /// Walks the guest table, then the nested table, as the MMU does on a
    /// guest access.
    #[must_use]
    pub fn translate(&self, gva: GuestVirtAddr) -> Translation {
        let (gpa, guest_page) = match self.guest.query(gva) {
            Ok(stage1) => stage1,
            Err(error) => return Translation::GuestFault { gva, error },
        };
        match self.nested.query(gpa) {
            Ok((hpa, _, nested_page)) => Translation::Mapped {
                gva,
                gpa,
                guest_page,
                hpa,
                nested_page,
            },
            Err(error) => Translation::NestedFault {
                gva,
                gpa,
                guest_page,
                error,
            },
        }
    }

    /// The nested table's answer for `gpa`.
    ///
    /// # Errors
    ///
    /// If the nested table does not map `gpa`.
    pub fn nested_translate(&self, gpa: GuestPhysAddr) -> PagingResult<HostPhysAddr> {
        self.nested.query(gpa).map(|(hpa, _, _)| hpa)
    }

    /// The guest-physical frames holding the guest's page table, root first.
    #[must_use]
    pub fn guest_table_frames(&self) -> Vec<GuestPhysAddr> {
        self.guest.frames()
    }
}

/// This thread's right to run a machine, given back on drop.
struct ThreadClaim;

impl ThreadClaim {
    fn acquire() -> Self {
        let taken = MACHINE_ON_THREAD.with(|on_thread| on_thread.replace(true));
        assert!(!taken, "one simulated machine per thread");
        Self
    }
}

impl Drop for ThreadClaim {
    fn drop(&mut self) {
        MACHINE_ON_THREAD.with(|on_thread| on_thread.set(false));
    }
}

/// One 4 KiB frame of host RAM; its alignment lets a frame hold a table.
#[derive(Clone)]
#[repr(C, align(4096))]
struct Frame([u8; PAGE_SIZE_4K]);

/// The heap buffer standing for host RAM, and the two frame allocators that
/// carve page-table frames out of it.
struct HostRam {
    // Only ever reached through `Vec::as_mut_ptr`, which keeps the pointers
    // page_table_multiarch holds valid (no reference to the frames is made).
    frames: Vec<Frame>,
    hypervisor: FrameAllocator<HostPhysAddr>,
    guest: FrameAllocator<GuestPhysAddr>,
}

impl HostRam {
    fn new() -> Self {
        Self {
            frames: vec![Frame([0; PAGE_SIZE_4K]); HOST_RAM.size() / PAGE_SIZE_4K],
            hypervisor: FrameAllocator::new(HYPERVISOR_FRAMES),
            guest: FrameAllocator::new(GUEST_TABLE_FRAMES),
        }
    }

    /// Where the simulation keeps the byte at `hpa`.
    fn host_virt(&mut self, hpa: HostPhysAddr) -> HostVirtAddr {
        assert!(HOST_RAM.contains(hpa), "{hpa:?} is not host RAM");
        let base = HostVirtAddr::from_mut_ptr_of(self.frames.as_mut_ptr());
        base + (hpa - HOST_RAM.start)
    }
}

/// Hands out single frames of one area, bump first, then reusing freed ones.
struct FrameAllocator<A: MemoryAddr> {
    area: AddrRange<A>,
    next: A,
    freed: Vec<A>,
    in_use: usize,
}

impl<A: MemoryAddr> FrameAllocator<A> {
    fn new(area: AddrRange<A>) -> Self {
        Self {
            area,
            next: area.start,
            freed: Vec::new(),
            in_use: 0,
        }
    }

    /// `num` contiguous frames aligned to `align` (a power of two, at least
    /// 4 KiB). Frames skipped to align are lost: tables only ask for one.
    ///
    /// A freed frame is reused lowest first, so a machine booted after
    /// another one on the same thread gets the same frames.
    fn alloc(&mut self, num: usize, align: usize) -> Option<A> {
        let reused = (0..self.freed.len())
            .filter(|&index| num == 1 && self.freed[index].is_aligned(align))
            .min_by_key(|&index| self.freed[index])
            .map(|index| self.freed.swap_remove(index));
        let frame = if let Some(frame) = reused {
            frame
        } else {
            let start = self.next.align_up(align);
            let end = start.checked_add(num.checked_mul(PAGE_SIZE_4K)?)?;
            if end > self.area.end {
                return None;
            }
            self.next = end;
            start
        };
        self.in_use += num;
        Some(frame)
    }

    fn dealloc(&mut self, frame: A, num: usize) {
        for i in 0..num {
            let frame = frame.add(i * PAGE_SIZE_4K);
            assert!(
                self.area.contains(frame) && frame < self.next && !self.freed.contains(&frame),
                "freeing a frame that is not allocated"
            );
            self.freed.push(frame);
        }
        self.in_use -= num;
    }
}

/// Frames of the nested table: host RAM, addressed by HPA.
struct HypervisorFrames;

impl PagingHandler for HypervisorFrames {
    fn alloc_frames(num: usize, align: usize) -> Option<HostPhysAddr> {
        RAM.with(|ram| ram.borrow_mut().hypervisor.alloc(num, align))
    }

    fn dealloc_frames(hpa: HostPhysAddr, num: usize) {
        RAM.with(|ram| ram.borrow_mut().hypervisor.dealloc(hpa, num));
    }

    fn phys_to_virt(hpa: HostPhysAddr) -> HostVirtAddr {
        RAM.with(|ram| ram.borrow_mut().host_virt(hpa))
    }
}

/// Frames of the guest table: guest RAM, addressed by GPA (in the
/// `PhysAddr` page_table_multiarch insists on).
struct GuestFrames;

impl PagingHandler for GuestFrames {
    fn alloc_frames(num: usize, align: usize) -> Option<PhysAddr> {
        RAM.with(|ram| ram.borrow_mut().guest.alloc(num, align).map(table_paddr))
    }

    fn dealloc_frames(paddr: PhysAddr, num: usize) {
        RAM.with(|ram| ram.borrow_mut().guest.dealloc(table_gpa(paddr), num));
    }

    /// Reaches a guest frame the way a hypervisor does, through its record of
    /// where guest RAM lives (KVM's memslots), not by walking the nested
    /// table; the tests check that the two agree.
    fn phys_to_virt(paddr: PhysAddr) -> HostVirtAddr {
        let gpa = table_gpa(paddr);
        assert!(GUEST_RAM.contains(gpa), "{gpa:?} is not guest RAM");
        RAM.with(|ram| {
            ram.borrow_mut()
                .host_virt(GUEST_RAM_BACKING + (gpa - GUEST_RAM.start))
        })
    }
}
