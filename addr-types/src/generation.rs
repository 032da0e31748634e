//! What each generation module holds: the same names, bound to that
//! generation's crates. One macro, so the generations cannot drift apart.

/// The items of a generation module, given its memory_addr crate, its name
/// as docs print it, the page-table crates that take its `PhysAddr` and
/// `VirtAddr` as they are, and the shorthand macros that build its types.
macro_rules! generation_items {
    (
        $backend:ident,
        $crate_name:literal,
        $page_tables:literal,
        [$hpa:ident, $hva:ident, $gpa_range:ident, $gva_range:ident]
    ) => {
        pub use crate::{AddrRangeExt, FlushTlb, GuestPhysAddr, GuestVirtAddr};
        pub use crate::{PAGE_SIZE_1G, PAGE_SIZE_2M, PAGE_SIZE_4K};
        pub use $backend::{
            AddrRange, MemoryAddr, PageIter, PageIter1G, PageIter2M, PageIter4K, PhysAddr, VirtAddr,
        };

        #[doc = concat!("Host virtual address: ", $crate_name, "'s [`VirtAddr`], so it goes")]
        #[doc = concat!("unconverted wherever ", $page_tables, " take one, and into any crate built on ", $crate_name, ".")]
        ///
        /// Another generation's is another type: [`HexAddr`](crate::HexAddr)
        /// prints and [`parse_addr`](crate::parse_addr) reads either, and
        /// `HostVirtAddr::from_usize(other.as_usize())` converts.
        pub type HostVirtAddr = VirtAddr;

        #[doc = concat!("Host physical address: ", $crate_name, "'s [`PhysAddr`], so it goes")]
        #[doc = concat!("unconverted wherever ", $page_tables, " take one, and into any crate built on ", $crate_name, ".")]
        ///
        /// Another generation's is another type: [`HexAddr`](crate::HexAddr)
        /// prints and [`parse_addr`](crate::parse_addr) reads either, and
        /// `HostPhysAddr::from_usize(other.as_usize())` converts.
        pub type HostPhysAddr = PhysAddr;

        /// A range of [`GuestVirtAddr`]s, `[start, end)`.
        pub type GuestVirtAddrRange = AddrRange<GuestVirtAddr>;

        /// A range of [`GuestPhysAddr`]s, `[start, end)`.
        pub type GuestPhysAddrRange = AddrRange<GuestPhysAddr>;

        /// A range of [`HostVirtAddr`]s, `[start, end)`.
        pub type HostVirtAddrRange = AddrRange<HostVirtAddr>;

        /// A range of [`HostPhysAddr`]s, `[start, end)`.
        pub type HostPhysAddrRange = AddrRange<HostPhysAddr>;

        /// The body of `gpa_range!`: memory_addr's `va_range!` behaviour,
        /// with its message.
        ///
        /// # Panics
        ///
        /// If `range.start > range.end`.
        #[doc(hidden)]
        #[track_caller]
        #[must_use]
        pub const fn __gpa_range(range: core::ops::Range<usize>) -> GuestPhysAddrRange {
            assert!(
                range.start <= range.end,
                "invalid address range in `gpa_range!`"
            );
            AddrRange {
                start: GuestPhysAddr::from_usize(range.start),
                end: GuestPhysAddr::from_usize(range.end),
            }
        }

        /// The body of `gva_range!`; see [`__gpa_range`].
        ///
        /// # Panics
        ///
        /// If `range.start > range.end`.
        #[doc(hidden)]
        #[track_caller]
        #[must_use]
        pub const fn __gva_range(range: core::ops::Range<usize>) -> GuestVirtAddrRange {
            assert!(
                range.start <= range.end,
                "invalid address range in `gva_range!`"
            );
            AddrRange {
                start: GuestVirtAddr::from_usize(range.start),
                end: GuestVirtAddr::from_usize(range.end),
            }
        }

        /// `use …::prelude::*;`: the four address types, their ranges, the
        /// traits whose methods they need, and the shorthand macros
        /// (`gpa!`, `gva!`, `hpa!`, `hva!`, `gpa_range!`, `gva_range!`) of
        /// this generation.
        pub mod prelude {
            pub use super::{
                AddrRangeExt, FlushTlb, GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr,
                GuestVirtAddrRange, HostPhysAddr, HostPhysAddrRange, HostVirtAddr,
                HostVirtAddrRange, MemoryAddr,
            };
            pub use crate::{gpa, gva};
            pub use crate::{
                $gpa_range as gpa_range, $gva_range as gva_range, $hpa as hpa, $hva as hva,
            };
        }
    };
}

pub(crate) use generation_items;
