//! A real G-stage page table over `GuestPhysAddr`, walked by the emulated
//! hart: proves that `<GuestPhysAddr as SvVirtAddr>::flush_tlb` invalidates
//! the G stage, with the operands the privileged spec requires.
//!
//! The table is page_table_multiarch's
//! `PageTable64<Sv39MetaData<GuestPhysAddr>, Rv64PTE, _>`, installed in
//! `hgatp` as Sv39x4. Guest page [`G`] is mapped to host page `P1`, read
//! through the two-stage translation with `hlv.d` (vsatp = 0: the VS stage is
//! Bare), remapped to `P2` through the page table's cursor, and read again:
//!
//! - before the cursor's flush the read must be stale (`P1`): otherwise the
//!   harness could not tell a working flush from a missing one;
//! - after it (`flush_tlb(Some(G))`) the read must be fresh (`P2`);
//! - the same with `flush_tlb(None)`.
//!
//! QEMU's fences flush everything whatever their operands, so freshness alone
//! cannot show the stage or the operand. The code under test therefore runs
//! in HS-mode with `mstatus.TVM = 1`, which makes every `hfence.gvma` trap to
//! M-mode; the runtime's handler records its operands and performs it, and
//! this program checks them: rs1 = `G >> 2` for one address, `x0` for all,
//! rs2 = `x0` (all VMIDs). An `hfence.vvma` does not trap.
//!
//! The `control-*` features swap `GuestPhysAddr` for a type whose `flush_tlb`
//! makes one known mistake; the program must then fail with that mistake's
//! exit code ([`hart::exit_code`]).
#![no_std]
#![no_main]

#[cfg(not(target_arch = "riscv64"))]
compile_error!(
    "the G-stage test needs riscv64: Sv39x4 and page_table_multiarch's PageTable64 are 64-bit only"
);

#[cfg(any(
    all(feature = "control-no-flush", feature = "control-vvma"),
    all(feature = "control-no-flush", feature = "control-unshifted"),
    all(feature = "control-vvma", feature = "control-unshifted"),
))]
compile_error!("enable at most one `control-*` feature: each expects its own exit code");

use core::arch::asm;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicUsize, Ordering};

use addr_types::memory_addr_04::{PhysAddr, VirtAddr};
use addr_types::{address, GuestPhysAddr};
use hart::exit_code;
use hart::g_stage::{
    check_one_gvma, expect_fresh, expect_mapped, expect_stale, Expected, HostPage, P1, P2,
};
use hart::hypervisor::{enter_hs_mode_with_tvm, hgatp, install_hgatp};
use hart::trap_log::{self, Summary};
use page_table_entry::riscv::Rv64PTE;
use page_table_multiarch::riscv::{Sv39MetaData, SvVirtAddr};
use page_table_multiarch::{MappingFlags, PageSize, PageTable64, PagingError, PagingHandler};

/// The guest physical page under test. Below 2^39 (see
/// [`check_root_index_aliasing`]), above 2^38 so the root index's top bit is
/// used, and with a nonzero shifted operand (`G >> 2 = 0x10_2008_0c00`).
const G: usize = 0x40_8020_3000;

/// A G-stage leaf: G-stage accesses count as U-mode, so `USER` is required.
const FLAGS: MappingFlags = MappingFlags::READ
    .union(MappingFlags::WRITE)
    .union(MappingFlags::USER);

/// The G-stage table under test, generic over the guest physical address type
/// so that the negative controls can swap in a broken `flush_tlb`.
type GStageTable<A> = PageTable64<Sv39MetaData<A>, Rv64PTE, FramePool>;

// --- The frame allocator, and the Sv39x4 root problem --------------------
//
// Sv39x4's root table is 16 KiB (2048 entries) and must be 16 KiB aligned:
// hgatp has no room for the two low bits of its PPN. page_table_multiarch 0.6
// allocates the root like every other table, with `alloc_frame()` (one 4 KiB
// frame, 4 KiB alignment), and zeroes only 4 KiB of it. A `PagingHandler`
// cannot tell the root's request from the others, so it must serve every
// table from a zeroed, 16 KiB aligned, 16 KiB slot: the root then gets its
// alignment, and entries 512..2048 stay zero (invalid), as they must for
// guest physical addresses at or above 2^39.

/// Bytes per frame slot: one Sv39x4 root table.
const SLOT_SIZE: usize = 16 * 1024;
/// Root, one 2nd-level and one leaf table.
const SLOTS: usize = 3;

#[repr(C, align(16384))]
struct Slot(UnsafeCell<[u8; SLOT_SIZE]>);

/// A bump allocator over [`SLOTS`] static slots.
struct FramePool {
    slots: [Slot; SLOTS],
    next: AtomicUsize,
}

// SAFETY: a slot is handed out once, by an atomic index, and from then on is
// only accessed through the page table it was given to.
unsafe impl Sync for FramePool {}

static FRAMES: FramePool = FramePool {
    slots: [const { Slot(UnsafeCell::new([0; SLOT_SIZE])) }; SLOTS],
    next: AtomicUsize::new(0),
};

impl PagingHandler for FramePool {
    fn alloc_frames(num: usize, align: usize) -> Option<PhysAddr> {
        if num != 1 || align > SLOT_SIZE {
            return None;
        }
        let slot = FRAMES
            .slots
            .get(FRAMES.next.fetch_add(1, Ordering::Relaxed))?;
        Some(PhysAddr::from_usize(slot.0.get() as usize))
    }

    // The program ends before any table is dropped; a bump allocator suffices.
    fn dealloc_frames(_: PhysAddr, _: usize) {}

    fn phys_to_virt(paddr: PhysAddr) -> VirtAddr {
        VirtAddr::from_usize(paddr.as_usize())
    }
}

// --- The negative controls --------------------------------------------------

/// control-no-flush: `flush_tlb` does nothing.
#[address(prefix = "GPA")]
struct UnflushedGpa(usize);

impl SvVirtAddr for UnflushedGpa {
    fn flush_tlb(_: Option<Self>) {}
}

/// control-vvma: upstream axaddrspace's mistake, a guest physical address
/// flushed with the VS-stage fence.
#[address(prefix = "GPA", translates = "guest-virtual")]
struct VvmaFlushedGpa(usize);

/// control-unshifted: `hfence.gvma` with the address itself in rs1.
#[address(prefix = "GPA")]
struct UnshiftedGpa(usize);

impl SvVirtAddr for UnshiftedGpa {
    fn flush_tlb(gpa: Option<Self>) {
        match gpa {
            // SAFETY: a fence only invalidates cached translations.
            Some(gpa) => unsafe {
                asm!(
                    ".option push",
                    ".option arch, +h",
                    "hfence.gvma {0}, zero",
                    ".option pop",
                    in(reg) gpa.as_usize(),
                    options(nostack, preserves_flags),
                );
            },
            None => addr_types::arch::riscv::hfence_gvma_all(),
        }
    }
}

// --- The test -------------------------------------------------------------

#[no_mangle]
extern "C" fn hart_main() -> ! {
    let result = if cfg!(feature = "control-no-flush") {
        run::<UnflushedGpa>()
    } else if cfg!(feature = "control-vvma") {
        run::<VvmaFlushedGpa>()
    } else if cfg!(feature = "control-unshifted") {
        run::<UnshiftedGpa>()
    } else {
        run::<GuestPhysAddr>()
    };
    hart::exit(result)
}

fn run<A: SvVirtAddr>() -> Result<(), u8> {
    hart::allow_all_memory_below_m_mode();
    let mut table = GStageTable::<A>::try_new().expect("the frame pool holds the root");
    let g = A::from(G);
    {
        let mut cursor = table.cursor();
        cursor
            .map(g, paddr(&P1), PageSize::Size4K, FLAGS)
            .expect("the frame pool holds the tables");
        check_root_index_aliasing(|alias| cursor.map(alias, paddr(&P2), PageSize::Size4K, FLAGS))?;
    } // The cursor flushes here, in M-mode: the fence executes, nothing traps.
    install_hgatp(hgatp(table.root_paddr().as_usize(), 0));
    enter_hs_mode_with_tvm();

    // HS-mode from here on; every hfence.gvma traps to the recording handler.
    expect_mapped(G, &P1)?;

    // flush_tlb(Some(G)), through the cursor, as page_table_multiarch does it.
    {
        let mut cursor = table.cursor();
        cursor.remap(g, paddr(&P2), FLAGS).expect("G is mapped");
        expect_stale(G, Expected::Page(&P1))?;
        // Only the flush's fences count, not the set-up's.
        trap_log::clear();
        drop(cursor);
    }
    hart::say!("cursor flush (flush_tlb(Some(G))): {Summary}");
    expect_fresh(G, Expected::Page(&P2))?;
    check_one_gvma(Some(G))?;

    // flush_tlb(None), as a hypervisor calls it after changing many entries.
    let mut cursor = table.cursor();
    cursor.remap(g, paddr(&P1), FLAGS).expect("G is mapped");
    expect_stale(G, Expected::Page(&P2))?;
    trap_log::clear();
    A::flush_tlb(None);
    hart::say!("flush_tlb(None): {Summary}");
    expect_fresh(G, Expected::Page(&P1))?;
    check_one_gvma(None)?;
    // Dropping the cursor flushes G once more; harmless, and not checked.
    drop(cursor);
    Ok(())
}

/// A host page as page_table_multiarch 0.6's `PhysAddr`.
fn paddr(page: &'static HostPage) -> PhysAddr {
    PhysAddr::from_usize(page.paddr())
}

/// page_table_multiarch indexes the root with 9 bits, as for Sv39; Sv39x4's
/// root takes 11 (guest physical addresses have 41 bits). So `G + 2^39`,
/// which the hart would look up in root entry 512 + i, is put in `G`'s entry
/// i instead: here it collides with `G`'s mapping. This check keeps the
/// README's advice (guest physical memory below 512 GiB) honest: it fails
/// when a page_table_multiarch update changes the behaviour.
fn check_root_index_aliasing<A: SvVirtAddr>(
    map: impl FnOnce(A) -> Result<(), PagingError>,
) -> Result<(), u8> {
    match map(A::from(G + (1 << 39))) {
        Err(PagingError::AlreadyMapped) => Ok(()),
        _ => Err(exit_code::ROOT_INDEX_ALIASING_CHANGED),
    }
}
