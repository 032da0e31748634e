//! Real stage-2 tables, walked by the emulated CPU for EL1 reads: proves on
//! QEMU that addr-types' flushes invalidate what a changed stage-2 (or
//! guest stage-1) entry left cached, and that known mistakes do not.
//!
//! One build runs every suite: QEMU's `-append` names it
//! ([`Suite`](el2::report::Suite)), and the program prints one
//! `case: fresh|STALE` line per case on the semihosting console, then exits
//! 0; any other exit code ended the run early ([`el2::exit_code`]).
//!
//! - [`hook`]: a page-table-generic 0.9 stage-2 table
//!   ([`nested_tables::aarch64_stage2`]) changed through its own
//!   `remap_page`/`unmap_page`, with addr-types' one-line flush hook or a
//!   known mistake (the tgoskits tree's axvm body among them).
//! - [`per_vm`]: `VmContext`'s flushes, with the VM loaded and with another
//!   VM loaded; each restores `VTTBR_EL2` and `DAIF`.
//! - [`ranges`]: `VmContext`'s range flushes, on CPUs with and without
//!   FEAT_TLBIRANGE.
//!
//! The memory layout (VMID 1, 39-bit IPA space from level 1): RAM's first
//! GiB is identity-mapped at stage 2 by 2 MiB blocks; the test pages lie
//! outside it, because invalidating an IPA inside a block mapping flushes
//! QEMU's whole stage-2 cache, which would hide a wrong operand.
//!
//! - **Mode A** (SCTLR_EL1.M = 0: EL1's VA is the IPA): the stage-2 leaf of
//!   [`G`] goes from host page `P1` to `P2`; EL1 reads `G`.
//! - **Mode B** (SCTLR_EL1.M = 1): EL1 reads [`V`], whose stage-1 level-3
//!   table is at IPA [`GT`]; the stage-2 leaf of `GT` goes from table `TA`
//!   (V → P1) to `TB` (V → P2). QEMU caches the stage-2 translation of a
//!   stage-1 table's address apart from the combined entry, so this mode
//!   shows which IPA `ipas2e1is` invalidated.
//!
//! Each case sets the old mapping, invalidates everything (`vmalls12e1is`),
//! reads (must give P1), changes the mapping without a flush, reads again
//! (must still give P1: otherwise staleness is invisible and the case could
//! not fail), flushes with the code under test, and reads a third time.
#![no_std]
#![no_main]

mod hook;
mod per_vm;
mod ranges;

use core::cell::UnsafeCell;

use el2::exit_code;
use el2::frames::StaticFrames;
use el2::report::{Suite, FRESH, STALE};
use el2::GuestRead;
use nested_tables::aarch64_stage2::{S2Attributes, S2Descriptor};
use page_table_generic::{MapConfig, PageTable, PhysAddr, TableMeta, UnmapConfig, VirtAddr};

/// Mode A's guest page: above 2^38, so the level-1 index's top bit is used,
/// and outside RAM's block mappings.
const G: usize = 0x40_8020_3000;
/// Mode B's page holding the guest's stage-1 level-3 table for [`V`] and
/// [`W`]; shares `G`'s level-3 stage-2 table.
const GT: usize = 0x40_8020_5000;
/// Three consecutive IPAs holding the stage-1 level-3 tables of [`VR`]'s
/// three pages: what the guest-physical range flushes cover.
const GTR: usize = 0x40_8020_8000;
/// Mode B's guest virtual address: level-1 index 192, level-2 index 3,
/// level-3 index 1.
const V: usize = 0x30_0060_1000;
/// Three consecutive guest virtual pages after [`V`], in the same stage-1
/// table (level-3 indexes 2 to 4): what the guest-virtual range flushes
/// cover.
const W: usize = V + 0x1000;
/// Three guest virtual pages 2 MiB apart (level-2 indexes 4 to 6), each
/// walked through its own stage-1 table at `GTR + i * 4 KiB`.
const VR: usize = 0x30_0080_0000;
/// The IPAs the guest's stage-1 entries name for `P1` and `P2`: mapped at
/// stage 2 by 4 KiB leaves, never changed. QEMU caches a combined entry
/// with the larger of its two stages' page sizes and flushes a whole
/// translation regime when a page to invalidate falls in its large-page
/// region; naming `P1` through RAM's 2 MiB blocks would turn every
/// guest-virtual page flush into a flush of everything.
const D1: usize = 0x40_8020_c000;
const D2: usize = 0x40_8020_d000;
/// QEMU `virt`'s RAM, identity-mapped at stage 2 and at stage 1.
const RAM: usize = 0x4000_0000;
const GIB: usize = 0x4000_0000;

/// The stage-1 level-3 index of `va`'s entry in `TA`/`TB`.
const fn l3_index(va: usize) -> usize {
    (va >> 12) & 511
}

/// A 4 KiB page whose first doubleword tells which page a read reached, or a
/// stage-1 table. EL2 writes it before EL1 reads it.
#[repr(C, align(4096))]
struct Page(UnsafeCell<[u64; 512]>);

// SAFETY: one CPU, no interrupts; EL1 only reads pages while EL2 waits.
unsafe impl Sync for Page {}

impl Page {
    const fn new() -> Self {
        Self(UnsafeCell::new([0; 512]))
    }

    fn addr(&'static self) -> usize {
        self.0.get() as usize
    }

    fn set(&self, index: usize, value: u64) {
        assert!(index < 512);
        // SAFETY: in bounds; nothing else accesses the page meanwhile.
        unsafe { self.0.get().cast::<u64>().add(index).write_volatile(value) };
    }
}

static P1: Page = Page::new();
static P2: Page = Page::new();
/// The guest's stage-1 tables above the level-3 ones.
static S1_L1: Page = Page::new();
static S1_L2: Page = Page::new();
/// The two versions of the stage-1 level-3 table at IPA [`GT`] (and of
/// those at [`GTR`]): every entry to `P1` in `TA`, to `P2` in `TB`.
static TA: Page = Page::new();
static TB: Page = Page::new();

const P1_MARKER: u64 = 0x1111_1111_1111_1111;
const P2_MARKER: u64 = 0x2222_2222_2222_2222;

/// Stage-1 descriptor bits: valid; table/page (clear: block); AttrIndx 0
/// (MAIR_EL1 attribute 0, Normal write-back); inner shareable; access flag.
const S1_VALID: u64 = 1 << 0;
const S1_NON_BLOCK: u64 = 1 << 1;
const S1_NORMAL_IS_AF: u64 = 0b11 << 8 | 1 << 10;

/// Which data page a guest stage-1 entry leads to.
#[derive(Clone, Copy)]
enum Data {
    /// `P1`, through IPA [`D1`].
    Old,
    /// `P2`, through IPA [`D2`].
    New,
}

/// A stage-1 level-3 entry to `data`.
fn stage1_page(data: Data) -> u64 {
    let ipa = match data {
        Data::Old => D1,
        Data::New => D2,
    };
    ipa as u64 | S1_VALID | S1_NON_BLOCK | S1_NORMAL_IS_AF
}

/// Sets the guest's stage-1 entry of `va` in `TA` (what `GT` maps to in
/// its old state) to `data`: a change of the guest's own table.
fn set_stage1_entry(va: usize, data: Data) {
    TA.set(l3_index(va), stage1_page(data));
}

/// The guest's stage-1 tables: RAM by a 1 GiB block; [`V`] and [`W`]
/// through the table at IPA [`GT`]; each [`VR`] page through its own at
/// [`GTR`]; `TA` maps every page to `P1`, `TB` to `P2`.
fn build_memory() {
    P1.set(0, P1_MARKER);
    P2.set(0, P2_MARKER);
    let index = |va: usize, level: u32| (va >> (12 + 9 * (3 - level))) & 511;
    S1_L1.set(index(RAM, 1), RAM as u64 | S1_VALID | S1_NORMAL_IS_AF);
    S1_L1.set(index(V, 1), S1_L2.addr() as u64 | S1_VALID | S1_NON_BLOCK);
    // The level-3 tables are named by their IPAs: stage 2 decides which
    // host page each is.
    S1_L2.set(index(V, 2), GT as u64 | S1_VALID | S1_NON_BLOCK);
    for i in 0..3 {
        let table = GTR + i * 0x1000;
        S1_L2.set(
            index(VR + i * 0x20_0000, 2),
            table as u64 | S1_VALID | S1_NON_BLOCK,
        );
    }
    for i in 0..512 {
        TA.set(i, stage1_page(Data::Old));
        TB.set(i, stage1_page(Data::New));
    }
}

/// A VM's stage-2 table, page-table-generic's over the static frames.
type Table<M> = PageTable<M, StaticFrames>;

/// A stage-2 table with RAM's first GiB identity-mapped by 2 MiB blocks
/// and, when `test_pages`, `D1` → P1, `D2` → P2, `G` → P1 and `GT`, `GTR`
/// → TA. Written with `flush: false` before stage 2 is on: nothing is
/// cached yet.
fn new_table<M: TableMeta<P = S2Descriptor>>(test_pages: bool) -> Table<M> {
    let mut table = Table::<M>::new(StaticFrames).expect("the pool holds the root");
    map(&mut table, RAM, RAM, GIB, S2Attributes::RAM);
    if test_pages {
        set_leaf(&mut table, D1, P1.addr());
        set_leaf(&mut table, D2, P2.addr());
        set_leaf(&mut table, G, P1.addr());
        set_leaf(&mut table, GT, TA.addr());
        for i in 0..3 {
            set_leaf(&mut table, GTR + i * 0x1000, TA.addr());
        }
    }
    table
}

fn map<M: TableMeta<P = S2Descriptor>>(
    table: &mut Table<M>,
    ipa: usize,
    paddr: usize,
    size: usize,
    pte: S2Attributes,
) {
    table
        .map(&MapConfig {
            vaddr: VirtAddr::from_usize(ipa),
            paddr: PhysAddr::from_usize(paddr),
            size,
            pte,
            allow_huge: true,
            flush: false,
        })
        .expect("the pool holds the tables");
}

/// Points the stage-2 leaf of `ipa` at `paddr` through the table's own
/// `unmap_with_config`/`map` with `flush: false`: a change that flushes
/// nothing, as a hypervisor makes to a VM it flushes later.
fn set_leaf<M: TableMeta<P = S2Descriptor>>(table: &mut Table<M>, ipa: usize, paddr: usize) {
    let page = VirtAddr::from_usize(ipa);
    if table.query_occupied(page).is_ok() {
        table
            .unmap_with_config(&UnmapConfig {
                start_vaddr: page,
                size: 0x1000,
                flush: false,
            })
            .expect("the page is mapped");
    }
    map(table, ipa, paddr, 0x1000, S2Attributes::DATA);
}

/// What a read must see after the flush for the case to be fresh.
#[derive(Clone, Copy)]
enum New {
    /// The new page's marker.
    Page,
    /// A stage-2 abort: the page was unmapped.
    Unmapped,
}

/// One case on `state` (a table, or nothing): `set_up` puts the old
/// mapping in place without a flush, `change` (if any) puts the new one in
/// place without a flush, `flush` runs the code under test; every address
/// of `reads` is read before and after each step. Returns the report value.
///
/// # Errors
///
/// An exit code when a step did not read what it must (see
/// [`exit_code`]), or when `flush` failed a check of its own.
fn case<T>(
    state: &mut T,
    reads: &[usize],
    set_up: impl FnOnce(&mut T),
    change: Option<&dyn Fn(&mut T)>,
    flush: impl FnOnce(&mut T) -> Result<(), u8>,
    new: New,
) -> Result<&'static str, u8> {
    set_up(state);
    el2::machine::invalidate_all();
    for &va in reads {
        if el2::guest_read(va)? != GuestRead::Value(P1_MARKER) {
            return Err(exit_code::UNEXPECTED_READ);
        }
    }
    if let Some(change) = change {
        change(state);
        for &va in reads {
            if el2::guest_read(va)? != GuestRead::Value(P1_MARKER) {
                return Err(exit_code::STALENESS_INVISIBLE);
            }
        }
    }
    flush(state)?;
    let mut fresh = true;
    for &va in reads {
        match (el2::guest_read(va)?, new) {
            (GuestRead::Value(P2_MARKER), New::Page) | (GuestRead::Abort, New::Unmapped) => {}
            (GuestRead::Value(P1_MARKER), _) => fresh = false,
            _ => return Err(exit_code::UNEXPECTED_READ),
        }
    }
    Ok(if fresh { FRESH } else { STALE })
}

#[no_mangle]
extern "C" fn el2_main() -> ! {
    if el2::current_el() != 2 {
        el2::exit(Err(exit_code::NOT_AT_EL2));
    }
    let mut buffer = [0; 256];
    let Some(suite) = el2::command_line(&mut buffer).and_then(Suite::parse) else {
        el2::exit(Err(exit_code::BAD_ARGUMENT));
    };
    build_memory();
    let result = match suite {
        Suite::Hook(hook) => hook::run(hook),
        Suite::PerVm => per_vm::run(),
        Suite::ControlNoVttbrRestore | Suite::ControlNoDaifRestore => per_vm::control(suite),
        Suite::Ranges => ranges::run(),
    };
    el2::exit(result)
}
