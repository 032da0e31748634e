//! Every operation of an `#[address]` type behaves exactly as memory_addr's
//! own `VirtAddr` on the same inputs: the same values, and the same inputs
//! panic with the same message.
//!
//! Each check is one expression written once and evaluated with `A` naming
//! `VirtAddr`, then each generated type in turn, so the sides cannot drift
//! apart. Whether `+` on `usize::MAX` panics depends on the build profile's
//! overflow checks; it does so equally on both sides, and the comparison
//! holds in debug and release alike.

mod support {
    pub mod inputs;
    pub mod outcome;
}

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::ops::Range;

use addr_types::{
    address, AddrRange, GuestPhysAddr, GuestVirtAddr, MemoryAddr, PageIter1G, PageIter2M,
    PageIter4K,
};
use memory_addr::{DynPageIter, VirtAddr};
use proptest::prelude::*;
use support::inputs::{any_address, EDGES};
use support::outcome::outcome;

/// memory_addr's `VirtAddr` remade by `#[address]`: it even prints `VA:0x…`.
#[address(prefix = "VA", range = MacroVirtAddrRange)]
pub struct MacroVirtAddr(usize);

/// A result with every address replaced by an [`Addr`], so the results of
/// different address types compare.
trait Observe {
    type Seen: PartialEq + fmt::Debug;
    fn observe(self) -> Self::Seen;
}

/// An address in a result. Not a bare `usize`: an operation that returned an
/// address on one side and a `usize` on the other would not compile.
#[derive(PartialEq, Eq)]
struct Addr(usize);

impl fmt::Debug for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Addr({:#x})", self.0)
    }
}

macro_rules! observed_as_addr {
    ($($ty:ty),*) => {$(
        impl Observe for $ty {
            type Seen = Addr;
            fn observe(self) -> Addr {
                Addr(self.into())
            }
        }
    )*};
}

observed_as_addr!(VirtAddr, MacroVirtAddr, GuestPhysAddr, GuestVirtAddr);

macro_rules! observed_as_is {
    ($($ty:ty),*) => {$(
        impl Observe for $ty {
            type Seen = Self;
            fn observe(self) -> Self {
                self
            }
        }
    )*};
}

observed_as_is!(usize, isize, bool, Ordering, ());

impl<T: Observe> Observe for Option<T> {
    type Seen = Option<T::Seen>;
    fn observe(self) -> Self::Seen {
        self.map(Observe::observe)
    }
}

impl<T: Observe, E: PartialEq + fmt::Debug> Observe for Result<T, E> {
    type Seen = Result<T::Seen, E>;
    fn observe(self) -> Self::Seen {
        self.map(Observe::observe)
    }
}

impl<T: Observe, U: Observe> Observe for (T, U) {
    type Seen = (T::Seen, U::Seen);
    fn observe(self) -> Self::Seen {
        (self.0.observe(), self.1.observe())
    }
}

impl<T: Observe> Observe for Vec<T> {
    type Seen = Vec<T::Seen>;
    fn observe(self) -> Self::Seen {
        self.into_iter().map(Observe::observe).collect()
    }
}

impl<A: MemoryAddr + Observe> Observe for AddrRange<A> {
    type Seen = Range<A::Seen>;
    fn observe(self) -> Self::Seen {
        self.start.observe()..self.end.observe()
    }
}

/// Evaluates `$body` with the type alias `$A` naming memory_addr's
/// `VirtAddr`, then each `#[address]` type, and asserts that every one
/// returns the same [`Observe`]d value or panics with the same message.
macro_rules! assert_same {
    (|$A:ident| $body:expr) => {{
        let expected = {
            type $A = VirtAddr;
            outcome(move || Observe::observe($body))
        };
        assert_same!(@each expected, |$A| $body, MacroVirtAddr, GuestPhysAddr, GuestVirtAddr);
    }};
    (@each $expected:ident, |$A:ident| $body:expr, $($ty:ident),*) => {$(
        let actual = {
            type $A = $ty;
            outcome(move || Observe::observe($body))
        };
        assert_eq!(actual, $expected, "{}: `{}`", stringify!($ty), stringify!($body));
    )*};
}

/// Conversions, and the 4 KiB forms: called with method syntax they are the
/// const inherent methods on a generated type but `MemoryAddr`'s on
/// `VirtAddr`; through the trait they are `MemoryAddr`'s on both.
fn check_one_address(x: usize) {
    assert_same!(|A| A::from_usize(x));
    assert_same!(|A| A::from_usize(x).as_usize());
    assert_same!(|A| A::from(x));
    assert_same!(|A| usize::from(A::from(x)));
    assert_same!(|A| Into::<usize>::into(A::from_usize(x)));
    assert_same!(|A| A::from(x).align_down_4k());
    assert_same!(|A| A::from(x).align_up_4k());
    assert_same!(|A| A::from(x).align_offset_4k());
    assert_same!(|A| A::from(x).is_aligned_4k());
    assert_same!(|A| MemoryAddr::align_down_4k(A::from(x)));
    assert_same!(|A| MemoryAddr::align_up_4k(A::from(x)));
    assert_same!(|A| MemoryAddr::align_offset_4k(A::from(x)));
    assert_same!(|A| MemoryAddr::is_aligned_4k(A::from(x)));
    assert_same!(|A| A::from(x) == A::default());
    assert_same!(|A| A::from(x).cmp(&A::default()));
}

/// Address ± `usize`, through `MemoryAddr` and through the operators. With
/// method syntax, `add`, `sub` and their `checked_`/`wrapping_` forms are
/// the const inherent methods on a generated type and `MemoryAddr`'s on
/// `VirtAddr`: they must not differ in anything but constness.
fn check_unsigned_offset(x: usize, n: usize) {
    assert_same!(|A| MemoryAddr::add(A::from(x), n));
    assert_same!(|A| A::from(x).add(n));
    assert_same!(|A| A::from(x).sub(n));
    assert_same!(|A| A::from(x).wrapping_add(n));
    assert_same!(|A| A::from(x).overflowing_add(n));
    assert_same!(|A| A::from(x).checked_add(n));
    assert_same!(|A| MemoryAddr::sub(A::from(x), n));
    assert_same!(|A| A::from(x).wrapping_sub(n));
    assert_same!(|A| A::from(x).overflowing_sub(n));
    assert_same!(|A| A::from(x).checked_sub(n));
    assert_same!(|A| A::from(x) + n);
    assert_same!(|A| A::from(x) - n);
    assert_same!(|A| {
        let mut addr = A::from(x);
        addr += n;
        addr
    });
    assert_same!(|A| {
        let mut addr = A::from(x);
        addr -= n;
        addr
    });
    // A range of `n` bytes from `x`: overflows exactly when `x + n` does.
    assert_same!(|A| AddrRange::from_start_size(A::from(x), n));
    assert_same!(|A| AddrRange::try_from_start_size(A::from(x), n));
}

fn check_signed_offset(x: usize, offset: isize) {
    assert_same!(|A| A::from(x).offset(offset));
    assert_same!(|A| A::from(x).wrapping_offset(offset));
}

/// Alignment to any `usize`, a power of two or not: memory_addr documents
/// power-of-two alignments only, and what it does with others (garbage, or
/// an overflow panic for 0) must be reproduced too.
fn check_alignment(x: usize, align: usize) {
    assert_same!(|A| A::from(x).align_down(align));
    assert_same!(|A| A::from(x).align_up(align));
    assert_same!(|A| A::from(x).align_offset(align));
    assert_same!(|A| A::from(x).is_aligned(align));
    // `U: Into<usize>`: page_table_multiarch passes its own `PageSize`.
    if let Ok(align) = u16::try_from(align) {
        assert_same!(|A| A::from(x).align_down(align));
        assert_same!(|A| A::from(x).align_up(align));
        assert_same!(|A| A::from(x).align_offset(align));
        assert_same!(|A| A::from(x).is_aligned(align));
    }
}

/// Distances, comparisons, and the ranges and page iterators two addresses make.
fn check_two_addresses(x: usize, y: usize) {
    assert_same!(|A| A::from(x).offset_from(A::from(y)));
    assert_same!(|A| A::from(x).sub_addr(A::from(y)));
    assert_same!(|A| A::from(x).wrapping_sub_addr(A::from(y)));
    assert_same!(|A| A::from(x).overflowing_sub_addr(A::from(y)));
    assert_same!(|A| A::from(x).checked_sub_addr(A::from(y)));
    assert_same!(|A| A::from(x) - A::from(y));
    assert_same!(|A| A::from(x) == A::from(y));
    assert_same!(|A| A::from(x) != A::from(y));
    assert_same!(|A| A::from(x) < A::from(y));
    assert_same!(|A| A::from(x) <= A::from(y));
    assert_same!(|A| A::from(x) > A::from(y));
    assert_same!(|A| A::from(x) >= A::from(y));
    assert_same!(|A| A::from(x).cmp(&A::from(y)));
    assert_same!(|A| A::from(x).partial_cmp(&A::from(y)));
    assert_same!(|A| A::from(x).max(A::from(y)));
    assert_same!(|A| A::from(x).min(A::from(y)));
    assert_same!(|A| AddrRange::new(A::from(x), A::from(y)));
    assert_same!(|A| AddrRange::try_new(A::from(x), A::from(y)));
    assert_same!(|A| AddrRange::<A>::try_from(x..y));
    // The first pages only: a range across the whole address space has
    // 2^52 of them.
    assert_same!(
        |A| PageIter4K::new(A::from(x), A::from(y)).map(|it| it.take(4).collect::<Vec<_>>())
    );
    assert_same!(
        |A| PageIter2M::new(A::from(x), A::from(y)).map(|it| it.take(4).collect::<Vec<_>>())
    );
    assert_same!(
        |A| PageIter1G::new(A::from(x), A::from(y)).map(|it| it.take(4).collect::<Vec<_>>())
    );
}

/// `AddrRange` queries on the ranges `[a, b)` and `[c, d)` (endpoints sorted).
fn check_range_queries([a, b, c, d]: [usize; 4]) {
    let (first, second) = ((a.min(b), a.max(b)), (c.min(d), c.max(d)));
    assert_same!(|A| AddrRange::<A>::new(first.0.into(), first.1.into()).size());
    assert_same!(|A| AddrRange::<A>::new(first.0.into(), first.1.into()).is_empty());
    assert_same!(|A| AddrRange::<A>::new(first.0.into(), first.1.into()).contains(c.into()));
    assert_same!(|A| AddrRange::<A>::new(first.0.into(), first.1.into()).contains(d.into()));
    assert_same!(|A| {
        let first = AddrRange::<A>::new(first.0.into(), first.1.into());
        first.overlaps(AddrRange::new(second.0.into(), second.1.into()))
    });
    assert_same!(|A| {
        let first = AddrRange::<A>::new(first.0.into(), first.1.into());
        first.contains_range(AddrRange::new(second.0.into(), second.1.into()))
    });
    assert_same!(|A| {
        let first = AddrRange::<A>::new(first.0.into(), first.1.into());
        first.contained_in(AddrRange::new(second.0.into(), second.1.into()))
    });
}

/// Whole walks of `pages` pages of `page_size` bytes from `start`, which
/// `DynPageIter` refuses unless both ends are aligned to a power of two.
fn check_page_walk(start: usize, pages: usize, page_size: usize) {
    let end = start.wrapping_add(pages.wrapping_mul(page_size));
    assert_same!(
        |A| DynPageIter::new(A::from(start), A::from(end), page_size)
            .map(|it| it.take(64).collect::<Vec<_>>())
    );
}

/// Signed offsets worth hitting every run: the extremes and small steps.
const SIGNED_EDGES: &[isize] = &[
    isize::MIN,
    isize::MIN + 1,
    -0x1000,
    -1,
    0,
    1,
    0x1000,
    isize::MAX,
];

#[test]
fn every_edge_value_and_pair_of_edge_values() {
    for &x in EDGES {
        check_one_address(x);
        for &y in EDGES {
            check_unsigned_offset(x, y);
            check_alignment(x, y);
            check_two_addresses(x, y);
        }
        for &offset in SIGNED_EDGES {
            check_signed_offset(x, offset);
        }
        for shift in 0..usize::BITS {
            check_alignment(x, 1 << shift);
        }
    }
}

#[test]
fn defaults_and_layout() {
    assert_same!(|A| A::default());
    assert_same!(|A| AddrRange::<A>::default());
    assert_same!(|A| size_of::<A>());
    assert_same!(|A| align_of::<A>());
    assert_same!(|A| size_of::<Option<A>>());
}

/// The comparisons above would pass vacuously if nothing ever panicked.
#[test]
fn the_comparisons_do_see_panics() {
    let overflow_checks = outcome(|| std::hint::black_box(usize::MAX) + 1).is_err();
    let top = MacroVirtAddr::from(usize::MAX);
    assert_eq!(outcome(|| top + 1).is_err(), overflow_checks);
    assert_eq!(outcome(|| top.align_down(0usize)).is_err(), overflow_checks);
    assert_eq!(outcome(|| top.align_up_4k()).is_err(), overflow_checks);
    assert_eq!(
        outcome(|| MemoryAddr::add(top, 1)),
        Err("overflow in `MemoryAddr::add`".to_owned())
    );
    assert_eq!(
        outcome(|| top.offset_from(MacroVirtAddr::default())),
        Err("overflow in `MemoryAddr::offset_from`".to_owned())
    );
    assert_eq!(
        outcome(|| AddrRange::new(top, MacroVirtAddr::default())).map(AddrRange::size),
        Err(format!("invalid `AddrRange`: {}..0", usize::MAX))
    );
}

/// `VirtAddr` has no `Hash`, so there is nothing to compare with; what
/// matters is that `Hash` agrees with `Eq`, as a derived one does.
#[test]
fn equal_addresses_hash_equal() {
    let state = RandomState::new();
    for &x in EDGES {
        let hash = state.hash_one(MacroVirtAddr::from_usize(x));
        assert_eq!(state.hash_one(MacroVirtAddr::from(x)), hash);
        assert_eq!(
            state.hash_one(MacroVirtAddr::from(x).align_down(1usize)),
            hash
        );
        assert_eq!(
            state.hash_one(GuestPhysAddr::from(x)),
            state.hash_one(GuestPhysAddr::from_usize(x))
        );
    }
}

fn signed_offset() -> impl Strategy<Value = isize> {
    prop_oneof![
        any::<isize>(),
        proptest::sample::select(SIGNED_EDGES),
        -0x1_0000..0x1_0000isize,
    ]
}

fn power_of_two() -> impl Strategy<Value = usize> {
    (0..usize::BITS).prop_map(|shift| 1 << shift)
}

proptest! {
    #[test]
    fn one_address(x in any_address()) {
        check_one_address(x);
    }

    #[test]
    fn unsigned_offsets(x in any_address(), n in any_address()) {
        check_unsigned_offset(x, n);
    }

    #[test]
    fn signed_offsets(x in any_address(), offset in signed_offset()) {
        check_signed_offset(x, offset);
    }

    #[test]
    fn power_of_two_alignments(x in any_address(), align in power_of_two()) {
        check_alignment(x, align);
    }

    /// Almost every random `usize` is not a power of two.
    #[test]
    fn other_alignments(x in any_address(), align in any_address()) {
        check_alignment(x, align);
    }

    #[test]
    fn two_addresses(x in any_address(), y in any_address()) {
        check_two_addresses(x, y);
    }

    /// Random ends seldom land close together; these pairs do.
    #[test]
    fn two_nearby_addresses(x in any_address(), distance in 0..0x4000usize) {
        check_two_addresses(x, x.wrapping_add(distance));
        check_two_addresses(x.wrapping_add(distance), x);
    }

    #[test]
    fn range_queries(ends in proptest::array::uniform4(any_address())) {
        check_range_queries(ends);
    }

    /// Ranges near each other, so that overlap and containment vary.
    #[test]
    fn nearby_range_queries(base in any_address(), ends in proptest::array::uniform4(0..0x40usize)) {
        check_range_queries(ends.map(|end| base.wrapping_add(end)));
    }

    #[test]
    fn page_walks(
        page_number in any_address(),
        pages in 0..64usize,
        page_size in prop_oneof![power_of_two(), any_address()],
    ) {
        check_page_walk(page_number.wrapping_mul(page_size), pages, page_size);
    }

    /// A set of addresses has as many members as the set of their `usize`s.
    #[test]
    fn hash_set_agrees_with_usize(values in proptest::collection::vec(0..64usize, 0..32)) {
        let addresses: HashSet<MacroVirtAddr> = values.iter().copied().map(MacroVirtAddr::from).collect();
        let raw: HashSet<usize> = values.iter().copied().collect();
        prop_assert_eq!(addresses.len(), raw.len());
        prop_assert!(raw.iter().all(|&x| addresses.contains(&MacroVirtAddr::from(x))));
    }
}
