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
use hart::{exit_code, TrappedLog};
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

/// A host page whose first doubleword tells which page a read reached.
#[repr(C, align(4096))]
struct HostPage([u64; 512]);

impl HostPage {
    const fn marked(marker: u64) -> Self {
        let mut words = [0; 512];
        words[0] = marker;
        Self(words)
    }

    fn paddr(&'static self) -> PhysAddr {
        // M- and HS-mode run untranslated (satp = 0): addresses are physical.
        PhysAddr::from_usize(core::ptr::from_ref(self) as usize)
    }

    fn marker(&self) -> u64 {
        self.0[0]
    }
}

static P1: HostPage = HostPage::marked(0x1111_1111_1111_1111);
static P2: HostPage = HostPage::marked(0x2222_2222_2222_2222);

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
            .map(g, P1.paddr(), PageSize::Size4K, FLAGS)
            .expect("the frame pool holds the tables");
        check_root_index_aliasing(|alias| cursor.map(alias, P2.paddr(), PageSize::Size4K, FLAGS))?;
    } // The cursor flushes here, in M-mode: the fence executes, nothing traps.
    install_hgatp(table.root_paddr());
    enter_hs_mode_with_tvm();

    // HS-mode from here on; every hfence.gvma traps to the recording handler.
    if hlv_d(G) != P1.marker() {
        return Err(exit_code::MAPPING_NOT_VISIBLE);
    }

    // flush_tlb(Some(G)), through the cursor, as page_table_multiarch does it.
    let log = {
        let mut cursor = table.cursor();
        cursor.remap(g, P2.paddr(), FLAGS).expect("G is mapped");
        expect_stale(&P1)?;
        // Only the flush's fences count, not the set-up's.
        hart::take_trapped_gvma();
        drop(cursor);
        hart::take_trapped_gvma()
    };
    expect_fresh(&P2)?;
    check_one_gvma(&log, Some(G))?;

    // flush_tlb(None), as a hypervisor calls it after changing many entries.
    let mut cursor = table.cursor();
    cursor.remap(g, P1.paddr(), FLAGS).expect("G is mapped");
    expect_stale(&P2)?;
    hart::take_trapped_gvma();
    A::flush_tlb(None);
    let log = hart::take_trapped_gvma();
    expect_fresh(&P1)?;
    check_one_gvma(&log, None)?;
    // Dropping the cursor flushes G once more; harmless, and not checked.
    drop(cursor);
    Ok(())
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

fn expect_stale(old: &HostPage) -> Result<(), u8> {
    if hlv_d(G) == old.marker() {
        Ok(())
    } else {
        Err(exit_code::STALENESS_INVISIBLE)
    }
}

fn expect_fresh(new: &HostPage) -> Result<(), u8> {
    if hlv_d(G) == new.marker() {
        Ok(())
    } else {
        Err(exit_code::STALE_AFTER_FLUSH)
    }
}

/// Exactly one `hfence.gvma` was executed, for all VMIDs, and for `gpa` (rs1 =
/// `gpa >> 2`) or, with `None`, for all guest physical addresses (rs1 = `x0`;
/// a register holding 0 would flush guest physical address 0 only).
fn check_one_gvma(log: &TrappedLog, gpa: Option<usize>) -> Result<(), u8> {
    let fence = match log.count {
        0 => return Err(exit_code::NO_HFENCE_GVMA),
        1 => log.first[0],
        _ => return Err(exit_code::EXTRA_HFENCE_GVMA),
    };
    let rs1_ok = match gpa {
        Some(gpa) => fence.rs1 != 0 && fence.rs1_value == gpa >> 2,
        None => fence.rs1 == 0,
    };
    if !rs1_ok {
        return Err(exit_code::WRONG_RS1);
    }
    if fence.rs2 != 0 {
        return Err(exit_code::WRONG_RS2);
    }
    Ok(())
}

// --- Hypervisor CSRs and instructions ------------------------------------

/// `hgatp.MODE` for Sv39x4.
const HGATP_MODE_SV39X4: usize = 8 << 60;
/// `hstatus.SPVP`: `hlv` accesses with VS-mode privilege.
const HSTATUS_SPVP: usize = 1 << 8;
const MSTATUS_MPP_MASK: usize = 0b11 << 11;
const MSTATUS_MPP_S: usize = 0b01 << 11;
const MSTATUS_TVM: usize = 1 << 20;
const MSTATUS_MPV: usize = 1 << 39;

/// Installs the G-stage root, for VMID 0.
fn install_hgatp(root: PhysAddr) {
    let ppn = root.as_usize() >> 12;
    // A real hart reads hgatp.PPN's two low bits as zero in Sv39x4, so a
    // misaligned root would silently become another address. QEMU 7.2 keeps
    // and uses them, so it cannot catch that mistake: check it here.
    assert_eq!(ppn & 0b11, 0, "the Sv39x4 root must be 16 KiB aligned");
    // SAFETY: runs in M-mode, before anything uses the G stage.
    unsafe { asm!("csrw hgatp, {0}", in(reg) HGATP_MODE_SV39X4 | ppn, options(nostack)) };
    // SAFETY: M-mode configures the two-stage translation `hlv.d` uses: VS
    // stage Bare, VS-mode privilege; and flushes what the hart cached of it.
    unsafe {
        asm!(
            "csrw vsatp, zero",
            "csrs hstatus, {spvp}",
            spvp = in(reg) HSTATUS_SPVP,
            options(nostack),
        );
    }
    addr_types::arch::riscv::hfence_gvma_all();
}

/// Returns in HS-mode (S-mode with V = 0) with `mstatus.TVM = 1`, so that
/// every `hfence.gvma` from now on traps to M-mode.
fn enter_hs_mode_with_tvm() {
    // SAFETY: `mret` continues at label 2, in S-mode, with every register
    // and the stack unchanged; PMP lets S-mode reach all memory.
    unsafe {
        asm!(
            "csrc mstatus, {clear}",
            "csrs mstatus, {set}",
            "la {pc}, 2f",
            "csrw mepc, {pc}",
            "mret",
            "2:",
            clear = in(reg) MSTATUS_MPP_MASK | MSTATUS_MPV,
            set = in(reg) MSTATUS_MPP_S | MSTATUS_TVM,
            pc = out(reg) _,
            options(nostack),
        );
    }
}

/// Reads the doubleword at guest physical address `gpa` through the two-stage
/// translation (the VS stage being Bare, through the G stage only).
fn hlv_d(gpa: usize) -> u64 {
    let value;
    // SAFETY: `hlv.d` is a load through the G-stage table, which maps `G`
    // to a readable host page; any fault traps to M-mode and ends the test.
    unsafe {
        asm!(
            ".option push",
            ".option arch, +h",
            "hlv.d {value}, ({gpa})",
            ".option pop",
            value = out(reg) value,
            gpa = in(reg) gpa,
            options(nostack, readonly),
        );
    }
    value
}
