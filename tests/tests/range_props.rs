//! `AddrRangeExt` against naive models: alignment as `%` and rounding as
//! division in `u128`, where nothing overflows; intersection and disjointness
//! as sets of addresses, checked address by address. Each case runs on the
//! four shipped address types and on an `#[address]` type defined here, and
//! includes invalid ranges (`start > end`).

use core::fmt::Debug;

use addr_types::{
    address, AddrRange, AddrRangeExt, GuestPhysAddr, GuestVirtAddr, HostPhysAddr, HostVirtAddr,
    MemoryAddr, PageIter, PAGE_SIZE_1G, PAGE_SIZE_2M, PAGE_SIZE_4K,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseResult;

/// An I/O virtual address (what a device behind an IOMMU sees): a user type.
#[address(prefix = "IOVA", range = IoVirtAddrRange)]
pub struct IoVirtAddr(usize);

/// Runs `$check::<A>($args)` for every address type `A`.
macro_rules! on_every_address_type {
    ($check:ident $(::<$($param:tt),*>)? ($($arg:expr),* $(,)?)) => {{
        $check::<GuestPhysAddr $($(, $param)*)?>($($arg),*)?;
        $check::<GuestVirtAddr $($(, $param)*)?>($($arg),*)?;
        $check::<HostPhysAddr $($(, $param)*)?>($($arg),*)?;
        $check::<HostVirtAddr $($(, $param)*)?>($($arg),*)?;
        $check::<IoVirtAddr $($(, $param)*)?>($($arg),*)?;
    }};
}

const MAX: u128 = usize::MAX as u128;

/// The model's power-of-two test: one of the `usize::BITS` powers, listed.
fn is_power_of_two(align: usize) -> bool {
    (0..usize::BITS).any(|bit| 1u128 << bit == align as u128)
}

/// Any `AddrRange`, invalid ones included: the fields are public.
fn range<A: MemoryAddr>((start, end): (usize, usize)) -> AddrRange<A> {
    AddrRange {
        start: A::from(start),
        end: A::from(end),
    }
}

fn ends<A: MemoryAddr>(range: AddrRange<A>) -> (usize, usize) {
    (range.start.into(), range.end.into())
}

fn to_usize((start, end): (u128, u128)) -> (usize, usize) {
    (
        usize::try_from(start).unwrap(),
        usize::try_from(end).unwrap(),
    )
}

/// Addresses where rounding decides something: anywhere, near 0, near the
/// top, and next to a multiple of some power of two.
fn address() -> impl Strategy<Value = usize> {
    prop_oneof![
        any::<usize>(),
        0..=0x40_0000usize,
        (usize::MAX - 0x40_0000)..=usize::MAX,
        (any::<usize>(), 0..usize::BITS, -2isize..=2)
            .prop_map(|(addr, bit, delta)| ((addr >> bit) << bit).wrapping_add_signed(delta)),
    ]
}

/// Mostly valid pairs of ends, some small ranges, some invalid ones.
fn range_ends() -> impl Strategy<Value = (usize, usize)> {
    prop_oneof![
        4 => (address(), address()).prop_map(|(a, b)| (a.min(b), a.max(b))),
        2 => (address(), 0..0x3000usize)
            .prop_map(|(start, size)| (start.min(usize::MAX - size), start.min(usize::MAX - size) + size)),
        1 => (address(), address()),
    ]
}

/// Mostly powers of two, and the failures: zero, non-powers of two.
fn alignment() -> impl Strategy<Value = usize> {
    prop_oneof![
        6 => (0..usize::BITS).prop_map(|bit| 1usize << bit),
        1 => Just(0usize),
        1 => any::<usize>(),
        1 => (1..usize::BITS).prop_map(|bit| (1usize << bit) | (1 << (bit - 1))),
        1 => (2..usize::BITS).prop_map(|bit| (1usize << bit) + 1),
    ]
}

fn check_is_aligned<A: MemoryAddr + Debug>(
    (start, end): (usize, usize),
    align: usize,
) -> TestCaseResult {
    let expected =
        (start <= end && is_power_of_two(align)).then(|| start % align == 0 && end % align == 0);
    prop_assert_eq!(range::<A>((start, end)).is_aligned(align), expected);
    prop_assert_eq!(
        range::<A>((start, end)).is_aligned_4k(),
        start % PAGE_SIZE_4K == 0 && end % PAGE_SIZE_4K == 0
    );
    Ok(())
}

/// `[start / align * align, ceil(end / align) * align)`, if it fits.
fn model_outward((start, end): (usize, usize), align: usize) -> Option<(usize, usize)> {
    if start > end || !is_power_of_two(align) {
        return None;
    }
    let (start, end, align) = (start as u128, end as u128, align as u128);
    let hull = (start / align * align, end.div_ceil(align) * align);
    (hull.1 <= MAX).then(|| to_usize(hull))
}

/// `[ceil(start / align) * align, end / align * align)`, if in order.
fn model_inward((start, end): (usize, usize), align: usize) -> Option<(usize, usize)> {
    if start > end || !is_power_of_two(align) {
        return None;
    }
    let (start, end, align) = (start as u128, end as u128, align as u128);
    let core = (start.div_ceil(align) * align, end / align * align);
    (core.0 <= core.1).then(|| to_usize(core))
}

fn check_align_outward<A: MemoryAddr + Debug>(
    ends: (usize, usize),
    align: usize,
) -> TestCaseResult {
    let hull = range::<A>(ends).align_outward(align).map(self::ends);
    prop_assert_eq!(hull, model_outward(ends, align));
    prop_assert_eq!(
        range::<A>(ends).align_outward_4k().map(self::ends),
        model_outward(ends, PAGE_SIZE_4K)
    );
    // The definition, independently of the model's formula: aligned,
    // containing, and within one alignment of each end.
    if let Some((low, high)) = hull {
        prop_assert!(low <= ends.0 && ends.1 <= high);
        prop_assert!(low % align == 0 && high % align == 0);
        prop_assert!(ends.0 - low < align && high - ends.1 < align);
    }
    Ok(())
}

fn check_align_inward<A: MemoryAddr + Debug>(ends: (usize, usize), align: usize) -> TestCaseResult {
    let core = range::<A>(ends).align_inward(align).map(self::ends);
    prop_assert_eq!(core, model_inward(ends, align));
    prop_assert_eq!(
        range::<A>(ends).align_inward_4k().map(self::ends),
        model_inward(ends, PAGE_SIZE_4K)
    );
    if let Some((low, high)) = core {
        prop_assert!(ends.0 <= low && low <= high && high <= ends.1);
        prop_assert!(low % align == 0 && high % align == 0);
        prop_assert!(low - ends.0 < align && ends.1 - high < align);
    }
    Ok(())
}

/// How many page starts are compared; the pages strategy stays below it.
const PAGE_LIMIT: usize = 64;

/// The page starts by repeated addition in `u128`, if the range is valid and
/// `page_size`-aligned; at most `PAGE_LIMIT + 1` of them.
fn model_pages((start, end): (usize, usize), page_size: usize) -> Option<Vec<usize>> {
    if start > end || !is_power_of_two(page_size) || start % page_size != 0 || end % page_size != 0
    {
        return None;
    }
    let mut pages = Vec::new();
    let mut page = start as u128;
    while page < end as u128 && pages.len() <= PAGE_LIMIT {
        pages.push(usize::try_from(page).unwrap());
        page += page_size as u128;
    }
    Some(pages)
}

fn collect_pages<A: MemoryAddr, const PAGE_SIZE: usize>(
    pages: Option<PageIter<PAGE_SIZE, A>>,
) -> Option<Vec<usize>> {
    pages.map(|pages| pages.take(PAGE_LIMIT + 1).map(Into::into).collect())
}

fn check_pages<A: MemoryAddr + Debug, const PAGE_SIZE: usize>(
    ends: (usize, usize),
) -> TestCaseResult {
    let range = range::<A>(ends);
    let expected = model_pages(ends, PAGE_SIZE);
    prop_assert_eq!(collect_pages(range.pages::<PAGE_SIZE>()), expected.clone());
    let named = match PAGE_SIZE {
        PAGE_SIZE_4K => Some(collect_pages(range.pages_4k())),
        PAGE_SIZE_2M => Some(collect_pages(range.pages_2m())),
        PAGE_SIZE_1G => Some(collect_pages(range.pages_1g())),
        _ => None,
    };
    if let Some(named) = named {
        prop_assert_eq!(named, expected);
    }
    Ok(())
}

/// Where a range of whole pages starts, how many pages it has (fewer than
/// `PAGE_LIMIT`), how far each end is moved off the page boundary, and
/// whether the ends are swapped into an invalid range.
type PageRangeSeed = (usize, usize, isize, isize, bool);

fn page_range_seed() -> impl Strategy<Value = PageRangeSeed> {
    let off = prop_oneof![3 => Just(0isize), 1 => -2isize..=2];
    let swapped = prop_oneof![7 => Just(false), 1 => Just(true)];
    (address(), 0..PAGE_LIMIT - 2, off.clone(), off, swapped)
}

fn page_range(
    (addr, pages, start_off, end_off, swapped): PageRangeSeed,
    page_size: usize,
) -> (usize, usize) {
    // As many pages as fit below the top with a page to spare (on 32-bit
    // targets, only two of 1G), and room for them and the offsets.
    let pages = pages.min((usize::MAX / page_size).saturating_sub(1));
    let room = pages * page_size + 2;
    let base = addr.min(usize::MAX - room);
    let base = base - base % page_size;
    let start = base.wrapping_add_signed(start_off);
    let end = (base + pages * page_size).wrapping_add_signed(end_off);
    if swapped {
        (end, start)
    } else {
        (start, end)
    }
}

/// The addresses of `[start, end)` in a window, one by one.
fn contains((start, end): (usize, usize), addr: usize) -> bool {
    start <= addr && addr < end
}

const WINDOW: usize = 24;

/// Two ranges with ends in `[base, base + WINDOW]`: small enough to list
/// every address, placed anywhere in the address space.
fn window_ranges() -> impl Strategy<Value = (usize, (usize, usize), (usize, usize))> {
    let offsets = || (0..=WINDOW, 0..=WINDOW);
    (address(), offsets(), offsets()).prop_map(|(base, a, b)| {
        let base = base.min(usize::MAX - WINDOW);
        (base, (base + a.0, base + a.1), (base + b.0, base + b.1))
    })
}

fn check_intersection<A: MemoryAddr + Debug>(
    base: usize,
    a: (usize, usize),
    b: (usize, usize),
) -> TestCaseResult {
    let shared: Vec<usize> = (base..=base + WINDOW)
        .filter(|&addr| contains(a, addr) && contains(b, addr))
        .collect();
    let expected = shared
        .first()
        .map(|&first| (first, shared.last().unwrap() + 1));
    let (a, b) = (range::<A>(a), range::<A>(b));
    prop_assert_eq!(a.intersection(b).map(ends), expected);
    prop_assert_eq!(b.intersection(a).map(ends), expected);
    prop_assert_eq!(a.is_disjoint(b), shared.is_empty());
    prop_assert_eq!(b.is_disjoint(a), shared.is_empty());
    Ok(())
}

/// Far-apart ends: the result holds exactly the addresses in both, at every
/// address where that can change.
fn check_intersection_probes<A: MemoryAddr + Debug>(
    a: (usize, usize),
    b: (usize, usize),
) -> TestCaseResult {
    let result = range::<A>(a).intersection(range::<A>(b)).map(ends);
    let probes = [a.0, a.1, b.0, b.1]
        .into_iter()
        .flat_map(|end| [end.wrapping_sub(1), end, end.wrapping_add(1)]);
    for addr in probes {
        let in_result = result.is_some_and(|result| contains(result, addr));
        prop_assert_eq!(
            in_result,
            contains(a, addr) && contains(b, addr),
            "at {:#x}",
            addr
        );
    }
    if let Some(result) = result {
        prop_assert!(result.0 < result.1);
    }
    prop_assert_eq!(range::<A>(a).is_disjoint(range::<A>(b)), result.is_none());
    Ok(())
}

proptest! {
    #[test]
    fn is_aligned_is_modulo_for_powers_of_two(ends in range_ends(), align in alignment()) {
        on_every_address_type!(check_is_aligned(ends, align));
    }

    #[test]
    fn align_outward_is_the_aligned_hull(ends in range_ends(), align in alignment()) {
        on_every_address_type!(check_align_outward(ends, align));
    }

    #[test]
    fn align_inward_is_the_aligned_core(ends in range_ends(), align in alignment()) {
        on_every_address_type!(check_align_inward(ends, align));
    }

    #[test]
    fn pages_are_the_aligned_steps(seed in page_range_seed(), any_ends in range_ends()) {
        on_every_address_type!(check_pages::<1>(page_range(seed, 1)));
        on_every_address_type!(check_pages::<PAGE_SIZE_4K>(page_range(seed, PAGE_SIZE_4K)));
        on_every_address_type!(check_pages::<0x4000>(page_range(seed, 0x4000)));
        on_every_address_type!(check_pages::<PAGE_SIZE_2M>(page_range(seed, PAGE_SIZE_2M)));
        on_every_address_type!(check_pages::<PAGE_SIZE_1G>(page_range(seed, PAGE_SIZE_1G)));
        // Not powers of two: always `None`, even for ranges of whole "pages".
        on_every_address_type!(check_pages::<0x3000>(page_range(seed, 0x3000)));
        on_every_address_type!(check_pages::<0>(any_ends));
        // Arbitrary ranges: mostly unaligned, and the aligned ones long.
        on_every_address_type!(check_pages::<PAGE_SIZE_4K>(any_ends));
    }

    #[test]
    fn intersection_is_the_shared_addresses(
        (base, a, b) in window_ranges(),
    ) {
        on_every_address_type!(check_intersection(base, a, b));
    }

    #[test]
    fn intersection_agrees_at_every_boundary(a in range_ends(), b in range_ends()) {
        on_every_address_type!(check_intersection_probes(a, b));
    }
}
