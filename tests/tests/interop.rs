//! `#[address]` types in memory_addr's generic APIs, in `const` items, in
//! the shorthand macros, and behind a re-exported runtime path.

mod support {
    pub mod inputs;
    pub mod outcome;
}

use std::collections::{BTreeMap, HashMap};

// page_table_multiarch's `PageSize` has no `usize` value, only `Into<usize>`.
use addr_types::{
    address, gpa, gpa_range, gva, gva_range, AddrRange, GuestPhysAddr, GuestPhysAddrRange,
    GuestVirtAddr, GuestVirtAddrRange, HostPhysAddr, MemoryAddr, PageIter1G, PageIter2M,
    PageIter4K, PAGE_SIZE_2M, PAGE_SIZE_4K,
};
use memory_addr::{va_range, VirtAddr};
use page_table_multiarch::PageSize;
use proptest::prelude::*;
use support::inputs::any_address;
use support::outcome::outcome;

/// An address type of the test crate's own, beside the exported ones.
#[address(prefix = "IO", range = IoAddrRange)]
pub struct IoAddr(usize);

const KERNEL_ENTRY: GuestPhysAddr = GuestPhysAddr::from_usize(0x8020_1234);
const KERNEL_PAGE: GuestPhysAddr = KERNEL_ENTRY.align_down_4k();
const KERNEL_PAGE_END: GuestPhysAddr = KERNEL_ENTRY.align_up_4k();
const ENTRY_OFFSET: usize = KERNEL_ENTRY.align_offset_4k();
const ENTRY_IS_ALIGNED: bool = KERNEL_ENTRY.is_aligned_4k();
/// Arbitrary alignment in const context goes through memory_addr's free
/// const functions; the inherent API stops at 4 KiB on purpose.
const KERNEL_HUGE_PAGE: GuestPhysAddr = GuestPhysAddr::from_usize(memory_addr::align_down(
    KERNEL_ENTRY.as_usize(),
    PAGE_SIZE_2M,
));
const RAM_BASE: GuestPhysAddr = gpa!(0x8000_0000);
const USER_STACK_TOP: GuestVirtAddr = gva!(0x7fff_f000).align_up_4k();
const MMIO_BASE: IoAddr = IoAddr::from_usize(0x1000_0000);
const PAGES_TO_KERNEL_END: usize =
    (KERNEL_PAGE_END.as_usize() - RAM_BASE.as_usize()) / PAGE_SIZE_4K;
static UART: IoAddr = IoAddr::from_usize(0x1000_0000).align_down_4k();

/// The const inherent forms, evaluated by the compiler, agree with the
/// `MemoryAddr` forms evaluated at run time.
#[test]
fn const_items() {
    let entry = std::hint::black_box(KERNEL_ENTRY);
    assert_eq!(KERNEL_PAGE, MemoryAddr::align_down_4k(entry));
    assert_eq!(KERNEL_PAGE, gpa!(0x8020_1000));
    assert_eq!(KERNEL_PAGE_END, MemoryAddr::align_up_4k(entry));
    assert_eq!(KERNEL_PAGE_END, gpa!(0x8020_2000));
    assert_eq!(ENTRY_OFFSET, MemoryAddr::align_offset_4k(entry));
    assert_eq!(ENTRY_OFFSET, 0x234);
    assert_eq!(ENTRY_IS_ALIGNED, MemoryAddr::is_aligned_4k(entry));
    assert_eq!(KERNEL_HUGE_PAGE, entry.align_down(PAGE_SIZE_2M));
    assert_eq!(RAM_BASE.as_usize(), 0x8000_0000);
    assert_eq!(USER_STACK_TOP, gva!(0x7fff_f000));
    assert_eq!(
        PageIter4K::new(RAM_BASE, KERNEL_PAGE_END).map(Iterator::count),
        Some(PAGES_TO_KERNEL_END)
    );
    assert_eq!(PAGES_TO_KERNEL_END, 0x202);
    assert_eq!(UART, MMIO_BASE);
}

/// What a page-table walker does with any address type: the page number and
/// the offset in the page.
fn split<A: MemoryAddr>(addr: A) -> (usize, usize) {
    (
        addr.align_down_4k().into() / PAGE_SIZE_4K,
        addr.align_offset_4k(),
    )
}

/// The pages a mapping of `size` bytes at `start` touches, for any address type.
fn touched_pages<A: MemoryAddr>(start: A, size: usize) -> Vec<A> {
    let range = AddrRange::from_start_size(start.align_down_4k(), size + start.align_offset_4k());
    PageIter4K::new(range.start, range.end.align_up_4k())
        .expect("both ends are 4 KiB aligned")
        .collect()
}

#[test]
fn generic_functions_take_every_address_type() {
    let expected = split(VirtAddr::from(0x8020_1234));
    assert_eq!(expected, (0x80201, 0x234));
    assert_eq!(split(KERNEL_ENTRY), expected);
    assert_eq!(split(gva!(0x8020_1234)), expected);
    assert_eq!(split(IoAddr::from(0x8020_1234)), expected);
    assert_eq!(split(HostPhysAddr::from(0x8020_1234)), expected);

    assert_eq!(
        touched_pages(gpa!(0x1ff0), 0x20),
        [gpa!(0x1000), gpa!(0x2000)]
    );
    assert_eq!(touched_pages(gva!(0x1000), 0x1000), [gva!(0x1000)]);
    assert_eq!(touched_pages(IoAddr::from(0x1000), 0), []);
}

#[test]
fn page_iterators() {
    let pages: Vec<GuestPhysAddr> = PageIter4K::new(gpa!(0x8000_0000), gpa!(0x8000_3000))
        .expect("aligned")
        .collect();
    assert_eq!(
        pages,
        [gpa!(0x8000_0000), gpa!(0x8000_1000), gpa!(0x8000_2000)]
    );
    assert!(PageIter4K::new(gpa!(0x8000_0001), gpa!(0x8000_3000)).is_none());
    assert!(PageIter4K::new(gpa!(0x8000_0000), gpa!(0x8000_3001)).is_none());

    let huge: Vec<GuestVirtAddr> = PageIter2M::new(gva!(0), gva!(0x60_0000))
        .expect("aligned")
        .collect();
    assert_eq!(huge, [gva!(0), gva!(0x20_0000), gva!(0x40_0000)]);
    assert!(PageIter2M::new(gva!(0x1000), gva!(0x20_0000)).is_none());
    assert_eq!(
        PageIter1G::new(IoAddr::from(0), IoAddr::from(0x4000_0000))
            .expect("aligned")
            .count(),
        1
    );
}

#[test]
fn address_ranges() {
    // The alias is memory_addr's type, not a look-alike.
    let ram: AddrRange<GuestPhysAddr> = GuestPhysAddrRange::from_start_size(RAM_BASE, 0x800_0000);
    assert_eq!(ram.end, gpa!(0x8800_0000));
    assert_eq!(ram.size(), 0x800_0000);
    assert!(ram.contains(KERNEL_ENTRY));
    assert!(!ram.contains(ram.end));
    assert!(ram.contains_range(AddrRange::from_start_size(KERNEL_PAGE, PAGE_SIZE_4K)));
    assert!(!ram.overlaps(gpa_range!(0x8800_0000..0x9000_0000)));
    assert!(ram.overlaps(gpa_range!(0x87ff_f000..0x9000_0000)));
    assert!(AddrRange::try_new(ram.end, ram.start).is_none());
    assert!(GuestVirtAddrRange::try_from_start_size(gva!(usize::MAX), 1).is_none());
    assert_eq!(
        IoAddrRange::try_from(0x1000..0x2000usize),
        Ok(AddrRange::new(IoAddr::from(0x1000), IoAddr::from(0x2000)))
    );
    assert_eq!(GuestPhysAddrRange::default().size(), 0);
}

#[test]
fn range_macros() {
    let ram = gpa_range!(0x8000_0000..0x8800_0000);
    assert_eq!((ram.start, ram.end), (gpa!(0x8000_0000), gpa!(0x8800_0000)));
    let user: GuestVirtAddrRange = gva_range!(0x1000..0x2000);
    assert!(user.contains(gva!(0x1fff)) && !user.contains(gva!(0x2000)));
    assert!(gva_range!(0x3000..0x3000).is_empty());

    // Through variables: written as literals, clippy rejects the ranges.
    let (high, low) = (0x2000, 0x1000);
    assert_eq!(
        outcome(|| gpa_range!(high..low)),
        Err("invalid address range in `gpa_range!`".to_owned())
    );
    assert_eq!(
        outcome(|| gva_range!(usize::MAX..low)),
        Err("invalid address range in `gva_range!`".to_owned())
    );
}

/// `gpa.align_down(page_size)` with page_table_multiarch's `PageSize` is real
/// hypervisor code: no inherent `align_down(usize)` may shadow `MemoryAddr`'s
/// generic one.
#[test]
fn alignment_by_any_into_usize() {
    assert_eq!(KERNEL_ENTRY.align_down(PageSize::Size2M), gpa!(0x8020_0000));
    assert_eq!(KERNEL_ENTRY.align_up(PageSize::Size4K), KERNEL_PAGE_END);
    assert_eq!(KERNEL_ENTRY.align_offset(PageSize::Size2M), 0x1234);
    assert!(RAM_BASE.is_aligned(PageSize::Size2M));
    assert!(!gva!(0x1000).is_aligned(PageSize::Size2M));
}

/// `Ord` and `Hash` come derived, so addresses key ordered and hashed maps:
/// here the region holding an address is the last one starting at or below it.
#[test]
fn addresses_as_map_keys() {
    let regions = BTreeMap::from([
        (gpa!(0x0), "low"),
        (RAM_BASE, "ram"),
        (gpa!(0x8800_0000), "hole"),
    ]);
    let region_of = |addr| regions.range(..=addr).next_back().map(|(_, name)| *name);
    assert_eq!(region_of(gpa!(0x1000)), Some("low"));
    assert_eq!(region_of(KERNEL_ENTRY), Some("ram"));
    assert_eq!(region_of(gpa!(0x8800_0000)), Some("hole"));

    let mut hits = HashMap::new();
    for addr in [gva!(0x1000), gva!(0x2000), gva!(0x1000)] {
        *hits.entry(addr).or_insert(0) += 1;
    }
    assert_eq!(hits[&gva!(0x1000)], 2);
    assert_eq!(hits.len(), 2);
}

/// A platform crate's re-export of addr-types, as a kernel would put
/// `pub use addr_types;` in its own crate for its users.
mod platform {
    pub use ::addr_types as addr;
}

/// Attribute and runtime both reached through the re-export.
#[platform::addr::address(prefix = "KPA", crate = crate::platform::addr, range = KernelPhysAddrRange)]
pub struct KernelPhysAddr(usize);

/// The string form of the option.
#[platform::addr::address(prefix = "KVA", crate = "crate::platform::addr")]
pub struct KernelVirtAddr(usize);

#[test]
fn crate_option_through_a_re_export() {
    let addr = KernelPhysAddr::from_usize(0x8020_1234).align_down_4k();
    assert_eq!(format!("{addr:?}"), "KPA:0x80201000");
    let range: KernelPhysAddrRange = AddrRange::from_start_size(addr, 0x2000);
    assert_eq!(
        PageIter4K::new(range.start, range.end).map(Iterator::count),
        Some(2)
    );
    let virt = KernelVirtAddr::from(0xffff_8000).add(0x10);
    assert_eq!(format!("{virt:X}"), "KVA:0xFFFF8010");
}

/// A runtime that differs from addr-types' in one visible way: its `Debug`
/// marks the output. The crate compiles either way, since the test crate
/// also depends on addr-types directly; only the output proves that the
/// expansion reached its runtime through the `crate` path and nowhere else.
mod marked_runtime {
    pub mod __private {
        use std::fmt;

        pub use addr_types::__private::*;

        /// Shadows the glob-imported one.
        pub fn fmt_lower_hex(f: &mut fmt::Formatter<'_>, prefix: &str, addr: usize) -> fmt::Result {
            write!(f, "marked {prefix}:{addr:#x}")
        }
    }
}

/// Reaches its runtime through `marked_runtime`.
#[address(prefix = "MA", crate = crate::marked_runtime)]
pub struct MarkedAddr(usize);

#[test]
fn crate_option_is_the_only_runtime_path() {
    let addr = MarkedAddr::from_usize(0x1abc);
    assert_eq!(format!("{addr:?}"), "marked MA:0x1abc");
    assert_eq!(format!("{addr:x}"), "marked MA:0x1abc");
    // Not shadowed: addr-types' own.
    assert_eq!(format!("{addr:X}"), "MA:0x1ABC");
}

proptest! {
    /// The shorthands agree with memory_addr's `va_range!`: the same ranges
    /// are accepted, with the same ends, and the same ones panic, each with a
    /// message naming its own macro.
    #[test]
    fn range_macros_agree_with_va_range(start in any_address(), end in any_address()) {
        let expected = outcome(|| va_range!(start..end)).map(|range| (range.start.as_usize(), range.end.as_usize()));
        let gpa = outcome(|| gpa_range!(start..end)).map(|range| (range.start.as_usize(), range.end.as_usize()));
        let gva = outcome(|| gva_range!(start..end)).map(|range| (range.start.as_usize(), range.end.as_usize()));
        if let Ok(ends) = expected {
            prop_assert_eq!(gpa, Ok(ends));
            prop_assert_eq!(gva, Ok(ends));
        } else {
            prop_assert_eq!(gpa, Err("invalid address range in `gpa_range!`".to_owned()));
            prop_assert_eq!(gva, Err("invalid address range in `gva_range!`".to_owned()));
        }
    }
}
