//! What the host unit tests of the three tables share: frames from the
//! host heap, whose addresses stand for physical ones, and a hook that
//! records what the table asked to flush instead of running an
//! instruction the host cannot. Per thread, so tests running in parallel
//! never see each other's frames or calls.

extern crate std;

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::cell::{Cell, RefCell};
use std::vec::Vec;

use page_table_generic::{FrameAllocator, PhysAddr, VirtAddr};

use crate::FlushHook;

std::thread_local! {
    static CALLS: RefCell<Vec<Option<usize>>> = const { RefCell::new(Vec::new()) };
    static MULTI_FRAME_REQUESTS: RefCell<Vec<(usize, usize)>> = const { RefCell::new(Vec::new()) };
    static LIVE_FRAMES: Cell<usize> = const { Cell::new(0) };
}

/// Records each call of the hook on this thread: [`take_calls`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Recorder;

impl FlushHook for Recorder {
    fn flush(vaddr: Option<VirtAddr>) {
        CALLS.with(|calls| calls.borrow_mut().push(vaddr.map(VirtAddr::as_usize)));
    }
}

/// The hook's calls on this thread since the last take, in order.
pub(crate) fn take_calls() -> Vec<Option<usize>> {
    CALLS.with(RefCell::take)
}

/// The `(frames, align)` of each request for more than one frame on this
/// thread since the last take (a 16 KiB root asks for 4).
pub(crate) fn take_multi_frame_requests() -> Vec<(usize, usize)> {
    MULTI_FRAME_REQUESTS.with(RefCell::take)
}

/// Frames allocated on this thread and not yet freed.
pub(crate) fn live_frames() -> usize {
    LIVE_FRAMES.with(Cell::get)
}

/// Zeroed, aligned frames from the host heap; physical = virtual.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HeapFrames;

fn layout(frames: usize, align: usize) -> Layout {
    Layout::from_size_align(frames * 0x1000, align.max(0x1000)).expect("a valid layout")
}

impl FrameAllocator for HeapFrames {
    fn alloc_frame(&self) -> Option<PhysAddr> {
        self.alloc_frames(1, 0x1000)
    }

    fn alloc_frames(&self, frames: usize, align: usize) -> Option<PhysAddr> {
        if frames > 1 {
            MULTI_FRAME_REQUESTS.with(|requests| requests.borrow_mut().push((frames, align)));
        }
        // SAFETY: the layout has a nonzero size.
        #[allow(unsafe_code)]
        let frame = unsafe { alloc_zeroed(layout(frames, align)) };
        LIVE_FRAMES.with(|live| live.set(live.get() + frames));
        (!frame.is_null()).then(|| PhysAddr::from_usize(frame as usize))
    }

    fn dealloc_frame(&self, frame: PhysAddr) {
        self.dealloc_frames(frame, 1, 0x1000);
    }

    fn dealloc_frames(&self, start: PhysAddr, frames: usize, _frame_size: usize) {
        // A multi-frame block was asked for with its own size as alignment
        // (the only such request is the root); one frame with 4 KiB.
        let align = if frames > 1 { frames * 0x1000 } else { 0x1000 };
        LIVE_FRAMES.with(|live| live.set(live.get() - frames));
        // SAFETY: allocated by `alloc_frames` with this layout.
        #[allow(unsafe_code)]
        unsafe {
            dealloc(start.as_usize() as *mut u8, layout(frames, align));
        }
    }

    fn phys_to_virt(&self, paddr: PhysAddr) -> *mut u8 {
        paddr.as_usize() as *mut u8
    }
}
