//! `#[address]` types in memory_addr's generic APIs; every `const fn` and
//! shorthand macro in `const` items; the range macros against `va_range!`;
//! the runtime reached through the `crate` path only. (What each operation
//! returns, and when it panics, is `behaviour.rs`'s.)

mod support {
    pub mod inputs;
    pub mod outcome;
}

// page_table_multiarch's `PageSize` has no `usize` value, only `Into<usize>`.
use addr_types::{
    address, ax_memory_addr_06, gpa, gpa_range, gva, gva_range, hpa, hva, memory_addr_04,
    AddrRange, GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange, HostPhysAddr,
    HostVirtAddr, MemoryAddr, PageIter4K, PAGE_SIZE_2M, PAGE_SIZE_4K,
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
const ENTRY_AS_USIZE: usize = KERNEL_ENTRY.as_usize();
const ENTRY_AS_U64: u64 = KERNEL_ENTRY.as_u64();
/// Arbitrary alignment in const context goes through memory_addr's free
/// const functions; the inherent API stops at 4 KiB on purpose.
const KERNEL_HUGE_PAGE: GuestPhysAddr = GuestPhysAddr::from_usize(memory_addr::align_down(
    KERNEL_ENTRY.as_usize(),
    PAGE_SIZE_2M,
));
const RAM_BASE: GuestPhysAddr = gpa!(0x8000_0000);
const NEXT: GuestPhysAddr = RAM_BASE.add(0x1000);
const BACK: GuestPhysAddr = NEXT.sub(0x1000);
const DISTANCE: usize = NEXT.sub_addr(RAM_BASE);
const CHECKED_ADD: [Option<GuestPhysAddr>; 2] = [
    RAM_BASE.checked_add(0x1000),
    RAM_BASE.checked_add(usize::MAX),
];
const CHECKED_SUB: [Option<GuestPhysAddr>; 2] =
    [NEXT.checked_sub(0x1000), RAM_BASE.checked_sub(0x8000_0001)];
const CHECKED_DISTANCE: [Option<usize>; 2] = [
    NEXT.checked_sub_addr(RAM_BASE),
    RAM_BASE.checked_sub_addr(NEXT),
];
const WRAPPED_ADD: GuestPhysAddr = RAM_BASE.wrapping_add(usize::MAX);
const WRAPPED_SUB: GuestPhysAddr = RAM_BASE.wrapping_sub(0x8000_0001);
const WRAPPED_DISTANCE: usize = RAM_BASE.wrapping_sub_addr(NEXT);
const USER_STACK_TOP: GuestVirtAddr = gva!(0x7fff_f000).align_up_4k();
const MMIO_BASE: IoAddr = IoAddr::from_usize(0x1000_0000);
const MMIO_REGISTER: IoAddr = MMIO_BASE.add(0x100);
const PAGES_TO_KERNEL_END: usize =
    (KERNEL_PAGE_END.as_usize() - RAM_BASE.as_usize()) / PAGE_SIZE_4K;
static UART: IoAddr = IoAddr::from_usize(0x1000_0000).align_down_4k();
const RAM: GuestPhysAddrRange = gpa_range!(0x8000_0000..0x8800_0000);
const USER: GuestVirtAddrRange = gva_range!(0x1000..0x2000);
const SEED_RAM: memory_addr_04::GuestPhysAddrRange =
    gpa_range!(memory_addr_04; 0x8000_0000..0x8800_0000);
const SEED_USER: memory_addr_04::GuestVirtAddrRange = gva_range!(memory_addr_04; 0x1000..0x2000);
const ROOT: HostPhysAddr = hpa!(0x8020_0000);
const KERNEL: HostVirtAddr = hva!(0xc020_0000);
const SEED_ROOT: memory_addr::PhysAddr = hpa!(memory_addr_04; 0x8020_0000);
const SEED_KERNEL: VirtAddr = hva!(memory_addr_04; 0xc020_0000);
const PREVIOUS_RAM: ax_memory_addr_06::GuestPhysAddrRange =
    gpa_range!(ax_memory_addr_06; 0x8000_0000..0x8800_0000);
const PREVIOUS_USER: ax_memory_addr_06::GuestVirtAddrRange =
    gva_range!(ax_memory_addr_06; 0x1000..0x2000);
const PREVIOUS_ROOT: ax_memory_addr_06::HostPhysAddr = hpa!(ax_memory_addr_06; 0x8020_0000);
const PREVIOUS_KERNEL: ax_memory_addr_06::HostVirtAddr = hva!(ax_memory_addr_06; 0xc020_0000);

/// Every `const fn` of a generated type, and every shorthand macro, works
/// in a `const` (or `static`) item: what the compiler computed there is
/// what `MemoryAddr` computes at run time.
#[test]
fn const_items() {
    let entry = std::hint::black_box(KERNEL_ENTRY);
    let base = std::hint::black_box(RAM_BASE);
    assert_eq!(KERNEL_PAGE, MemoryAddr::align_down_4k(entry));
    assert_eq!(KERNEL_PAGE, gpa!(0x8020_1000));
    assert_eq!(KERNEL_PAGE_END, MemoryAddr::align_up_4k(entry));
    assert_eq!(KERNEL_PAGE_END, gpa!(0x8020_2000));
    assert_eq!(ENTRY_OFFSET, MemoryAddr::align_offset_4k(entry));
    assert_eq!(ENTRY_OFFSET, 0x234);
    assert_eq!(ENTRY_IS_ALIGNED, MemoryAddr::is_aligned_4k(entry));
    assert_eq!(ENTRY_AS_USIZE, entry.into());
    assert_eq!(ENTRY_AS_U64, 0x8020_1234);
    assert_eq!(KERNEL_HUGE_PAGE, entry.align_down(PAGE_SIZE_2M));

    assert_eq!(NEXT, MemoryAddr::add(base, 0x1000));
    assert_eq!(BACK, MemoryAddr::sub(NEXT, 0x1000));
    assert_eq!(DISTANCE, MemoryAddr::sub_addr(NEXT, base));
    assert_eq!(
        CHECKED_ADD,
        [
            MemoryAddr::checked_add(base, 0x1000),
            MemoryAddr::checked_add(base, usize::MAX)
        ]
    );
    assert_eq!(CHECKED_ADD, [Some(NEXT), None]);
    assert_eq!(
        CHECKED_SUB,
        [
            MemoryAddr::checked_sub(NEXT, 0x1000),
            MemoryAddr::checked_sub(base, 0x8000_0001)
        ]
    );
    assert_eq!(CHECKED_SUB, [Some(RAM_BASE), None]);
    assert_eq!(
        CHECKED_DISTANCE,
        [
            MemoryAddr::checked_sub_addr(NEXT, base),
            MemoryAddr::checked_sub_addr(base, NEXT)
        ]
    );
    assert_eq!(CHECKED_DISTANCE, [Some(0x1000), None]);
    assert_eq!(WRAPPED_ADD, MemoryAddr::wrapping_add(base, usize::MAX));
    assert_eq!(WRAPPED_SUB, MemoryAddr::wrapping_sub(base, 0x8000_0001));
    assert_eq!(WRAPPED_DISTANCE, MemoryAddr::wrapping_sub_addr(base, NEXT));

    assert_eq!(RAM_BASE.as_usize(), 0x8000_0000);
    assert_eq!(USER_STACK_TOP, gva!(0x7fff_f000));
    assert_eq!(MMIO_REGISTER, MemoryAddr::add(MMIO_BASE, 0x100));
    assert_eq!(
        PageIter4K::new(RAM_BASE, KERNEL_PAGE_END).map(Iterator::count),
        Some(PAGES_TO_KERNEL_END)
    );
    assert_eq!(PAGES_TO_KERNEL_END, 0x202);
    assert_eq!(UART, MMIO_BASE);

    assert_eq!((RAM.start, RAM.end), (RAM_BASE, gpa!(0x8800_0000)));
    assert_eq!((USER.start, USER.end), (gva!(0x1000), gva!(0x2000)));
    assert_eq!((SEED_RAM.start, SEED_RAM.end), (RAM.start, RAM.end));
    assert_eq!((SEED_USER.start, SEED_USER.end), (USER.start, USER.end));
    assert_eq!(ROOT, ax_memory_addr::pa!(0x8020_0000));
    assert_eq!(KERNEL, ax_memory_addr::va!(0xc020_0000));
    assert_eq!(SEED_ROOT, memory_addr::pa!(0x8020_0000));
    assert_eq!(SEED_KERNEL, memory_addr::va!(0xc020_0000));
    assert_eq!((PREVIOUS_RAM.start, PREVIOUS_RAM.end), (RAM.start, RAM.end));
    assert_eq!(
        (PREVIOUS_USER.start, PREVIOUS_USER.end),
        (USER.start, USER.end)
    );
    assert_eq!(PREVIOUS_ROOT.as_usize(), 0x8020_0000);
    assert_eq!(PREVIOUS_KERNEL.as_usize(), 0xc020_0000);
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

/// The range aliases are memory_addr's `AddrRange` itself, not look-alikes:
/// each goes where that type is expected, and `AddrRange`'s API is theirs.
#[test]
fn range_aliases_are_addr_range() {
    let ram: AddrRange<GuestPhysAddr> = GuestPhysAddrRange::from_start_size(RAM_BASE, 0x800_0000);
    let user: AddrRange<GuestVirtAddr> = GuestVirtAddrRange::new(gva!(0x1000), gva!(0x2000));
    let mmio: AddrRange<IoAddr> = IoAddrRange::from_start_size(MMIO_BASE, 0x1000);
    let seed: memory_addr::AddrRange<GuestPhysAddr> =
        memory_addr_04::GuestPhysAddrRange::from_start_size(RAM_BASE, 0x1000);
    assert_eq!(
        (ram.size(), user.size(), mmio.size(), seed.size()),
        (0x800_0000, 0x1000, 0x1000, 0x1000)
    );
}

/// The range macros' edges, in both generations: an empty range is
/// accepted, a reversed one panics with a message naming the macro.
#[test]
fn range_macros() {
    assert!(gva_range!(0x3000..0x3000).is_empty());
    assert!(gpa_range!(memory_addr_04; 0x3000..0x3000).is_empty());

    // Through variables: written as literals, clippy rejects the ranges.
    let (high, low) = (0x2000, 0x1000);
    let gpa = "invalid address range in `gpa_range!`".to_owned();
    let gva = "invalid address range in `gva_range!`".to_owned();
    assert_eq!(outcome(|| gpa_range!(high..low)), Err(gpa.clone()));
    assert_eq!(outcome(|| gva_range!(usize::MAX..low)), Err(gva.clone()));
    assert_eq!(outcome(|| gpa_range!(memory_addr_04; high..low)), Err(gpa));
    assert_eq!(outcome(|| gva_range!(memory_addr_04; high..low)), Err(gva));
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

/// A range's ends, as `usize`s.
fn ends<A: MemoryAddr>(range: AddrRange<A>) -> (usize, usize) {
    (range.start.into(), range.end.into())
}

/// A seed-era range's ends, as `usize`s.
fn seed_ends<A: memory_addr::MemoryAddr>(range: memory_addr::AddrRange<A>) -> (usize, usize) {
    (range.start.into(), range.end.into())
}

proptest! {
    /// The shorthands of both generations agree with memory_addr's
    /// `va_range!`: the same ranges are accepted, with the same ends, and
    /// the same ones panic, each with a message naming its own macro.
    #[test]
    fn range_macros_agree_with_va_range(start in any_address(), end in any_address()) {
        let expected = outcome(|| va_range!(start..end)).map(seed_ends);
        let gpa = [
            outcome(|| gpa_range!(start..end)).map(ends),
            outcome(|| gpa_range!(memory_addr_04; start..end)).map(seed_ends),
        ];
        let gva = [
            outcome(|| gva_range!(start..end)).map(ends),
            outcome(|| gva_range!(memory_addr_04; start..end)).map(seed_ends),
        ];
        if let Ok(ends) = expected {
            prop_assert_eq!(gpa, [Ok(ends), Ok(ends)]);
            prop_assert_eq!(gva, [Ok(ends), Ok(ends)]);
        } else {
            let gpa_error = Err("invalid address range in `gpa_range!`".to_owned());
            let gva_error = Err("invalid address range in `gva_range!`".to_owned());
            prop_assert_eq!(gpa, [gpa_error.clone(), gpa_error]);
            prop_assert_eq!(gva, [gva_error.clone(), gva_error]);
        }
    }
}
