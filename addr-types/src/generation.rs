//! What each generation module holds: the same names, bound to that
//! generation's crates. One macro, so the generations cannot drift apart.

/// The items of a generation module, given its memory_addr crate and its
/// name as docs print it.
macro_rules! generation_items {
    ($backend:ident, $crate_name:literal) => {
        pub use crate::{AddrRangeExt, FlushTlb, GuestPhysAddr, GuestVirtAddr};
        pub use crate::{PAGE_SIZE_1G, PAGE_SIZE_2M, PAGE_SIZE_4K};
        pub use $backend::{
            AddrRange, MemoryAddr, PageIter, PageIter1G, PageIter2M, PageIter4K, PhysAddr, VirtAddr,
        };

        #[doc = concat!("Host virtual address: ", $crate_name, "'s [`VirtAddr`], so it goes")]
        /// straight into the page tables and address spaces of this generation.
        pub type HostVirtAddr = VirtAddr;

        #[doc = concat!("Host physical address: ", $crate_name, "'s [`PhysAddr`], so it goes")]
        /// straight into the page-table entries of this generation.
        pub type HostPhysAddr = PhysAddr;

        /// A range of [`GuestVirtAddr`]s, `[start, end)`.
        pub type GuestVirtAddrRange = AddrRange<GuestVirtAddr>;

        /// A range of [`GuestPhysAddr`]s, `[start, end)`.
        pub type GuestPhysAddrRange = AddrRange<GuestPhysAddr>;

        /// A range of [`HostVirtAddr`]s, `[start, end)`.
        pub type HostVirtAddrRange = AddrRange<HostVirtAddr>;

        /// A range of [`HostPhysAddr`]s, `[start, end)`.
        pub type HostPhysAddrRange = AddrRange<HostPhysAddr>;

        /// `use …::prelude::*;`: the four address types, their ranges and the
        /// traits whose methods they need.
        pub mod prelude {
            pub use super::{
                AddrRangeExt, GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange,
                HostPhysAddr, HostPhysAddrRange, HostVirtAddr, HostVirtAddrRange, MemoryAddr,
            };
        }
    };
}

pub(crate) use generation_items;
