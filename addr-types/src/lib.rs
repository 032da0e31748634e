// The README is the crate documentation, so its examples are doctests.
// `addr-types/README.md` is a symlink to the workspace's: `cargo package`
// copies the file, so the path also resolves in the published crate.
#![doc = include_str!("../README.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Module map, one job per file (tests/tests/layout.rs checks that it names
// every file of src/, and no other):
//
// - `lib.rs`: the guest types, the top-level names (the default
//   generation's, through one alias), the page sizes, the shorthand macros.
// - `__private.rs`: re-exports only, exactly what the `#[address]` expansion
//   and the shorthand macros name.
// - `arch/mod.rs`: `FlushTlb`, `Translation`, and `plan_range_flush`, the
//   one definition of what a range flush invalidates.
// - `default_generation_off.rs`: in a build without the default generation,
//   its top-level names as errors that name the module to write instead.
// - `arch/riscv.rs`, `arch/aarch64.rs`, `arch/x86_64.rs`: each
//   architecture's invalidations, what `FlushTlb` runs there, and the only
//   `unsafe` of the crate.
// - `arithmetic.rs`: the `const` bodies of the generated inherent methods.
// - `fmt.rs`: how every address type prints (`Display`, `Debug`, hex).
// - `parse.rs`: the `FromStr` grammar, also read by serde.
// - `range.rs`: `AddrRangeExt`.
// - `range_alias.rs`: the `range = R` alias of `#[address]`, per
//   generation, or the error that says which feature is off.
// - `serde_repr.rs`: the serde core of every address type, `impl_serde!`.
// - `serde_field.rs`: the `#[serde(with = …)]` modules for what serde impls
//   cannot reach: the host aliases, every `AddrRange`, their `Option`s.
// - `generation.rs`: what each generation module holds, one macro for all.
// - `ax_memory_addr_07.rs`, `ax_memory_addr_06.rs`, `memory_addr_04.rs`: the
//   three generations.

// Lets the expansion's default `::addr_types::__private` path resolve inside
// this crate too.
extern crate self as addr_types;

#[doc(hidden)]
pub mod __private;
pub mod arch;
mod arithmetic;
#[cfg(feature = "ax-memory-addr-06")]
#[cfg_attr(docsrs, doc(cfg(feature = "ax-memory-addr-06")))]
pub mod ax_memory_addr_06;
#[cfg(feature = "ax-memory-addr-07")]
#[cfg_attr(docsrs, doc(cfg(feature = "ax-memory-addr-07")))]
pub mod ax_memory_addr_07;
mod fmt;
#[cfg(any(
    feature = "ax-memory-addr-07",
    feature = "ax-memory-addr-06",
    feature = "memory-addr-04"
))]
mod generation;
mod parse;
mod range;
mod range_alias;
// Not `addr_types::serde` (nor `serde_with`): with `use addr_types::*;`, a
// module named like a crate would make every path through that crate
// ambiguous in the user's module, and only when the feature is on.
#[cfg(feature = "memory-addr-04")]
#[cfg_attr(docsrs, doc(cfg(feature = "memory-addr-04")))]
pub mod memory_addr_04;
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod serde_field;
mod serde_repr;

pub use addr_macros::address;
pub use arch::FlushTlb;
pub use fmt::HexAddr;
pub use parse::{parse_addr, ParseAddrError};
pub use range::AddrRangeExt;

// The default generation, named here once: the top-level names, the
// prelude and the shorthand macros' default arms go through this alias.
// Its feature is the one Cargo.toml enables by default, and addr-macros'
// default (checked in addr-macros, which keeps the list of generations).
#[cfg(feature = "ax-memory-addr-07")]
#[doc(hidden)]
pub use ax_memory_addr_07 as default_generation;

// The top-level names are the default generation's, and only its: a crate
// that asks for another generation names its module, so enabling the
// default elsewhere in the build never changes what that crate means.
#[cfg(feature = "ax-memory-addr-07")]
pub use default_generation::{
    AddrRange, GuestPhysAddrRange, GuestVirtAddrRange, HostPhysAddr, HostPhysAddrRange,
    HostVirtAddr, HostVirtAddrRange, MemoryAddr, PageIter, PageIter1G, PageIter2M, PageIter4K,
    PhysAddr, VirtAddr,
};

/// The size of a 4K page (4096 bytes), as in every generation of memory_addr.
pub const PAGE_SIZE_4K: usize = 0x1000;
/// The size of a 2M page, as in every generation of memory_addr.
pub const PAGE_SIZE_2M: usize = 0x20_0000;
/// The size of a 1G page, as in every generation of memory_addr.
pub const PAGE_SIZE_1G: usize = 0x4000_0000;

/// Guest virtual address: what the guest's own page tables translate
/// (VS-stage) into a [`GuestPhysAddr`].
///
/// Made by [`address`]: see the README for everything it generates. With the
/// `serde` feature it is a `"0xffffffc080200000"` string in human-readable
/// formats (an integer in binary ones), and reads from an integer or a
/// `"0xffff_ffc0_8020_0000"`-style string.
///
/// ```
/// use addr_types::{gva, GuestVirtAddr, MemoryAddr};
///
/// let entry = gva!(0x8020_0abc);
/// assert_eq!(entry.align_down_4k(), gva!(0x8020_0000));
/// assert_eq!(entry.align_offset_4k(), 0xabc);
/// assert_eq!(format!("{entry:?}"), "GVA:0x80200abc");
/// assert_eq!(entry.checked_add(usize::MAX), None);
/// let user: GuestVirtAddr = 0x1000.into();
/// assert_eq!(entry - user, 0x801f_fabc);
/// ```
#[address(prefix = "GVA", translates = "guest-virtual")]
pub struct GuestVirtAddr(usize);

// The guest types' serde impls follow the feature; `#[address(serde)]`
// would make the feature mandatory.
#[cfg(feature = "serde")]
__private::impl_serde!(GuestVirtAddr, serde, serializer, deserializer);
#[cfg(feature = "serde")]
__private::impl_serde!(GuestPhysAddr, serde, serializer, deserializer);

/// Guest physical address: what the hypervisor's nested page tables translate
/// (G-stage, EPT, stage 2) into a [`HostPhysAddr`].
///
/// Made by [`address`]: see the README for everything it generates. With the
/// `serde` feature it is a `"0x80000000"` string in human-readable formats
/// (an integer in binary ones), and reads from an integer or a
/// `"0x8000_0000"`-style string.
///
/// ```
/// use addr_types::{gpa, GuestPhysAddr, GuestPhysAddrRange, MemoryAddr};
///
/// const RAM_BASE: GuestPhysAddr = gpa!(0x8000_0000);
/// let ram = GuestPhysAddrRange::from_start_size(RAM_BASE, 0x800_0000);
/// let dtb = RAM_BASE + 0x7e0_0000;
/// assert!(ram.contains(dtb) && dtb.is_aligned(0x20_0000usize));
/// assert_eq!(format!("{dtb:x} {dtb:X}"), "GPA:0x87e00000 GPA:0x87E00000");
/// assert_eq!(format!("{dtb} {dtb:>14}|"), "0x87e00000     0x87e00000|");
/// assert_eq!("0x87e0_0000".parse::<GuestPhysAddr>(), Ok(dtb));
/// assert_eq!(GuestPhysAddr::try_from(0x87e0_0000u64), Ok(dtb));
/// assert_eq!(dtb.as_u64(), 0x87e0_0000);
/// ```
#[address(prefix = "GPA", translates = "guest-physical")]
pub struct GuestPhysAddr(usize);

/// `use addr_types::prelude::*;`: the default generation's
/// [prelude](ax_memory_addr_07::prelude).
#[cfg(feature = "ax-memory-addr-07")]
pub mod prelude {
    pub use crate::default_generation::prelude::*;
}

// Without the default generation, its top-level names fail where they are
// used, with a message that names the module to use instead.
#[cfg(all(
    not(feature = "ax-memory-addr-07"),
    any(feature = "ax-memory-addr-06", feature = "memory-addr-04"),
    addr_types_diagnostic_namespace
))]
mod default_generation_off;
#[cfg(all(
    not(feature = "ax-memory-addr-07"),
    any(feature = "ax-memory-addr-06", feature = "memory-addr-04"),
    addr_types_diagnostic_namespace
))]
#[doc(hidden)]
pub use default_generation_off::{
    prelude, AddrRange, GuestPhysAddrRange, GuestVirtAddrRange, HostPhysAddr, HostPhysAddrRange,
    HostVirtAddr, HostVirtAddrRange, MemoryAddr, PageIter, PageIter1G, PageIter2M, PageIter4K,
    PhysAddr, VirtAddr,
};

/// Creates a [`GuestPhysAddr`] from a `usize`; usable in `const` items.
///
/// ```
/// const GPA: addr_types::GuestPhysAddr = addr_types::gpa!(0x8000_0000);
/// assert_eq!(GPA.as_usize(), 0x8000_0000);
/// ```
#[macro_export]
macro_rules! gpa {
    ($addr:expr) => {
        $crate::GuestPhysAddr::from_usize($addr)
    };
}

/// Creates a [`GuestVirtAddr`] from a `usize`; usable in `const` items.
///
/// ```
/// const GVA: addr_types::GuestVirtAddr = addr_types::gva!(0xffff_8000);
/// assert_eq!(GVA.as_usize(), 0xffff_8000);
/// ```
#[macro_export]
macro_rules! gva {
    ($addr:expr) => {
        $crate::GuestVirtAddr::from_usize($addr)
    };
}

/// Creates a [`HostPhysAddr`] (memory_addr's `pa!`); usable in `const`
/// items. `hpa!(memory_addr_04; addr)` or `hpa!(ax_memory_addr_06; addr)`
/// names another generation's.
///
/// ```
/// use addr_types::{hpa, HostPhysAddr};
///
/// const ROOT: HostPhysAddr = hpa!(0x8020_0000);
/// assert_eq!(ROOT, ax_memory_addr::pa!(0x8020_0000));
/// ```
#[cfg(feature = "ax-memory-addr-07")]
#[macro_export]
macro_rules! hpa {
    ($generation:ident; $addr:expr) => {
        $crate::$generation::HostPhysAddr::from_usize($addr)
    };
    ($addr:expr) => {
        $crate::HostPhysAddr::from_usize($addr)
    };
}

/// Creates a [`HostVirtAddr`] (memory_addr's `va!`); usable in `const`
/// items. `hva!(memory_addr_04; addr)` or `hva!(ax_memory_addr_06; addr)`
/// names another generation's.
///
/// ```
/// use addr_types::{hva, HostVirtAddr};
///
/// const KERNEL: HostVirtAddr = hva!(0xc020_0000);
/// assert_eq!(KERNEL, ax_memory_addr::va!(0xc020_0000));
/// ```
#[cfg(feature = "ax-memory-addr-07")]
#[macro_export]
macro_rules! hva {
    ($generation:ident; $addr:expr) => {
        $crate::$generation::HostVirtAddr::from_usize($addr)
    };
    ($addr:expr) => {
        $crate::HostVirtAddr::from_usize($addr)
    };
}

/// Creates a [`GuestPhysAddrRange`] from a `Range<usize>`; usable in
/// `const` items. `gpa_range!(memory_addr_04; range)` (or
/// `ax_memory_addr_06`) names another generation's `AddrRange`.
///
/// # Panics
///
/// If the range's start is greater than its end, as memory_addr's
/// `va_range!` (in a `const` item: a compile error).
///
/// ```
/// use addr_types::{gpa_range, GuestPhysAddrRange};
///
/// const RAM: GuestPhysAddrRange = gpa_range!(0x8000_0000..0x8800_0000);
/// assert_eq!(RAM.size(), 0x800_0000);
/// ```
#[cfg(feature = "ax-memory-addr-07")]
#[macro_export]
macro_rules! gpa_range {
    ($generation:ident; $range:expr) => {
        $crate::$generation::__gpa_range($range)
    };
    ($range:expr) => {
        $crate::default_generation::__gpa_range($range)
    };
}

/// Creates a [`GuestVirtAddrRange`] from a `Range<usize>`; usable in
/// `const` items. `gva_range!(memory_addr_04; range)` (or
/// `ax_memory_addr_06`) names another generation's `AddrRange`.
///
/// # Panics
///
/// If the range's start is greater than its end, as memory_addr's
/// `va_range!` (in a `const` item: a compile error).
///
/// ```
/// let user = addr_types::gva_range!(0x1000..0x2000);
/// assert!(user.contains(addr_types::gva!(0x1fff)));
/// ```
#[cfg(feature = "ax-memory-addr-07")]
#[macro_export]
macro_rules! gva_range {
    ($generation:ident; $range:expr) => {
        $crate::$generation::__gva_range($range)
    };
    ($range:expr) => {
        $crate::default_generation::__gva_range($range)
    };
}

// Without the default generation, the shorthands are the same for the
// generation named, and without one an error that names the generations
// the build has (a separate definition, so that the default generation's
// expansion is the one above, unnested).
#[cfg(not(feature = "ax-memory-addr-07"))]
#[doc(hidden)]
#[macro_export]
macro_rules! hpa {
    ($generation:ident; $addr:expr) => {
        $crate::$generation::HostPhysAddr::from_usize($addr)
    };
    ($addr:expr) => {
        $crate::__default_generation!(hpa)
    };
}

#[cfg(not(feature = "ax-memory-addr-07"))]
#[doc(hidden)]
#[macro_export]
macro_rules! hva {
    ($generation:ident; $addr:expr) => {
        $crate::$generation::HostVirtAddr::from_usize($addr)
    };
    ($addr:expr) => {
        $crate::__default_generation!(hva)
    };
}

#[cfg(not(feature = "ax-memory-addr-07"))]
#[doc(hidden)]
#[macro_export]
macro_rules! gpa_range {
    ($generation:ident; $range:expr) => {
        $crate::$generation::__gpa_range($range)
    };
    ($range:expr) => {
        $crate::__default_generation!(gpa_range)
    };
}

#[cfg(not(feature = "ax-memory-addr-07"))]
#[doc(hidden)]
#[macro_export]
macro_rules! gva_range {
    ($generation:ident; $range:expr) => {
        $crate::$generation::__gva_range($range)
    };
    ($range:expr) => {
        $crate::__default_generation!(gva_range)
    };
}

#[cfg(not(feature = "ax-memory-addr-07"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __default_generation {
    ($shorthand:ident) => {
        ::core::compile_error!(::core::concat!(
            "`",
            ::core::stringify!($shorthand),
            "!` without a generation builds the default ",
            "generation's (feature `ax-memory-addr-07`), and this build has ",
            $crate::__instead_of_the_default_generation!($shorthand)
        ))
    };
}

// The end of `__default_generation`'s message: the generations this build
// has, and what to write with them.
#[cfg(all(feature = "memory-addr-04", not(feature = "ax-memory-addr-06")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __instead_of_the_default_generation {
    ($shorthand:ident) => {
        ::core::concat!(
            "only `memory-addr-04`: write `",
            ::core::stringify!($shorthand),
            "!(memory_addr_04; …)`, or use `addr_types::memory_addr_04::prelude::*`, whose `",
            ::core::stringify!($shorthand),
            "!` builds the seed era's"
        )
    };
}

#[cfg(all(feature = "ax-memory-addr-06", not(feature = "memory-addr-04")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __instead_of_the_default_generation {
    ($shorthand:ident) => {
        ::core::concat!(
            "only `ax-memory-addr-06`: write `", ::core::stringify!($shorthand),
            "!(ax_memory_addr_06; …)`, or use `addr_types::ax_memory_addr_06::prelude::*`, whose `",
            ::core::stringify!($shorthand), "!` builds ax-memory-addr 0.6's"
        )
    };
}

#[cfg(not(any(
    all(feature = "memory-addr-04", not(feature = "ax-memory-addr-06")),
    all(feature = "ax-memory-addr-06", not(feature = "memory-addr-04"))
)))]
#[doc(hidden)]
#[macro_export]
macro_rules! __instead_of_the_default_generation {
    ($shorthand:ident) => {
        ::core::concat!(
            "other generations: name one, as in `",
            ::core::stringify!($shorthand),
            "!(memory_addr_04; …)` or `",
            ::core::stringify!($shorthand),
            "!(ax_memory_addr_06; …)`"
        )
    };
}

// The shorthand macros of the other generations' preludes, which build
// that generation's types: `hpa!` and friends with the generation filled in.
#[doc(hidden)]
#[macro_export]
macro_rules! __hpa_memory_addr_04 {
    ($addr:expr) => {
        $crate::hpa!(memory_addr_04; $addr)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __hva_memory_addr_04 {
    ($addr:expr) => {
        $crate::hva!(memory_addr_04; $addr)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __gpa_range_memory_addr_04 {
    ($range:expr) => {
        $crate::gpa_range!(memory_addr_04; $range)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __gva_range_memory_addr_04 {
    ($range:expr) => {
        $crate::gva_range!(memory_addr_04; $range)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __hpa_ax_memory_addr_06 {
    ($addr:expr) => {
        $crate::hpa!(ax_memory_addr_06; $addr)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __hva_ax_memory_addr_06 {
    ($addr:expr) => {
        $crate::hva!(ax_memory_addr_06; $addr)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __gpa_range_ax_memory_addr_06 {
    ($range:expr) => {
        $crate::gpa_range!(ax_memory_addr_06; $range)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __gva_range_ax_memory_addr_06 {
    ($range:expr) => {
        $crate::gva_range!(ax_memory_addr_06; $range)
    };
}
