//! Page-table frames for page-table-generic from a static pool.

use core::cell::UnsafeCell;

use page_table_generic::{FrameAllocator, PhysAddr};

/// Frames the pool holds: two VMs' stage-2 tables (a root, RAM's level-2
/// table, and the test pages' level-2 and level-3 tables each), with room.
const FRAMES: usize = 16;

#[repr(C, align(4096))]
struct Frame(UnsafeCell<[u8; 4096]>);

struct Pool {
    frames: [Frame; FRAMES],
    next: UnsafeCell<usize>,
}

// SAFETY: the programs run on one CPU with interrupts masked, so nothing
// accesses the pool concurrently; a frame is handed out once and from then
// on belongs to its table. (EL2 runs with its MMU off, where exclusive
// accesses to Device memory are not guaranteed to work: no atomics.)
unsafe impl Sync for Pool {}

static POOL: Pool = Pool {
    frames: [const { Frame(UnsafeCell::new([0; 4096])) }; FRAMES],
    next: UnsafeCell::new(0),
};

/// page-table-generic's allocator over the static pool. A freed frame is
/// not reused: the programs are short, and no table they keep empties.
#[derive(Clone, Copy, Debug)]
pub struct StaticFrames;

impl FrameAllocator for StaticFrames {
    fn alloc_frame(&self) -> Option<PhysAddr> {
        // SAFETY: see `impl Sync for Pool`: no other access is live.
        let next = unsafe { &mut *POOL.next.get() };
        let frame = POOL.frames.get(*next)?;
        *next += 1;
        Some(PhysAddr::from_usize(frame.0.get() as usize))
    }

    fn dealloc_frame(&self, _: PhysAddr) {}

    // EL2's MMU is off: physical addresses are the addresses it uses.
    fn phys_to_virt(&self, paddr: PhysAddr) -> *mut u8 {
        paddr.as_usize() as *mut u8
    }
}
