//! `AddrRangeExt` at the edges: empty, invalid and touching ranges, the top of
//! the address space, and alignments that are zero, one, the largest power of
//! two, or not a power of two. Every case runs on the four shipped address
//! types and on an `#[address]` type defined here.

use core::fmt::Debug;

// page_table_multiarch's `PageSize` has no `usize` value, only `Into<usize>`.
use addr_types::{address, AddrRange, AddrRangeExt, MemoryAddr, PAGE_SIZE_1G, PAGE_SIZE_2M};
use page_table_multiarch::PageSize;

/// An I/O virtual address (what a device behind an IOMMU sees): a user type,
/// with its range alias.
#[address(prefix = "IOVA", range = IoVirtAddrRange)]
pub struct IoVirtAddr(usize);

/// One test per address type for each generic check below.
macro_rules! on_every_address_type {
    ($($check:ident),* $(,)?) => {
        $(
            mod $check {
                #[test]
                fn guest_phys() {
                    super::$check::<addr_types::GuestPhysAddr>();
                }

                #[test]
                fn guest_virt() {
                    super::$check::<addr_types::GuestVirtAddr>();
                }

                #[test]
                fn host_phys() {
                    super::$check::<addr_types::HostPhysAddr>();
                }

                #[test]
                fn host_virt() {
                    super::$check::<addr_types::HostVirtAddr>();
                }

                #[test]
                fn user_type() {
                    super::$check::<super::IoVirtAddr>();
                }
            }
        )*
    };
}

on_every_address_type!(
    empty_range,
    range_ending_at_the_last_page,
    range_ending_at_usize_max,
    align_outward_overflows_at_the_top,
    align_inward_without_an_aligned_address,
    zero_alignment,
    non_power_of_two_alignment,
    alignment_one,
    largest_alignment,
    touching_ranges,
    overlapping_ranges,
    empty_range_inside_another,
    invalid_range,
    page_sizes,
);

const K4: usize = 0x1000;
const TOP_PAGE: usize = usize::MAX & !(K4 - 1);
const HIGH_BIT: usize = 1 << (usize::BITS - 1);

/// A valid range; the checks pass their inputs in order.
fn r<A: MemoryAddr>(start: usize, end: usize) -> AddrRange<A> {
    AddrRange::new(A::from(start), A::from(end))
}

/// A range with `start > end`, which `AddrRange`'s public fields allow.
fn invalid<A: MemoryAddr>(start: usize, end: usize) -> AddrRange<A> {
    assert!(start > end);
    AddrRange {
        start: A::from(start),
        end: A::from(end),
    }
}

fn page_starts<A: MemoryAddr>(pages: impl Iterator<Item = A>) -> Vec<usize> {
    pages.map(Into::into).collect()
}

fn empty_range<A: MemoryAddr + Debug>() {
    let aligned = r::<A>(0x1000, 0x1000);
    assert_eq!(aligned.is_aligned(K4), Some(true));
    assert!(aligned.is_aligned_4k());
    assert_eq!(aligned.align_outward_4k(), Some(aligned));
    assert_eq!(aligned.align_inward_4k(), Some(aligned));
    assert_eq!(page_starts(aligned.pages_4k().unwrap()), []);
    assert_eq!(aligned.intersection(aligned), None);
    assert!(aligned.is_disjoint(aligned));

    // An empty range at an unaligned address: the outward hull is the page
    // around it, and no aligned range lies inside.
    let unaligned = r::<A>(0x1234, 0x1234);
    assert_eq!(unaligned.is_aligned(K4), Some(false));
    assert!(!unaligned.is_aligned_4k());
    assert_eq!(unaligned.align_outward_4k(), Some(r(0x1000, 0x2000)));
    assert_eq!(unaligned.align_inward_4k(), None);
    assert!(unaligned.pages_4k().is_none());

    let zero = r::<A>(0, 0);
    assert_eq!(zero.align_outward(HIGH_BIT), Some(zero));
    assert_eq!(zero.align_inward(HIGH_BIT), Some(zero));
    assert_eq!(page_starts(zero.pages_1g().unwrap()), []);
}

fn range_ending_at_the_last_page<A: MemoryAddr + Debug>() {
    // The last 4K boundary: nothing may round past it or step over it.
    let top = r::<A>(TOP_PAGE - 3 * K4, TOP_PAGE);
    assert!(top.is_aligned_4k());
    assert_eq!(top.align_outward_4k(), Some(top));
    assert_eq!(top.align_inward_4k(), Some(top));
    assert_eq!(
        page_starts(top.pages_4k().unwrap()),
        [TOP_PAGE - 3 * K4, TOP_PAGE - 2 * K4, TOP_PAGE - K4]
    );

    let top_2m = usize::MAX & !(PAGE_SIZE_2M - 1);
    let huge = r::<A>(top_2m - PAGE_SIZE_2M, top_2m);
    assert_eq!(huge.is_aligned(PAGE_SIZE_2M), Some(true));
    assert_eq!(huge.align_outward(PAGE_SIZE_2M), Some(huge));
    assert_eq!(
        page_starts(huge.pages_2m().unwrap()),
        [top_2m - PAGE_SIZE_2M]
    );
    assert_eq!(page_starts(huge.pages_4k().unwrap()).len(), 512);

    // One byte past it, the end can only round down.
    let past = r::<A>(TOP_PAGE - K4, TOP_PAGE + 1);
    assert_eq!(past.align_outward_4k(), None);
    assert_eq!(past.align_inward_4k(), Some(r(TOP_PAGE - K4, TOP_PAGE)));
}

fn range_ending_at_usize_max<A: MemoryAddr + Debug>() {
    let whole = r::<A>(0, usize::MAX);
    assert_eq!(whole.is_aligned(1usize), Some(true));
    assert_eq!(whole.is_aligned(2usize), Some(false));
    assert_eq!(whole.align_outward(1usize), Some(whole));
    assert_eq!(whole.align_outward_4k(), None);
    assert_eq!(whole.align_inward_4k(), Some(r(0, TOP_PAGE)));
    assert_eq!(whole.align_inward(HIGH_BIT), Some(r(0, HIGH_BIT)));

    let last_byte = r::<A>(usize::MAX - 1, usize::MAX);
    assert_eq!(
        last_byte.align_inward(2usize),
        Some(r(usize::MAX - 1, usize::MAX - 1))
    );
    assert_eq!(last_byte.align_inward(4usize), None);
    assert_eq!(last_byte.align_outward(2usize), None);
    assert_eq!(last_byte.intersection(whole), Some(last_byte));

    let at_max = r::<A>(usize::MAX, usize::MAX);
    assert_eq!(at_max.align_inward_4k(), None);
    assert_eq!(at_max.align_outward_4k(), None);
    assert_eq!(at_max.align_inward(1usize), Some(at_max));
    assert!(at_max.is_disjoint(whole));
}

fn align_outward_overflows_at_the_top<A: MemoryAddr + Debug>() {
    for align in [2, K4, PAGE_SIZE_2M, PAGE_SIZE_1G, HIGH_BIT] {
        let last = usize::MAX & !(align - 1);
        assert_eq!(r::<A>(0, last).align_outward(align), Some(r(0, last)));
        assert_eq!(r::<A>(last, last + 1).align_outward(align), None);
        assert_eq!(r::<A>(0, usize::MAX).align_outward(align), None);
    }
}

fn align_inward_without_an_aligned_address<A: MemoryAddr + Debug>() {
    assert_eq!(r::<A>(0x1001, 0x1fff).align_inward_4k(), None);
    // An aligned address at either end is enough for an empty result.
    assert_eq!(
        r::<A>(0x1000, 0x1800).align_inward_4k(),
        Some(r(0x1000, 0x1000))
    );
    assert_eq!(
        r::<A>(0x1800, 0x2000).align_inward_4k(),
        Some(r(0x2000, 0x2000))
    );
    assert_eq!(
        r::<A>(0x1800, 0x2800).align_inward_4k(),
        Some(r(0x2000, 0x2000))
    );
    // Rounding the start up would overflow: no aligned address above it.
    assert_eq!(r::<A>(TOP_PAGE + 1, usize::MAX).align_inward_4k(), None);
}

fn zero_alignment<A: MemoryAddr + Debug>() {
    for range in [r::<A>(0, 0), r(0x1000, 0x2000), r(0, usize::MAX)] {
        assert_eq!(range.is_aligned(0usize), None);
        assert_eq!(range.align_outward(0usize), None);
        assert_eq!(range.align_inward(0usize), None);
        assert!(range.pages::<0>().is_none());
    }
}

fn non_power_of_two_alignment<A: MemoryAddr + Debug>() {
    // Both ends are multiples of 3, of 0x1800 and of 0x3000, but none of them
    // is an alignment: `None`, never a bit-trick answer.
    let range = r::<A>(0x3000, 0x6000);
    for align in [3, 0x1800, 0x3000, HIGH_BIT + 1, usize::MAX] {
        assert_eq!(range.is_aligned(align), None, "align {align:#x}");
        assert_eq!(range.align_outward(align), None, "align {align:#x}");
        assert_eq!(range.align_inward(align), None, "align {align:#x}");
    }
    assert!(range.pages::<3>().is_none());
    assert!(range.pages::<0x3000>().is_none());
}

fn alignment_one<A: MemoryAddr + Debug>() {
    for range in [r::<A>(0x1234, 0x5679), r(0, usize::MAX), r(7, 7)] {
        assert_eq!(range.is_aligned(1usize), Some(true));
        assert_eq!(range.align_outward(1usize), Some(range));
        assert_eq!(range.align_inward(1usize), Some(range));
    }
    assert_eq!(page_starts(r::<A>(5, 8).pages::<1>().unwrap()), [5, 6, 7]);
}

fn largest_alignment<A: MemoryAddr + Debug>() {
    assert_eq!(r::<A>(1, 2).align_outward(HIGH_BIT), Some(r(0, HIGH_BIT)));
    assert_eq!(
        r::<A>(HIGH_BIT + 1, HIGH_BIT + 2).align_outward(HIGH_BIT),
        None
    );
    assert_eq!(r::<A>(1, HIGH_BIT - 1).align_inward(HIGH_BIT), None);
    assert_eq!(
        r::<A>(0, usize::MAX).align_inward(HIGH_BIT),
        Some(r(0, HIGH_BIT))
    );
    assert_eq!(r::<A>(0, HIGH_BIT).is_aligned(HIGH_BIT), Some(true));
    assert_eq!(r::<A>(0, HIGH_BIT - 1).is_aligned(HIGH_BIT), Some(false));
}

fn touching_ranges<A: MemoryAddr + Debug>() {
    let low = r::<A>(0x1000, 0x2000);
    let high = r::<A>(0x2000, 0x3000);
    assert_eq!(low.intersection(high), None);
    assert_eq!(high.intersection(low), None);
    assert!(low.is_disjoint(high));
    assert!(high.is_disjoint(low));

    let top = r::<A>(TOP_PAGE, usize::MAX);
    let below = r::<A>(0, TOP_PAGE);
    assert!(top.is_disjoint(below));
    assert_eq!(below.intersection(top), None);
}

fn overlapping_ranges<A: MemoryAddr + Debug>() {
    let low = r::<A>(0x1000, 0x2001);
    let high = r::<A>(0x2000, 0x3000);
    assert_eq!(low.intersection(high), Some(r(0x2000, 0x2001)));
    assert_eq!(high.intersection(low), Some(r(0x2000, 0x2001)));
    assert!(!low.is_disjoint(high));

    let outer = r::<A>(0, usize::MAX);
    assert_eq!(outer.intersection(high), Some(high));
    assert_eq!(high.intersection(outer), Some(high));
    assert_eq!(high.intersection(high), Some(high));
}

fn empty_range_inside_another<A: MemoryAddr + Debug>() {
    let region = r::<A>(0x1000, 0x2000);
    let empty = r::<A>(0x1800, 0x1800);
    // memory_addr compares ends only; no address lies in both.
    assert!(region.overlaps(empty));
    assert!(region.is_disjoint(empty));
    assert!(empty.is_disjoint(region));
    assert_eq!(region.intersection(empty), None);
}

fn invalid_range<A: MemoryAddr + Debug>() {
    let backwards = invalid::<A>(0x3000, 0x1000);
    // The ends are each aligned, but the range is not a region: `None`, as
    // from every other `Option` method. The `bool` method looks at the ends.
    assert_eq!(backwards.is_aligned(K4), None);
    assert_eq!(backwards.is_aligned(3usize), None);
    assert!(backwards.is_aligned_4k());
    for align in [1, K4, HIGH_BIT] {
        assert_eq!(backwards.align_outward(align), None);
        assert_eq!(backwards.align_inward(align), None);
    }
    assert!(backwards.pages_4k().is_none());
    assert!(backwards.pages::<1>().is_none());
    let around = r::<A>(0, 0x4000);
    assert_eq!(backwards.intersection(around), None);
    assert_eq!(around.intersection(backwards), None);
    assert!(around.is_disjoint(backwards));

    let extreme = invalid::<A>(usize::MAX, 0);
    assert_eq!(extreme.align_outward_4k(), None);
    assert_eq!(extreme.align_inward_4k(), None);
    assert!(extreme.is_disjoint(r(0, usize::MAX)));
}

fn page_sizes<A: MemoryAddr + Debug>() {
    let gib = r::<A>(PAGE_SIZE_1G, 2 * PAGE_SIZE_1G + PAGE_SIZE_2M);
    assert!(gib.pages_1g().is_none());
    assert_eq!(page_starts(gib.pages_2m().unwrap()).len(), 513);
    assert_eq!(page_starts(gib.pages_4k().unwrap()).len(), 513 * 512);
    assert_eq!(
        page_starts(r::<A>(PAGE_SIZE_1G, 3 * PAGE_SIZE_1G).pages_1g().unwrap()),
        [PAGE_SIZE_1G, 2 * PAGE_SIZE_1G]
    );
    assert_eq!(
        page_starts(r::<A>(0x4000, 0xc000).pages::<0x4000>().unwrap()),
        [0x4000, 0x8000]
    );
    assert!(r::<A>(0x1000, 0x5000).pages::<0x4000>().is_none());
    assert!(r::<A>(0x4000, 0x5000).pages::<0x4000>().is_none());
}

#[test]
fn alignment_from_a_page_size_type() {
    let range: IoVirtAddrRange = AddrRange::new(IoVirtAddr::from(0x1000), 0x20_3000.into());
    assert_eq!(range.is_aligned(PageSize::Size4K), Some(true));
    assert_eq!(range.is_aligned(PageSize::Size2M), Some(false));
    assert_eq!(
        range.align_outward(PageSize::Size2M),
        Some(AddrRange::new(0.into(), 0x40_0000.into()))
    );
    assert_eq!(
        range.align_inward(PageSize::Size2M),
        Some(AddrRange::new(0x20_0000.into(), 0x20_0000.into()))
    );
}
