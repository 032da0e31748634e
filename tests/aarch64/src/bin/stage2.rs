//! A real stage-2 table over `GuestPhysAddr`, walked by the emulated CPU for
//! EL1 reads: proves that `<GuestPhysAddr as FlushTlb>::flush_tlb`
//! invalidates what a changed stage-2 leaf left cached, in two modes.
//!
//! The table is page_table_multiarch's `PageTable64` with this crate's
//! stage-2 metadata and descriptors ([`el2::stage2`]): 39-bit IPA space,
//! start at level 1, VMID 1. RAM's first GiB is identity-mapped by one
//! level-1 block; the test pages are outside it, because invalidating an IPA
//! inside a block mapping flushes QEMU's whole stage-2 cache, which would
//! hide a wrong operand.
//!
//! - **Mode A** (SCTLR_EL1.M = 0: EL1's VA is the IPA): the stage-2 leaf of
//!   [`G`] goes from host page `P1` to `P2`; EL1 reads `G`.
//! - **Mode B** (SCTLR_EL1.M = 1): EL1 reads [`V`], whose stage-1 level-3
//!   table is at IPA [`GT`]; the stage-2 leaf of `GT` goes from table `TA`
//!   (V → P1) to `TB` (V → P2). QEMU caches the stage-2 translation of a
//!   stage-1 table's address apart from the combined entry, so this mode
//!   shows which IPA `ipas2e1is` invalidated.
//!
//! Each case maps the old page, invalidates everything (`vmalls12e1is`),
//! reads (must give P1), changes the leaf through the table's cursor, reads
//! again (must still give P1: otherwise staleness is invisible and the test
//! could not fail), flushes, and reads a third time. `flush_tlb(Some(ipa))`
//! runs as page_table_multiarch runs it, when the cursor is dropped;
//! `flush_tlb(None)` is called directly. The program exits with 0 when
//! every case read fresh, else with `STALE_BASE` plus one bit per stale
//! case ([`el2::exit_code`]).
//!
//! The `control-*` features swap `GuestPhysAddr` for a type whose
//! `flush_tlb` makes one known mistake; the host test expects each one's
//! stale cases.
#![no_std]
#![no_main]

#[cfg(any(
    all(feature = "control-no-flush", feature = "control-vae2is"),
    all(feature = "control-no-flush", feature = "control-unshifted"),
    all(feature = "control-no-flush", feature = "control-vmalle1is-only"),
    all(feature = "control-no-flush", feature = "control-ipas2e1is-only"),
    all(feature = "control-vae2is", feature = "control-unshifted"),
    all(feature = "control-vae2is", feature = "control-vmalle1is-only"),
    all(feature = "control-vae2is", feature = "control-ipas2e1is-only"),
    all(feature = "control-unshifted", feature = "control-vmalle1is-only"),
    all(feature = "control-unshifted", feature = "control-ipas2e1is-only"),
    all(feature = "control-vmalle1is-only", feature = "control-ipas2e1is-only"),
))]
compile_error!("enable at most one `control-*` feature: each expects its own outcome");

use core::arch::asm;
use core::cell::UnsafeCell;

use addr_types::{address, FlushTlb, GuestPhysAddr};
use el2::exit_code;
use el2::stage2::{Stage2Table, VTCR_EL2};
use memory_addr::{MemoryAddr, PhysAddr};
use page_table_entry::MappingFlags;
use page_table_multiarch::PageSize;

/// Mode A's guest page: above 2^38, so the level-1 index's top bit is used,
/// and outside RAM's block mapping.
const G: usize = 0x40_8020_3000;
/// Mode B's page holding the guest's stage-1 level-3 table; shares `G`'s
/// level-3 stage-2 table.
const GT: usize = 0x40_8020_5000;
/// Mode B's guest virtual address: level-1 index 192, level-2 index 3,
/// level-3 index 1.
const V: usize = 0x30_0060_1000;
/// QEMU `virt`'s RAM, identity-mapped at stage 2 (and at stage 1 in mode B)
/// by one 1 GiB block.
const RAM: usize = 0x4000_0000;

/// Test pages: readable and writable, never executed.
const DATA: MappingFlags = MappingFlags::READ.union(MappingFlags::WRITE);
/// RAM holds the EL1 code, so it is executable.
const RAM_FLAGS: MappingFlags = DATA.union(MappingFlags::EXECUTE);

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

    fn paddr(&'static self) -> PhysAddr {
        PhysAddr::from_usize(self.addr())
    }

    fn set(&self, index: usize, value: u64) {
        assert!(index < 512);
        // SAFETY: in bounds; nothing else accesses the page meanwhile.
        unsafe { self.0.get().cast::<u64>().add(index).write_volatile(value) };
    }

    fn get(&self, index: usize) -> u64 {
        assert!(index < 512);
        // SAFETY: as in `set`.
        unsafe { self.0.get().cast::<u64>().add(index).read_volatile() }
    }
}

static P1: Page = Page::new();
static P2: Page = Page::new();
/// The guest's stage-1 tables for [`V`] and for RAM.
static S1_L1: Page = Page::new();
static S1_L2: Page = Page::new();
/// The two versions of the stage-1 level-3 table at IPA [`GT`].
static TA: Page = Page::new();
static TB: Page = Page::new();

const P1_MARKER: u64 = 0x1111_1111_1111_1111;
const P2_MARKER: u64 = 0x2222_2222_2222_2222;

// --- The negative controls ------------------------------------------------

/// control-no-flush: `flush_tlb` does nothing.
#[address(prefix = "GPA")]
struct UnflushedGpa(usize);

impl FlushTlb for UnflushedGpa {
    fn flush_tlb(_: Option<Self>) {}
}

/// control-vae2is: upstream axaddrspace's aarch64 flush of guest physical
/// addresses: EL2's own stage-1 regime, with the raw address.
#[address(prefix = "GPA")]
struct Vae2isGpa(usize);

impl FlushTlb for Vae2isGpa {
    fn flush_tlb(gpa: Option<Self>) {
        match gpa {
            // SAFETY: TLB maintenance and barriers only.
            Some(gpa) => unsafe {
                asm!("tlbi vae2is, {0}", "dsb sy", "isb", in(reg) gpa.as_usize(), options(nostack));
            },
            // SAFETY: as above.
            None => unsafe { asm!("tlbi alle2is", "dsb sy", "isb", options(nostack)) },
        }
    }
}

/// control-unshifted: Linux's sequence, but the IPA itself in Xt: the
/// library's own sequence, handed the IPA shifted left so that its shift
/// right gives the IPA back.
#[address(prefix = "GPA")]
struct UnshiftedGpa(usize);

impl FlushTlb for UnshiftedGpa {
    fn flush_tlb(gpa: Option<Self>) {
        match gpa {
            Some(gpa) => addr_types::arch::aarch64::flush_guest_physical(gpa.as_usize() << 12),
            None => addr_types::arch::aarch64::flush_guest_physical_all(),
        }
    }
}

/// control-vmalle1is-only: the guest's stage-1 and combined entries only.
#[address(prefix = "GPA")]
struct Vmalle1isGpa(usize);

impl FlushTlb for Vmalle1isGpa {
    fn flush_tlb(_: Option<Self>) {
        addr_types::arch::aarch64::flush_guest_virtual_all();
    }
}

/// control-ipas2e1is-only: stage-2 entries of the IPA, correctly shifted,
/// without the `vmalle1is` that drops the combined entries.
#[address(prefix = "GPA")]
struct Ipas2e1isGpa(usize);

impl FlushTlb for Ipas2e1isGpa {
    fn flush_tlb(gpa: Option<Self>) {
        match gpa {
            // SAFETY: TLB maintenance and barriers only.
            Some(gpa) => unsafe {
                asm!(
                    "dsb ishst",
                    "tlbi ipas2e1is, {0}",
                    "dsb ish",
                    "isb",
                    in(reg) gpa.as_usize() >> 12,
                    options(nostack),
                );
            },
            None => addr_types::arch::aarch64::flush_guest_physical_all(),
        }
    }
}

// --- The test ---------------------------------------------------------------

#[no_mangle]
extern "C" fn el2_main() -> ! {
    if el2::current_el() != 2 {
        el2::exit(Err(exit_code::NOT_AT_EL2));
    }
    let result = if cfg!(feature = "control-no-flush") {
        run::<UnflushedGpa>()
    } else if cfg!(feature = "control-vae2is") {
        run::<Vae2isGpa>()
    } else if cfg!(feature = "control-unshifted") {
        run::<UnshiftedGpa>()
    } else if cfg!(feature = "control-vmalle1is-only") {
        run::<Vmalle1isGpa>()
    } else if cfg!(feature = "control-ipas2e1is-only") {
        run::<Ipas2e1isGpa>()
    } else {
        run::<GuestPhysAddr>()
    };
    el2::exit(result)
}

/// Which EL1 configuration a case runs in.
#[derive(Clone, Copy)]
enum Mode {
    A,
    B,
}

/// Which flush a case calls.
#[derive(Clone, Copy)]
enum Flush {
    /// `flush_tlb(Some(ipa))`, from the cursor's drop.
    One,
    /// `flush_tlb(None)`.
    All,
}

fn run<A: MemoryAddr + FlushTlb>() -> Result<(), u8> {
    P1.set(0, P1_MARKER);
    P2.set(0, P2_MARKER);
    build_stage1_tables();
    let mut table = Stage2Table::<A>::try_new().expect("the frame pool holds the root");
    {
        let mut cursor = table.cursor();
        let ram = PhysAddr::from_usize(RAM);
        cursor
            .map(A::from(RAM), ram, PageSize::Size1G, RAM_FLAGS)
            .expect("RAM's block");
        cursor
            .map(A::from(G), P1.paddr(), PageSize::Size4K, DATA)
            .expect("the frame pool holds the tables");
        cursor
            .map(A::from(GT), TA.paddr(), PageSize::Size4K, DATA)
            .expect("the frame pool holds the tables");
    } // The cursor flushes here, before stage 2 is on: harmless.
    enable_stage2(table.root_paddr());

    let mut stale = 0;
    for (mode, flush, bit) in [
        (Mode::A, Flush::One, exit_code::STALE_A_ONE),
        (Mode::A, Flush::All, exit_code::STALE_A_ALL),
        (Mode::B, Flush::One, exit_code::STALE_B_ONE),
        (Mode::B, Flush::All, exit_code::STALE_B_ALL),
    ] {
        if !run_case(&mut table, mode, flush)? {
            stale |= bit;
        }
    }
    match stale {
        0 => Ok(()),
        stale => Err(exit_code::STALE_BASE | stale),
    }
}

/// One case; `Ok(true)` when the read after the flush was fresh.
fn run_case<A: MemoryAddr + FlushTlb>(
    table: &mut Stage2Table<A>,
    mode: Mode,
    flush: Flush,
) -> Result<bool, u8> {
    let (ipa, old, new, va) = match mode {
        Mode::A => (A::from(G), P1.paddr(), P2.paddr(), G),
        Mode::B => (A::from(GT), TA.paddr(), TB.paddr(), V),
    };
    set_el1_mmu(matches!(mode, Mode::B));
    table
        .cursor()
        .remap(ipa, old, DATA)
        .expect("the test page is mapped");
    invalidate_all();
    if read(va)? != P1_MARKER {
        return Err(exit_code::MAPPING_NOT_VISIBLE);
    }

    let mut cursor = table.cursor();
    cursor
        .remap(ipa, new, DATA)
        .expect("the test page is mapped");
    if read(va)? != P1_MARKER {
        return Err(exit_code::STALENESS_INVISIBLE);
    }
    let fresh = match flush {
        Flush::One => {
            drop(cursor);
            read(va)? == P2_MARKER
        }
        Flush::All => {
            A::flush_tlb(None);
            let fresh = read(va)? == P2_MARKER;
            // Dropping the cursor flushes the IPA once more, after the read.
            drop(cursor);
            fresh
        }
    };
    Ok(fresh)
}

fn read(va: usize) -> Result<u64, u8> {
    el2::guest_load(va).map_err(|_esr| exit_code::GUEST_EXCEPTION)
}

// --- Stage 1 of the guest (mode B) -------------------------------------------

/// Stage-1 descriptor bits: valid; table/page (clear: block); AttrIndx 0
/// (MAIR_EL1 attribute 0, Normal write-back); inner shareable; access flag.
const S1_VALID: u64 = 1 << 0;
const S1_NON_BLOCK: u64 = 1 << 1;
const S1_NORMAL_IS_AF: u64 = 0b11 << 8 | 1 << 10;

fn build_stage1_tables() {
    let index = |va: usize, level: u32| (va >> (12 + 9 * (3 - level))) & 511;
    let table = |page: &'static Page| page.addr() as u64 | S1_VALID | S1_NON_BLOCK;
    // RAM, where EL1's code runs, and the tables below, identity-mapped.
    S1_L1.set(index(RAM, 1), RAM as u64 | S1_VALID | S1_NORMAL_IS_AF);
    S1_L1.set(index(V, 1), table(&S1_L2));
    // The level-3 table is named by its IPA, GT: stage 2 decides which
    // host page it is.
    S1_L2.set(index(V, 2), GT as u64 | S1_VALID | S1_NON_BLOCK);
    let page = |page: &'static Page| page.addr() as u64 | S1_VALID | S1_NON_BLOCK | S1_NORMAL_IS_AF;
    TA.set(index(V, 3), page(&P1));
    TB.set(index(V, 3), page(&P2));
    debug_assert_eq!(TA.get(index(V, 3)) & !0xfff, P1.addr() as u64);
}

// --- EL2 configuration ---------------------------------------------------------

/// HCR_EL2: EL1 is AArch64 (RW), stage 2 on (VM).
const HCR_EL2: u64 = 1 << 31 | 1;
/// VMID 1, in VTTBR_EL2\[63:48\].
const VMID: u64 = 1 << 48;
/// MAIR_EL1 attribute 0: Normal, inner and outer write-back.
const MAIR_EL1: u64 = 0xff;
/// TCR_EL1: T0SZ = 25 (39-bit VA, walk from level 1), write-back inner
/// shareable walks, 4K granule, TTBR1 walks off (EPD1), IPS = 40 bits.
const TCR_EL1: u64 = (64 - 39) | 1 << 8 | 1 << 10 | 3 << 12 | 1 << 23 | 2 << 32;
/// SCTLR_EL1's RES1 bits (ARMv8.0): 29, 28, 23, 22, 20, 11.
const SCTLR_EL1_RES1: u64 = 0x30d0_0800;

/// Installs the stage-2 root for VMID 1 and EL1's stage-1 registers. TCR_EL1
/// is written here only: writing it between two reads makes QEMU forget
/// every cached translation.
fn enable_stage2(root: PhysAddr) {
    // SAFETY: configures the EL1&0 regime (not running yet) and stage 2;
    // EL2's own translation (off) is untouched.
    unsafe {
        asm!(
            "msr vtcr_el2, {vtcr}",
            "msr vttbr_el2, {vttbr}",
            "msr hcr_el2, {hcr}",
            "msr mair_el1, {mair}",
            "msr tcr_el1, {tcr}",
            "msr ttbr0_el1, {ttbr0}",
            "isb",
            vtcr = in(reg) VTCR_EL2,
            vttbr = in(reg) root.as_usize() as u64 | VMID,
            hcr = in(reg) HCR_EL2,
            mair = in(reg) MAIR_EL1,
            tcr = in(reg) TCR_EL1,
            ttbr0 = in(reg) S1_L1.addr() as u64,
            options(nostack),
        );
    }
}

/// Mode A (`false`) or B (`true`).
fn set_el1_mmu(on: bool) {
    // SAFETY: EL1 is not running; the next guest entry sees the new value.
    unsafe {
        asm!(
            "msr sctlr_el1, {0}",
            "isb",
            in(reg) SCTLR_EL1_RES1 | u64::from(on),
            options(nostack),
        );
    }
}

/// Every stage-1 and stage-2 entry of VMID 1: the start of each case,
/// independent of the code under test.
fn invalidate_all() {
    // SAFETY: TLB maintenance and barriers only.
    unsafe {
        asm!(
            "dsb ishst",
            "tlbi vmalls12e1is",
            "dsb ish",
            "isb",
            options(nostack),
        );
    }
}
