//! What the `#[address]` expansion names: re-exports only, each item
//! defined in the module whose job it is. Not a public API: names and
//! signatures may change in any release.

pub use crate::arch::{Translates, Translation};
pub use crate::arithmetic::{
    add, align_down_4k, align_offset_4k, align_up_4k, is_aligned_4k, sub, sub_addr, usize_to_u64,
};
pub use crate::fmt::{fmt_display, fmt_lower_hex, fmt_upper_hex};
pub use crate::parse::{parse_addr, ParseAddrError};
pub use crate::{
    __impl_serde as impl_serde, __impl_sv_virt_addr_04 as impl_sv_virt_addr_04,
    __impl_sv_virt_addr_06 as impl_sv_virt_addr_06, __impl_translates as impl_translates,
};

#[cfg(feature = "serde")]
pub use crate::serde_repr::{deserialize_addr, serialize_addr};
#[cfg(feature = "serde")]
pub use ::serde;

/// On riscv64, the `SvVirtAddr` trait of each generation whose page-table
/// crate has one: what `impl_translates!` implements for the type.
#[cfg(all(feature = "ax-memory-addr-06", target_arch = "riscv64"))]
pub mod ax_memory_addr_06 {
    pub use ax_page_table_multiarch::riscv::SvVirtAddr;
}

/// As [`ax_memory_addr_06`], for the seed era and page_table_multiarch 0.6.
#[cfg(all(feature = "memory-addr-04", target_arch = "riscv64"))]
pub mod memory_addr_04 {
    pub use page_table_multiarch::riscv::SvVirtAddr;
}

/// `range_alias::<generation module>! { #[doc] vis type R = Ty, "…" }`:
/// what a `#[address(range = R)]` alias of that generation expands to
/// (see `crate::range_alias`).
pub mod range_alias {
    pub use crate::{
        __range_alias_ax_memory_addr_06 as ax_memory_addr_06,
        __range_alias_ax_memory_addr_07 as ax_memory_addr_07,
        __range_alias_memory_addr_04 as memory_addr_04,
    };
}
