//! What the `#[address]` expansion and the shorthand macros call. Not a
//! public API: names and signatures may change in any release.

use core::fmt;

pub use memory_addr;
pub use memory_addr::AddrRange;

pub use crate::__impl_serde as impl_serde;

/// Called by every `#[address]` expansion: `Serialize`/`Deserialize` impls
/// with the `serde` feature, nothing without it.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_serde {
    ($ty:ident) => {};
}

/// With the `serde` feature: `Serialize`/`Deserialize` impls whose bodies
/// are one call each into [`serialize_addr`]/[`deserialize_addr`], shared by
/// every address type. serde is named through `$crate`, so the user's crate
/// needs no serde dependency of its own, and a renamed addr-types still
/// resolves.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_serde {
    ($ty:ident) => {
        #[automatically_derived]
        impl $crate::__private::serde::Serialize for $ty {
            #[inline]
            fn serialize<S>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<
                <S as $crate::__private::serde::Serializer>::Ok,
                <S as $crate::__private::serde::Serializer>::Error,
            >
            where
                S: $crate::__private::serde::Serializer,
            {
                $crate::__private::serialize_addr(self.0, serializer)
            }
        }

        #[automatically_derived]
        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            #[inline]
            fn deserialize<D>(
                deserializer: D,
            ) -> ::core::result::Result<
                Self,
                <D as $crate::__private::serde::Deserializer<'de>>::Error,
            >
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                ::core::result::Result::map(
                    $crate::__private::deserialize_addr(deserializer, ::core::stringify!($ty)),
                    Self,
                )
            }
        }
    };
}

#[cfg(feature = "serde")]
pub use crate::serde::{deserialize_addr, serialize_addr};
#[cfg(feature = "serde")]
pub use ::serde;

#[cfg(target_arch = "riscv64")]
pub mod riscv {
    pub use crate::arch::riscv::{
        hfence_gvma, hfence_gvma_all, hfence_vvma, hfence_vvma_all, sfence_vma, sfence_vma_all,
    };
    pub use page_table_multiarch::riscv::SvVirtAddr;
}

/// `Debug` and `LowerHex` of every address type: `PREFIX:0x1abc`, byte for
/// byte what `def_usize_addr_formatter! { T = "PREFIX:{}"; }` prints. One
/// non-generic function for all types keeps the per-type expansion small.
///
/// # Errors
///
/// Only those of the formatter's sink.
pub fn fmt_lower_hex(f: &mut fmt::Formatter<'_>, prefix: &str, addr: usize) -> fmt::Result {
    f.write_fmt(format_args!("{prefix}:{addr:#x}"))
}

/// `UpperHex` of every address type: `PREFIX:0x1ABC`.
///
/// # Errors
///
/// Only those of the formatter's sink.
pub fn fmt_upper_hex(f: &mut fmt::Formatter<'_>, prefix: &str, addr: usize) -> fmt::Result {
    f.write_fmt(format_args!("{prefix}:{addr:#X}"))
}

/// The body of `gpa_range!`/`gva_range!`: memory_addr's `va_range!`
/// behaviour, one non-generic message per macro.
///
/// # Panics
///
/// If `range.start > range.end`.
#[track_caller]
#[must_use]
pub fn range_or_panic<A: memory_addr::MemoryAddr>(
    range: core::ops::Range<usize>,
    macro_name: &str,
) -> AddrRange<A> {
    match AddrRange::try_new(A::from(range.start), A::from(range.end)) {
        Some(range) => range,
        None => panic!("invalid address range in `{macro_name}`"),
    }
}
