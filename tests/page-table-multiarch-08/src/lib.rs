//! ax-page-table-multiarch 0.8 as a nested page table: its `PagingHandler`
//! deals in `addr_types::ax_memory_addr_06::HostPhysAddr` (ax-memory-addr
//! 0.6's `PhysAddr`, with no conversion), and its input addresses are
//! `GuestPhysAddr`s. The frames are real host memory from the global
//! allocator, each "physical" address being the frame's own address, so the
//! table's walks read and write what they allocated.
//!
//! `PageTable64` exists on 64-bit targets only, and ax-page-table-entry has
//! the entry format of the target's own architecture only: the table is
//! built where both hold (x86_64, aarch64, riscv64).

#![cfg(all(
    target_pointer_width = "64",
    any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        target_arch = "riscv64"
    )
))]

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::cell::RefCell;
use std::collections::BTreeMap;

use addr_types::ax_memory_addr_06::{GuestPhysAddr, HostPhysAddr, HostVirtAddr, PAGE_SIZE_4K};
use ax_page_table_multiarch::{PageTable64, PagingHandler, PagingMetaData};

/// The entry format of the architecture the tests run on.
#[cfg(target_arch = "x86_64")]
pub type Entry = ax_page_table_entry::x86_64::X64PTE;
/// The entry format of the architecture the tests run on.
#[cfg(target_arch = "aarch64")]
pub type Entry = ax_page_table_entry::aarch64::A64PTE;
/// The entry format of the architecture the tests run on.
#[cfg(target_arch = "riscv64")]
pub type Entry = ax_page_table_entry::riscv::Rv64PTE;

/// A nested table: guest physical in, host physical out.
pub type NestedTable = PageTable64<NestedPaging, Entry, HostFrames>;

thread_local! {
    /// The frames this thread's tables hold, by host physical address.
    static FRAMES: RefCell<BTreeMap<usize, Layout>> = const { RefCell::new(BTreeMap::new()) };
    /// Every flush the tables asked for, in order (`None`: all).
    static FLUSHES: RefCell<Vec<Option<GuestPhysAddr>>> = const { RefCell::new(Vec::new()) };
}

/// The frames of the tables: zeroed host memory, identity-mapped.
/// `PagingHandler` has no `self`, so the bookkeeping is per thread (each
/// test runs on its own).
pub struct HostFrames;

impl HostFrames {
    /// How many frame allocations are live on this thread.
    #[must_use]
    pub fn live() -> usize {
        FRAMES.with(|frames| frames.borrow().len())
    }
}

impl PagingHandler for HostFrames {
    fn alloc_frames(num: usize, align: usize) -> Option<HostPhysAddr> {
        let layout = Layout::from_size_align(num.checked_mul(PAGE_SIZE_4K)?, align).ok()?;
        // SAFETY: the layout's size is at least one page, never zero.
        #[allow(unsafe_code)]
        let frame = unsafe { alloc_zeroed(layout) };
        if frame.is_null() {
            return None;
        }
        let hpa = HostPhysAddr::from_usize(frame as usize);
        FRAMES.with(|frames| frames.borrow_mut().insert(hpa.as_usize(), layout));
        Some(hpa)
    }

    fn dealloc_frames(paddr: HostPhysAddr, _num: usize) {
        let layout = FRAMES.with(|frames| frames.borrow_mut().remove(&paddr.as_usize()));
        let layout = layout.expect("the table freed a frame it was never given");
        // SAFETY: allocated by `alloc_frames` with this layout, freed once
        // (removed from the map above).
        #[allow(unsafe_code)]
        unsafe {
            dealloc(Self::phys_to_virt(paddr).as_mut_ptr(), layout);
        }
    }

    fn phys_to_virt(paddr: HostPhysAddr) -> HostVirtAddr {
        HostVirtAddr::from_usize(paddr.as_usize())
    }
}

/// A four-level nested table whose input addresses are `GuestPhysAddr`s.
pub struct NestedPaging;

impl PagingMetaData for NestedPaging {
    const LEVELS: usize = 4;
    const PA_MAX_BITS: usize = 52;
    const VA_MAX_BITS: usize = 48;
    type VirtAddr = GuestPhysAddr;

    // A guest physical address space has no upper half.
    fn vaddr_is_valid(vaddr: usize) -> bool {
        vaddr >> Self::VA_MAX_BITS == 0
    }

    // In user space the invalidation instructions would trap (see
    // `FlushTlb`): the flush is recorded, and the tests read it back.
    fn flush_tlb(gpa: Option<GuestPhysAddr>) {
        FLUSHES.with(|flushes| flushes.borrow_mut().push(gpa));
    }
}

impl NestedPaging {
    /// The flushes asked for since the last call, in order.
    #[must_use]
    pub fn take_flushes() -> Vec<Option<GuestPhysAddr>> {
        FLUSHES.with(RefCell::take)
    }
}

/// On riscv64 a hypervisor's nested table can be ax-page-table-multiarch's
/// own Sv39 one over guest physical addresses, whose metadata flushes
/// through `SvVirtAddr`: the guest types implement it in this generation.
/// Built, not run here: its flushes would execute `hfence.gvma` in user
/// space (see `FlushTlb`).
#[cfg(target_arch = "riscv64")]
pub type Sv39x4Table =
    PageTable64<ax_page_table_multiarch::riscv::Sv39MetaData<GuestPhysAddr>, Entry, HostFrames>;

/// An empty [`Sv39x4Table`]: a type alias is not checked, a function is,
/// so this is what proves `GuestPhysAddr: SvVirtAddr`.
///
/// # Errors
///
/// When no frame is left for the root.
#[cfg(target_arch = "riscv64")]
pub fn sv39x4_table() -> ax_page_table_multiarch::PagingResult<Sv39x4Table> {
    Sv39x4Table::try_new()
}

#[cfg(test)]
mod tests {
    use addr_types::ax_memory_addr_06::prelude::*;
    use ax_page_table_multiarch::{MappingFlags, PageSize, PagingError, PagingHandler};

    use super::{HostFrames, NestedPaging, NestedTable};

    const RW: MappingFlags = MappingFlags::READ.union(MappingFlags::WRITE);

    #[test]
    fn maps_and_queries_guest_physical_addresses() {
        let mut table = NestedTable::try_new().unwrap();
        // A 4K page backed by a frame of real memory, and a 2M block whose
        // target is only written into its entry.
        let frame: HostPhysAddr = HostFrames::alloc_frame().unwrap();
        table
            .cursor()
            .map(gpa!(0x8000_0000), frame, PageSize::Size4K, RW)
            .unwrap();
        table
            .cursor()
            .map(
                gpa!(0x8020_0000),
                hpa!(0x4020_0000),
                PageSize::Size2M,
                RW | MappingFlags::EXECUTE,
            )
            .unwrap();
        assert_eq!(
            NestedPaging::take_flushes(),
            [Some(gpa!(0x8000_0000)), Some(gpa!(0x8020_0000))]
        );

        let (hpa, flags, size) = table.query(gpa!(0x8000_0123)).unwrap();
        assert_eq!((hpa, size), (frame.add(0x123), PageSize::Size4K));
        assert!(flags.contains(RW) && !flags.contains(MappingFlags::EXECUTE));
        let (hpa, flags, size) = table.query(gpa!(0x8031_2345)).unwrap();
        assert_eq!((hpa, size), (hpa!(0x4031_2345), PageSize::Size2M));
        assert!(flags.contains(RW | MappingFlags::EXECUTE));

        assert_eq!(table.query(gpa!(0x8000_1000)), Err(PagingError::NotMapped));
        assert_eq!(table.query(gpa!(0x9000_0000)), Err(PagingError::NotMapped));
        assert_eq!(
            table
                .cursor()
                .map(gpa!(0x8000_0000), frame, PageSize::Size4K, RW),
            Err(PagingError::AlreadyMapped)
        );
        let _ = NestedPaging::take_flushes();

        let unmapped = table.cursor().unmap(gpa!(0x8000_0000)).unwrap();
        assert_eq!((unmapped.0, unmapped.2), (frame, PageSize::Size4K));
        assert_eq!(NestedPaging::take_flushes(), [Some(gpa!(0x8000_0000))]);
        assert_eq!(table.query(gpa!(0x8000_0000)), Err(PagingError::NotMapped));

        HostFrames::dealloc_frame(frame);
        // The root and one table per level below it (shared by both
        // mappings) are real frames, freed with the table.
        assert_eq!(HostFrames::live(), 4);
        drop(table);
        assert_eq!(HostFrames::live(), 0);
    }

    #[test]
    fn the_table_reads_its_entries_from_the_frames_it_was_given() {
        let mut table = NestedTable::try_new().unwrap();
        let root = table.root_paddr();
        table
            .cursor()
            .map(gpa!(0x1000), hpa!(0x7000), PageSize::Size4K, RW)
            .unwrap();
        // GPA 0x1000 goes through entry 0 of the root: the root frame, in
        // real memory, now holds a present entry pointing at the next table.
        let root_entries: &[u64; 512] = {
            let pointer: *const [u64; 512] = HostFrames::phys_to_virt(root).as_ptr_of();
            // SAFETY: the root is a live, zeroed-then-written 4K frame of
            // this thread's allocator, aligned for u64.
            #[allow(unsafe_code)]
            unsafe {
                &*pointer
            }
        };
        assert_ne!(root_entries[0], 0);
        assert!(root_entries[1..].iter().all(|&entry| entry == 0));
        assert_eq!(table.query(gpa!(0x1abc)).unwrap().0, hpa!(0x7abc));
    }
}
