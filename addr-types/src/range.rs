//! Alignment checks, page iteration and set operations on every
//! generation's `AddrRange`, for every address type: [`AddrRangeExt`].

use crate::{PAGE_SIZE_1G, PAGE_SIZE_2M, PAGE_SIZE_4K};

#[cfg(doc)]
use crate::{AddrRange, MemoryAddr, PageIter};

/// What a hypervisor checks on a memory region before it maps it: alignment,
/// aligned hulls and cores, page-by-page iteration, and overlap with other
/// regions. memory_addr's [`AddrRange`] has start, end, size and `overlaps`,
/// but none of these.
///
/// Implemented for the `AddrRange<A>` of every enabled generation
/// (ax-memory-addr 0.7's, ax-memory-addr 0.6's, memory_addr 0.4's) and every address type `A`:
/// the guest types, the host types, `#[address]` types of your own and plain
/// `usize`. One trait serves them all, so code generic over ranges needs one
/// bound; each range's methods return its own generation's `PageIter`. The
/// trait is sealed, so that methods can be added without a major release.
///
/// ```
/// use addr_types::{gpa, gpa_range, AddrRangeExt, GuestPhysAddrRange, PAGE_SIZE_2M};
///
/// // A RAM region from a VM configuration, and one already mapped.
/// let ram = gpa_range!(0x8000_0000..0x8060_0000);
/// let mapped: [GuestPhysAddrRange; 1] = [gpa_range!(0x1000_0000..0x1000_1000)];
///
/// assert_eq!(ram.is_aligned(PAGE_SIZE_2M), Some(true));
/// assert!(mapped.iter().all(|region| ram.is_disjoint(*region)));
/// let huge_pages: Vec<_> = ram.pages_2m().expect("checked above").collect();
/// assert_eq!(huge_pages, [gpa!(0x8000_0000), gpa!(0x8020_0000), gpa!(0x8040_0000)]);
/// ```
///
/// # Failures are `None`; nothing panics
///
/// An alignment or page size must be a power of two, as everywhere in
/// memory_addr. memory_addr's per-address methods
/// ([`MemoryAddr::align_down`] and friends) are bit tricks: they return a
/// meaningless address for any other alignment, and overflow for zero. Its
/// checked constructor [`PageIter::new`] returns `None` instead, like
/// [`AddrRange::try_new`] and [`MemoryAddr::checked_add`]. These methods follow
/// the checked side, with one rule: every method that can fail returns an
/// `Option`, and `None` means one of
///
/// - the alignment is zero or not a power of two,
/// - the result would end past the top of the address space,
/// - no aligned range lies inside the range (`align_inward`),
/// - the range is not aligned to the page size (`pages*`),
/// - the ranges share no address (`intersection`),
/// - the range is invalid (`start > end`; `AddrRange`'s fields are public, so
///   such a value can be built without `unsafe`).
///
/// No method panics on any input, so a region or an alignment that comes from
/// a guest can be passed in unchecked. The methods that cannot fail
/// ([`is_aligned_4k`](Self::is_aligned_4k), [`is_disjoint`](Self::is_disjoint))
/// return a plain `bool`. All arithmetic is on the ends' `usize` values, so
/// these guarantees hold for every address type whose `From<usize>` cannot
/// panic, which includes every type made by [`address`](crate::address).
pub trait AddrRangeExt: sealed::Sealed + Copy {
    /// The type of the range's ends.
    type Addr: Copy + Ord + From<usize> + Into<usize>;

    /// The generation's `PageIter<PAGE_SIZE, Self::Addr>`.
    type Pages<const PAGE_SIZE: usize>: Iterator<Item = Self::Addr>;

    /// Whether both ends are multiples of `align`; `None` if `align` is not a
    /// power of two, or if the range is invalid.
    ///
    /// An empty range counts as aligned when its one address is. `align` can
    /// be anything that converts into a `usize`, as for
    /// [`MemoryAddr::is_aligned`]; write integer literals with a suffix.
    ///
    /// ```
    /// use addr_types::{gpa_range, AddrRangeExt, PAGE_SIZE_2M};
    ///
    /// let region = gpa_range!(0x60_0000..0xc0_0000);
    /// assert_eq!(region.is_aligned(PAGE_SIZE_2M), Some(true));
    /// assert_eq!(region.is_aligned(0x40_0000usize), Some(false));
    /// // Both ends are multiples of 0x60_0000, but that is no alignment: a
    /// // clear `None` where memory_addr's bit trick would answer `false`.
    /// assert_eq!(region.is_aligned(0x60_0000usize), None);
    /// assert_eq!(region.is_aligned(0usize), None);
    /// ```
    #[must_use]
    fn is_aligned<U: Into<usize>>(self, align: U) -> Option<bool>;

    /// Whether both ends are 4K-aligned.
    ///
    /// ```
    /// use addr_types::{gva_range, AddrRangeExt};
    ///
    /// assert!(gva_range!(0x1000..0x3000).is_aligned_4k());
    /// assert!(!gva_range!(0x1000..0x2fff).is_aligned_4k());
    /// ```
    #[must_use]
    fn is_aligned_4k(self) -> bool;

    /// The smallest `align`-aligned range that contains this one: the start
    /// rounded down, the end rounded up.
    ///
    /// `None` if `align` is not a power of two, if the rounded-up end would
    /// lie past `usize::MAX`, or if the range is invalid.
    ///
    /// ```
    /// use addr_types::{gpa_range, AddrRangeExt, PAGE_SIZE_2M};
    ///
    /// let region = gpa_range!(0x8010_0000..0x8030_0000);
    /// assert_eq!(region.align_outward(PAGE_SIZE_2M), Some(gpa_range!(0x8000_0000..0x8040_0000)));
    /// // The end would have to be usize::MAX + 1.
    /// assert_eq!(gpa_range!(0..usize::MAX).align_outward(PAGE_SIZE_2M), None);
    /// ```
    #[must_use]
    fn align_outward<U: Into<usize>>(self, align: U) -> Option<Self>;

    /// [`align_outward`](Self::align_outward) to 4K: the pages that a mapping
    /// of this range touches.
    ///
    /// `None` if the rounded-up end would lie past `usize::MAX`, or if the
    /// range is invalid.
    ///
    /// ```
    /// use addr_types::{gva_range, AddrRangeExt};
    ///
    /// let buffer = gva_range!(0x1ff8..0x2010);
    /// assert_eq!(buffer.align_outward_4k(), Some(gva_range!(0x1000..0x3000)));
    /// assert_eq!(gva_range!(0..usize::MAX).align_outward_4k(), None);
    /// ```
    #[must_use]
    fn align_outward_4k(self) -> Option<Self>;

    /// The largest `align`-aligned range inside this one: the start rounded
    /// up, the end rounded down.
    ///
    /// The result may be empty: `0x1000..0x1800` aligned inward to 4K is
    /// `0x1000..0x1000`. `None` if `align` is not a power of two, if no
    /// multiple of `align` lies between start and end (both included), or if
    /// the range is invalid.
    ///
    /// ```
    /// use addr_types::{gpa_range, AddrRangeExt, PAGE_SIZE_2M};
    ///
    /// let region = gpa_range!(0x8010_0000..0x8070_0000);
    /// assert_eq!(region.align_inward(PAGE_SIZE_2M), Some(gpa_range!(0x8020_0000..0x8060_0000)));
    /// assert_eq!(gpa_range!(0x8010_0000..0x8018_0000).align_inward(PAGE_SIZE_2M), None);
    /// ```
    #[must_use]
    fn align_inward<U: Into<usize>>(self, align: U) -> Option<Self>;

    /// [`align_inward`](Self::align_inward) to 4K: the whole pages inside
    /// this range.
    ///
    /// `None` if no 4K boundary lies between start and end (both included),
    /// or if the range is invalid.
    ///
    /// ```
    /// use addr_types::{gva_range, AddrRangeExt};
    ///
    /// assert_eq!(gva_range!(0x0fff..0x3001).align_inward_4k(), Some(gva_range!(0x1000..0x3000)));
    /// assert_eq!(gva_range!(0x1001..0x1fff).align_inward_4k(), None);
    /// ```
    #[must_use]
    fn align_inward_4k(self) -> Option<Self>;

    /// The start of every `PAGE_SIZE` page in the range, in ascending order:
    /// memory_addr's [`PageIter`] over it.
    ///
    /// `None` if `PAGE_SIZE` is not a power of two, if either end is not a
    /// multiple of it, or if the range is invalid. An aligned empty range
    /// yields no page.
    ///
    /// ```
    /// use addr_types::{gpa, gpa_range, AddrRangeExt};
    ///
    /// const PAGE_SIZE_16K: usize = 0x4000;
    /// let pages: Vec<_> = gpa_range!(0x8000..0x10000).pages::<PAGE_SIZE_16K>().unwrap().collect();
    /// assert_eq!(pages, [gpa!(0x8000), gpa!(0xc000)]);
    /// assert!(gpa_range!(0x8000..0x9000).pages::<PAGE_SIZE_16K>().is_none());
    /// ```
    #[must_use]
    fn pages<const PAGE_SIZE: usize>(self) -> Option<Self::Pages<PAGE_SIZE>>;

    /// The start of every 4K page in the range; `None` if the range is not
    /// 4K-aligned (or is invalid).
    ///
    /// ```
    /// use addr_types::{gva, gva_range, AddrRangeExt};
    ///
    /// let pages: Vec<_> = gva_range!(0x1000..0x3000).pages_4k().unwrap().collect();
    /// assert_eq!(pages, [gva!(0x1000), gva!(0x2000)]);
    /// assert!(gva_range!(0x1000..0x2800).pages_4k().is_none());
    /// ```
    #[must_use]
    fn pages_4k(self) -> Option<Self::Pages<PAGE_SIZE_4K>>;

    /// The start of every 2M page in the range; `None` if the range is not
    /// 2M-aligned (or is invalid).
    ///
    /// ```
    /// use addr_types::{gpa, gpa_range, AddrRangeExt};
    ///
    /// let pages: Vec<_> = gpa_range!(0x8000_0000..0x8040_0000).pages_2m().unwrap().collect();
    /// assert_eq!(pages, [gpa!(0x8000_0000), gpa!(0x8020_0000)]);
    /// assert!(gpa_range!(0x8000_0000..0x8000_1000).pages_2m().is_none());
    /// ```
    #[must_use]
    fn pages_2m(self) -> Option<Self::Pages<PAGE_SIZE_2M>>;

    /// The start of every 1G page in the range; `None` if the range is not
    /// 1G-aligned (or is invalid).
    ///
    /// ```
    /// use addr_types::{gpa, gpa_range, AddrRangeExt};
    ///
    /// let pages: Vec<_> = gpa_range!(0x4000_0000..0x8000_0000).pages_1g().unwrap().collect();
    /// assert_eq!(pages, [gpa!(0x4000_0000)]);
    /// assert!(gpa_range!(0x4000_0000..0x8020_0000).pages_1g().is_none());
    /// ```
    #[must_use]
    fn pages_1g(self) -> Option<Self::Pages<PAGE_SIZE_1G>>;

    /// The addresses in both ranges, as a non-empty range; `None` if they
    /// share none.
    ///
    /// Touching ranges (`a.end == b.start`) share no address, and neither
    /// does an empty or invalid range with any other.
    ///
    /// ```
    /// use addr_types::{gpa_range, AddrRangeExt};
    ///
    /// let ram = gpa_range!(0x8000_0000..0x9000_0000);
    /// let request = gpa_range!(0x8fff_f000..0x9000_1000);
    /// assert_eq!(ram.intersection(request), Some(gpa_range!(0x8fff_f000..0x9000_0000)));
    /// assert_eq!(ram.intersection(gpa_range!(0x9000_0000..0x9000_1000)), None);
    /// ```
    #[must_use]
    fn intersection(self, other: Self) -> Option<Self>;

    /// Whether no address lies in both ranges:
    /// `self.intersection(other).is_none()`.
    ///
    /// Unlike `!self.overlaps(other)`, this holds for an empty range inside
    /// another: memory_addr's `overlaps` compares ends only, and reports
    /// `0x1800..0x1800` as overlapping `0x1000..0x2000` although they share no
    /// address.
    ///
    /// ```
    /// use addr_types::{gva_range, AddrRangeExt};
    ///
    /// let code = gva_range!(0x1000..0x2000);
    /// assert!(code.is_disjoint(gva_range!(0x2000..0x3000)));
    /// assert!(!code.is_disjoint(gva_range!(0x1fff..0x3000)));
    /// assert!(code.is_disjoint(gva_range!(0x1800..0x1800)));
    /// ```
    #[must_use]
    fn is_disjoint(self, other: Self) -> bool;
}

// `pub(crate)` so that `__private` can bound on it; the trait itself is
// public but unnameable outside the crate: the sealed-trait pattern.
pub(crate) mod sealed {
    pub trait Sealed {
        /// `[start, end)` of the range type: what `gpa_range!` builds, for
        /// whichever generation it names.
        fn from_ends(start: usize, end: usize) -> Self;

        /// The range's `(start, end)` as written, valid or not: what the
        /// per-VM range flushes read, whichever generation the range is of.
        fn to_ends(self) -> (usize, usize);
    }
}

/// `AddrRangeExt` for one generation's `AddrRange`: the code is the same for
/// every generation, only the crate that defines the range differs.
#[allow(unused_macros)] // With no generation enabled.
macro_rules! impl_range_ext {
    ($backend:ident) => {
        impl<A> sealed::Sealed for ::$backend::AddrRange<A>
        where
            A: ::$backend::MemoryAddr,
        {
            #[inline]
            fn from_ends(start: usize, end: usize) -> Self {
                Self {
                    start: A::from(start),
                    end: A::from(end),
                }
            }

            #[inline]
            fn to_ends(self) -> (usize, usize) {
                (self.start.into(), self.end.into())
            }
        }

        impl<A> AddrRangeExt for ::$backend::AddrRange<A>
        where
            A: ::$backend::MemoryAddr,
        {
            type Addr = A;
            type Pages<const PAGE_SIZE: usize> = ::$backend::PageIter<PAGE_SIZE, A>;

            #[inline]
            fn is_aligned<U: Into<usize>>(self, align: U) -> Option<bool> {
                let mask = alignment_mask(align.into())?;
                let (start, end) = ends(self.start, self.end)?;
                Some(((start | end) & mask) == 0)
            }

            #[inline]
            fn is_aligned_4k(self) -> bool {
                ((self.start.into() | self.end.into()) & (PAGE_SIZE_4K - 1)) == 0
            }

            #[inline]
            fn align_outward<U: Into<usize>>(self, align: U) -> Option<Self> {
                let mask = alignment_mask(align.into())?;
                let (start, end) = ends(self.start, self.end)?;
                // Rounding up by adding the mask overflows exactly when the
                // rounded end would be past usize::MAX (memory_addr's
                // `align_up` panics there in debug builds and wraps to 0 in
                // release builds).
                let end = end.checked_add(mask)? & !mask;
                Some(sealed::Sealed::from_ends(start & !mask, end))
            }

            #[inline]
            fn align_outward_4k(self) -> Option<Self> {
                self.align_outward(PAGE_SIZE_4K)
            }

            #[inline]
            fn align_inward<U: Into<usize>>(self, align: U) -> Option<Self> {
                let mask = alignment_mask(align.into())?;
                let (start, end) = ends(self.start, self.end)?;
                // An overflow here means that start is above the last aligned
                // address, so no aligned address lies in [start, end] either.
                let start = start.checked_add(mask)? & !mask;
                let end = end & !mask;
                (start <= end).then(|| sealed::Sealed::from_ends(start, end))
            }

            #[inline]
            fn align_inward_4k(self) -> Option<Self> {
                self.align_inward(PAGE_SIZE_4K)
            }

            #[inline]
            fn pages<const PAGE_SIZE: usize>(self) -> Option<Self::Pages<PAGE_SIZE>> {
                // PageIter::new checks the page size and both ends, but not
                // their order; an invalid range would otherwise yield no
                // page silently.
                ends(self.start, self.end)?;
                ::$backend::PageIter::new(self.start, self.end)
            }

            #[inline]
            fn pages_4k(self) -> Option<Self::Pages<PAGE_SIZE_4K>> {
                self.pages::<PAGE_SIZE_4K>()
            }

            #[inline]
            fn pages_2m(self) -> Option<Self::Pages<PAGE_SIZE_2M>> {
                self.pages::<PAGE_SIZE_2M>()
            }

            #[inline]
            fn pages_1g(self) -> Option<Self::Pages<PAGE_SIZE_1G>> {
                self.pages::<PAGE_SIZE_1G>()
            }

            #[inline]
            fn intersection(self, other: Self) -> Option<Self> {
                let start = self.start.into().max(other.start.into());
                let end = self.end.into().min(other.end.into());
                // An empty or invalid input makes start >= end here, since
                // its own start and end bound the result's.
                (start < end).then(|| sealed::Sealed::from_ends(start, end))
            }

            #[inline]
            fn is_disjoint(self, other: Self) -> bool {
                self.intersection(other).is_none()
            }
        }
    };
}

#[cfg(feature = "ax-memory-addr-07")]
impl_range_ext!(ax_memory_addr);
#[cfg(feature = "ax-memory-addr-06")]
impl_range_ext!(ax_memory_addr_06);
#[cfg(feature = "memory-addr-04")]
impl_range_ext!(memory_addr);

#[allow(dead_code)] // Unused when no generation is enabled.
#[inline]
fn alignment_mask(align: usize) -> Option<usize> {
    align.is_power_of_two().then(|| align - 1)
}

#[allow(dead_code)] // Unused when no generation is enabled.
#[inline]
fn ends<A: Into<usize>>(start: A, end: A) -> Option<(usize, usize)> {
    let (start, end) = (start.into(), end.into());
    (start <= end).then_some((start, end))
}
