//! axvm 0.8's G-stage table, built and changed by page-table-generic 0.9
//! and walked by the emulated hart: proves that its flush hook, the one line
//! of addr-types (`nested_tables::riscv_sv39x4::AddrTypesFlush`), makes
//! every change visible, with the operands the privileged spec requires.
//!
//! The table is `PageTable<Sv39x4, _>` from tests/nested-tables, installed
//! in `hgatp` (VS stage Bare). In HS-mode with `mstatus.TVM = 1`, so that
//! each `hfence.gvma` the hook executes traps and is logged, guest page [`G`]
//! goes through page-table-generic's own operations, each of which calls
//! the hook itself:
//!
//! 1. mapped to `P1` (in M-mode), read: `P1`;
//! 2. `remap_page` to `P2`: the read is fresh (`P2`), one `hfence.gvma`
//!    with rs1 = `G >> 2`, rs2 = `x0`;
//! 3. `unmap`: the read faults, one `hfence.gvma` as above;
//! 4. `map` (with `flush: true`) to `P1`: the read is fresh, one fence;
//! 5. `unmap_with_config(flush: false)`: the read is stale (`P1`: the
//!    harness sees staleness), then the hook with `None`: the read faults,
//!    one `hfence.gvma` with rs1 = `x0`.
//!
//! The `control-*` features build the same table with another hook, and the
//! program must fail: `control-no-flush` (no fence) reads stale at step 2
//! (exit 101); `control-axvm`, the tgoskits tree's operand-less `hfence.gvma`, reads
//! fresh (QEMU flushes everything) but its rs1 is `x0` where the harness
//! requires `G >> 2` (exit 104).
#![no_std]
#![no_main]

#[cfg(not(target_arch = "riscv64"))]
compile_error!("the nested G-stage test needs riscv64: Sv39x4 is an RV64 format");

#[cfg(all(feature = "control-no-flush", feature = "control-axvm"))]
compile_error!("enable at most one `control-*` feature: each expects its own exit code");

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicUsize, Ordering};

use hart::g_stage::{check_one_gvma, expect_fresh, expect_mapped, expect_stale, Expected, P1, P2};
use hart::hypervisor::{enter_hs_mode_with_tvm, hgatp, install_hgatp};
use hart::trap_log::{self, Summary};
use nested_tables::riscv_sv39x4::{GStageAccess, Sv39x4};
use page_table_generic::{
    FrameAllocator, MapConfig, PageTable, PhysAddr, TableMeta, UnmapConfig, VirtAddr,
};

/// The guest physical page under test: above 2^39, in root entry 514, so
/// the 11-bit root index matters (a 9-bit one folds it onto entry 2), and
/// with a nonzero shifted operand (`G >> 2 = 0x20_2008_0c00`). Below 2^40:
/// QEMU 7.2 faults every guest physical address with bit 40 set (measured),
/// though Sv39x4 has 41 bits.
const G: usize = 0x80_8020_3000;

#[cfg(not(any(feature = "control-no-flush", feature = "control-axvm")))]
type Hook = nested_tables::AddrTypesFlush;
#[cfg(feature = "control-no-flush")]
type Hook = NoFlush;
#[cfg(feature = "control-axvm")]
type Hook = AxvmFlush;

type Table = PageTable<Sv39x4<Hook>, StaticFrames>;

/// control-no-flush: a hook that does nothing.
#[cfg(feature = "control-no-flush")]
#[derive(Clone, Copy)]
struct NoFlush;

#[cfg(feature = "control-no-flush")]
impl nested_tables::FlushHook for NoFlush {
    fn flush(_: Option<VirtAddr>) {}
}

/// control-axvm: the tgoskits tree's axvm `Sv39x4MetaData::flush` body.
#[cfg(feature = "control-axvm")]
#[derive(Clone, Copy)]
struct AxvmFlush;

#[cfg(feature = "control-axvm")]
impl nested_tables::FlushHook for AxvmFlush {
    fn flush(_vaddr: Option<VirtAddr>) {
        // SAFETY: a fence only invalidates cached translations.
        unsafe {
            core::arch::asm!(
                ".option push",
                ".option arch, +h",
                "hfence.gvma",
                ".option pop",
                options(nostack, preserves_flags),
            );
        }
    }
}

// --- The frame allocator ---------------------------------------------------
//
// page-table-generic asks for the Sv39x4 root with `alloc_frames(4, 0x4000)`
// (16 KiB, 16 KiB aligned) and for every other table with `alloc_frame()`.

const ROOT_SIZE: usize = 0x4000;
const FRAME_SIZE: usize = 0x1000;
/// Two tables per mapping of G, which `unmap` frees; three mappings.
const FRAMES: usize = 6;

#[repr(C, align(16384))]
struct Root(UnsafeCell<[u8; ROOT_SIZE]>);

#[repr(C, align(4096))]
struct Frame(UnsafeCell<[u8; FRAME_SIZE]>);

struct Pool {
    root: Root,
    root_taken: AtomicUsize,
    frames: [Frame; FRAMES],
    next: AtomicUsize,
}

// SAFETY: each piece is handed out once, by an atomic index, and from then on
// only accessed through the page table it was given to.
unsafe impl Sync for Pool {}

static POOL: Pool = Pool {
    root: Root(UnsafeCell::new([0; ROOT_SIZE])),
    root_taken: AtomicUsize::new(0),
    frames: [const { Frame(UnsafeCell::new([0; FRAME_SIZE])) }; FRAMES],
    next: AtomicUsize::new(0),
};

/// A bump allocator over [`POOL`]: the program ends before any frame could
/// be reused.
#[derive(Clone, Copy)]
struct StaticFrames;

impl FrameAllocator for StaticFrames {
    fn alloc_frame(&self) -> Option<PhysAddr> {
        let frame = POOL.frames.get(POOL.next.fetch_add(1, Ordering::Relaxed))?;
        Some(PhysAddr::from_usize(frame.0.get() as usize))
    }

    fn alloc_frames(&self, frames: usize, align: usize) -> Option<PhysAddr> {
        if frames * FRAME_SIZE > ROOT_SIZE || align > ROOT_SIZE {
            return None;
        }
        if POOL.root_taken.swap(1, Ordering::Relaxed) != 0 {
            return None;
        }
        Some(PhysAddr::from_usize(POOL.root.0.get() as usize))
    }

    fn dealloc_frame(&self, _: PhysAddr) {}

    fn dealloc_frames(&self, _: PhysAddr, _: usize, _: usize) {}

    fn phys_to_virt(&self, paddr: PhysAddr) -> *mut u8 {
        // M- and HS-mode run untranslated: addresses are physical.
        paddr.as_usize() as *mut u8
    }
}

// --- The test -------------------------------------------------------------

fn map(table: &mut Table, page: &'static hart::g_stage::HostPage) {
    table
        .map(&MapConfig {
            vaddr: VirtAddr::from_usize(G),
            paddr: PhysAddr::from_usize(page.paddr()),
            size: FRAME_SIZE,
            pte: GStageAccess::READ_WRITE,
            allow_huge: false,
            flush: true,
        })
        .expect("the pool holds the tables");
}

#[no_mangle]
extern "C" fn hart_main() -> ! {
    hart::exit(run())
}

fn run() -> Result<(), u8> {
    hart::allow_all_memory_below_m_mode();
    let mut table = Table::new(StaticFrames).expect("the pool holds the root");
    // In M-mode, `hfence.gvma` does not trap: the hook runs unrecorded.
    map(&mut table, &P1);
    install_hgatp(hgatp(table.root_paddr().as_usize(), 0));
    enter_hs_mode_with_tvm();
    let g = VirtAddr::from_usize(G);

    // HS-mode from here on; every hfence.gvma traps to the recording handler.
    expect_mapped(G, &P1)?;

    trap_log::clear();
    table
        .remap_page(
            g,
            PhysAddr::from_usize(P2.paddr()),
            GStageAccess::READ_WRITE,
        )
        .expect("G is mapped");
    hart::say!("remap_page: {Summary}");
    expect_fresh(G, Expected::Page(&P2))?;
    check_one_gvma(Some(G))?;

    trap_log::clear();
    table.unmap(g, FRAME_SIZE).expect("G is mapped");
    hart::say!("unmap: {Summary}");
    expect_fresh(G, Expected::Fault)?;
    check_one_gvma(Some(G))?;

    trap_log::clear();
    map(&mut table, &P1);
    hart::say!("map: {Summary}");
    expect_fresh(G, Expected::Page(&P1))?;
    check_one_gvma(Some(G))?;

    // KVM's order for a VM that is not loaded: edit without flushing, then
    // flush once.
    table
        .unmap_with_config(&UnmapConfig {
            start_vaddr: g,
            size: FRAME_SIZE,
            flush: false,
        })
        .expect("G is mapped");
    expect_stale(G, Expected::Page(&P1))?;
    trap_log::clear();
    <Sv39x4<Hook> as TableMeta>::flush(None);
    hart::say!("unmap_with_config(flush: false), then flush(None): {Summary}");
    expect_fresh(G, Expected::Fault)?;
    check_one_gvma(None)?;
    Ok(())
}
