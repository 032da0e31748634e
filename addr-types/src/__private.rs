//! What the `#[address]` expansion and the shorthand macros name: re-exports
//! only, each item defined in the module whose job it is, but for
//! [`range_alias`], the macros that know which generation features are on. Not a public API:
//! names and signatures may change in any release.

pub use crate::arch::{Translates, Translation};
pub use crate::arithmetic::{
    add, align_down_4k, align_offset_4k, align_up_4k, is_aligned_4k, sub, sub_addr, usize_to_u64,
};
pub use crate::fmt::{fmt_display, fmt_lower_hex, fmt_upper_hex};
pub use crate::parse::{parse_addr, ParseAddrError};
pub use crate::{
    __impl_serde as impl_serde, __impl_sv_virt_addr_04 as impl_sv_virt_addr_04,
    __impl_sv_virt_addr_07 as impl_sv_virt_addr_07, __impl_translates as impl_translates,
};

#[cfg(feature = "serde")]
pub use crate::serde_repr::{deserialize_addr, serialize_addr};
#[cfg(feature = "serde")]
pub use ::serde;

/// What a `range =` alias of this generation names, the bodies of its range
/// macros, and on riscv64 the `SvVirtAddr` trait its page tables take.
#[cfg(feature = "ax-memory-addr-07")]
pub mod ax_memory_addr_07 {
    #[cfg(target_arch = "riscv64")]
    pub use ax_page_table_multiarch::riscv::SvVirtAddr;

    pub use crate::ax_memory_addr_07::{
        __gpa_range as gpa_range, __gva_range as gva_range, AddrRange,
    };
}

/// As [`ax_memory_addr_07`], for the seed era.
#[cfg(feature = "memory-addr-04")]
pub mod memory_addr_04 {
    #[cfg(target_arch = "riscv64")]
    pub use page_table_multiarch::riscv::SvVirtAddr;

    pub use crate::memory_addr_04::{
        __gpa_range as gpa_range, __gva_range as gva_range, AddrRange,
    };
}

/// `range_alias::<generation module>! { #[doc] vis type R = Ty, "…" }`, one
/// macro per generation: what a `#[address(range = R)]` alias of that
/// generation expands to. With the generation's feature on, the alias of
/// its public module's `AddrRange`; with it off, the `compile_error!` the
/// expansion hands over, which says what to write: only addr-types knows
/// which of its features are on, and the macro must not guess (the default
/// generation never depends on them).
pub mod range_alias {
    pub use crate::{
        __range_alias_ax_memory_addr_06 as ax_memory_addr_06,
        __range_alias_ax_memory_addr_07 as ax_memory_addr_07,
        __range_alias_memory_addr_04 as memory_addr_04,
    };

    #[cfg(feature = "ax-memory-addr-07")]
    #[doc(hidden)]
    #[macro_export]
    macro_rules! __range_alias_ax_memory_addr_07 {
        ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
            $(#[$attr])* $vis type $alias = $crate::ax_memory_addr_07::AddrRange<$ty>;
        };
    }

    #[cfg(not(feature = "ax-memory-addr-07"))]
    #[doc(hidden)]
    #[macro_export]
    macro_rules! __range_alias_ax_memory_addr_07 {
        ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
            ::core::compile_error! { $feature_off }
        };
    }

    // The generation of ax-memory-addr 0.6 comes with its feature from a
    // parallel change; until both are merged the feature is unknown here.
    #[allow(unexpected_cfgs)]
    mod ax_memory_addr_06 {
        #[cfg(feature = "ax-memory-addr-06")]
        #[doc(hidden)]
        #[macro_export]
        macro_rules! __range_alias_ax_memory_addr_06 {
            ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
                $(#[$attr])* $vis type $alias = $crate::ax_memory_addr_06::AddrRange<$ty>;
            };
        }

        #[cfg(not(feature = "ax-memory-addr-06"))]
        #[doc(hidden)]
        #[macro_export]
        macro_rules! __range_alias_ax_memory_addr_06 {
            ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
                ::core::compile_error! { $feature_off }
            };
        }
    }

    #[cfg(feature = "memory-addr-04")]
    #[doc(hidden)]
    #[macro_export]
    macro_rules! __range_alias_memory_addr_04 {
        ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
            $(#[$attr])* $vis type $alias = $crate::memory_addr_04::AddrRange<$ty>;
        };
    }

    #[cfg(not(feature = "memory-addr-04"))]
    #[doc(hidden)]
    #[macro_export]
    macro_rules! __range_alias_memory_addr_04 {
        ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
            ::core::compile_error! { $feature_off }
        };
    }
}
