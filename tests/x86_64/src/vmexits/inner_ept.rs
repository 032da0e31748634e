//! The EPT the code under test (an inner hypervisor) builds for a guest of
//! its own: nested-tables' x86 EPT, a page-table-generic 0.9 table, in a
//! fixed physical region so that its EPTP is a constant. Its flush hook is
//! addr-types' one line, or with `control-axvm-ept-flush` the tgoskits tree's axvm body.
//! The harness reads the table back with [`translate`].

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicU64, Ordering};

use nested_tables::x86_ept::{Ept, EptAttributes};
use page_table_generic::{FrameAllocator, MapConfig, PageTable, PhysAddr, VirtAddr};

use crate::console::fail;
use crate::Global;

/// The frames the table may use: 64 pages at 16 MiB, above the image (see
/// [`create`]) and below the 32 MiB Bochs has.
const FRAMES_START: u64 = 0x100_0000;
const FRAMES: u64 = 64;
const FRAMES_END: u64 = FRAMES_START + FRAMES * 0x1000;

/// The root table: the first frame the table allocates.
const EPT_ROOT: u64 = FRAMES_START;
/// The table's EPTP: write-back (6), a 4-level walk (3 << 3).
pub const EPTP: u64 = EPT_ROOT | 3 << 3 | 6;

/// The frames, handed out in order and never reused: enough for every case.
#[derive(Clone, Copy)]
pub struct FramePool;

static NEXT_FRAME: AtomicU64 = AtomicU64::new(0);

impl FrameAllocator for FramePool {
    fn alloc_frame(&self) -> Option<PhysAddr> {
        let frame = NEXT_FRAME.fetch_add(1, Ordering::Relaxed);
        (frame < FRAMES).then(|| PhysAddr::from_usize(address(FRAMES_START + frame * 0x1000)))
    }

    fn dealloc_frame(&self, _frame: PhysAddr) {}

    /// The first GiB is identity-mapped.
    fn phys_to_virt(&self, paddr: PhysAddr) -> *mut u8 {
        paddr.as_usize() as *mut u8
    }
}

fn address(value: u64) -> usize {
    usize::try_from(value).expect("a 64-bit target")
}

/// the tgoskits tree's axvm `flush_nested_page_table`, written out: `x86::tlb::flush`
/// of the GPA (an INVLPG) and `x86::tlb::flush_all` (a CR3 reload).
#[cfg(feature = "control-axvm-ept-flush")]
#[derive(Clone, Copy)]
pub struct AxvmFlush;

#[cfg(feature = "control-axvm-ept-flush")]
impl nested_tables::FlushHook for AxvmFlush {
    fn flush(gpa: Option<VirtAddr>) {
        use addr_types::arch::x86_64 as vmx;
        match gpa {
            Some(gpa) => vmx::invlpg(gpa.as_usize()),
            None => vmx::reload_cr3(),
        }
    }
}

/// The hook under test.
#[cfg(not(feature = "control-axvm-ept-flush"))]
type Hook = nested_tables::AddrTypesFlush;
#[cfg(feature = "control-axvm-ept-flush")]
type Hook = AxvmFlush;

type Table = PageTable<Ept<Hook>, FramePool>;

/// Guest only: built by [`create`], changed by the cases.
static TABLE: Global<Option<Table>> = Global(UnsafeCell::new(None));

/// Builds the empty table (its root at [`EPT_ROOT`]: no flush).
pub fn create() {
    if crate::boot::image_end() > FRAMES_START {
        fail(format_args!("the image reaches the EPT's frames"));
    }
    let table = Table::new(FramePool).expect("a root frame");
    assert_eq!(table.root_paddr().as_usize(), address(EPT_ROOT));
    *TABLE.get() = Some(table);
}

fn table() -> &'static mut Table {
    TABLE.get().as_mut().expect("create() ran")
}

/// `size` bytes of guest RAM at `gpa`, backed from `hpa`, in blocks when
/// `size` is a block's; `flush: false` leaves the invalidation to the
/// caller.
pub fn map(gpa: usize, hpa: usize, size: usize, flush: bool) {
    table()
        .map(&MapConfig {
            vaddr: VirtAddr::from_usize(gpa),
            paddr: PhysAddr::from_usize(hpa),
            size,
            pte: EptAttributes::RAM,
            allow_huge: size > 0x1000,
            flush,
        })
        .expect("mapped");
}

/// Points the page at `gpa` to `hpa`.
pub fn remap(gpa: usize, hpa: usize) {
    table()
        .remap_page(
            VirtAddr::from_usize(gpa),
            PhysAddr::from_usize(hpa),
            EptAttributes::RAM,
        )
        .expect("remapped");
}

pub fn unmap(gpa: usize, size: usize) {
    table()
        .unmap(VirtAddr::from_usize(gpa), size)
        .expect("unmapped");
}

/// page-table-generic's `map_region`: page by page, one flush per page up
/// to 32 pages, one flush of everything (`None`) past that.
pub fn map_region(gpa: usize, hpa: usize, size: usize) {
    table()
        .map_region(
            VirtAddr::from_usize(gpa),
            |page| PhysAddr::from_usize(page.as_usize() - gpa + hpa),
            size,
            EptAttributes::RAM,
        )
        .expect("mapped");
}

/// An EPT entry is present when it grants read, write or execute access.
const READ: u64 = 1 << 0;
const WRITE: u64 = 1 << 1;
const EXECUTE: u64 = 1 << 2;

/// What the table maps `gpa` to, read the way the processor walks it
/// (Intel SDM, "EPT Translation Mechanism"); for the harness.
pub fn translate(gpa: u64) -> Option<u64> {
    let mut table = EPT_ROOT;
    for level in (1..=4_u32).rev() {
        let shift = 12 + 9 * (level - 1);
        let slot = table + (gpa >> shift & 0x1ff) * 8;
        if !(FRAMES_START..FRAMES_END).contains(&slot) {
            fail(format_args!(
                "the EPT points outside its frames: {table:#x}"
            ));
        }
        // SAFETY: an entry of a frame of the pool, identity-mapped; the
        // guest that writes it is stopped while the harness runs.
        let entry = unsafe { (address(slot) as *const u64).read_volatile() };
        if entry & (READ | WRITE | EXECUTE) == 0 {
            return None;
        }
        let output = entry & 0x000f_ffff_ffff_f000;
        if level == 1 || entry & 1 << 7 != 0 {
            let offset = (1 << shift) - 1;
            return Some(output & !offset | gpa & offset);
        }
        table = output;
    }
    None
}
