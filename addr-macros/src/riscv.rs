//! The `riscv_fence` option: which TLB fence a type's `SvVirtAddr::flush_tlb`
//! executes, and the cfg-gated impl that calls it.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// A RISC-V address-translation fence, named by its mnemonic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FenceKind {
    /// `hfence.gvma`: G-stage (guest-physical → host-physical) entries.
    HfenceGvma,
    /// `hfence.vvma`: VS-stage (guest-virtual → guest-physical) entries.
    HfenceVvma,
    /// `sfence.vma`: the current stage (host-virtual → host-physical) entries.
    SfenceVma,
}

impl FenceKind {
    pub(crate) const MNEMONICS: &'static [&'static str] =
        &["hfence.gvma", "hfence.vvma", "sfence.vma"];

    pub(crate) fn from_mnemonic(mnemonic: &str) -> Option<Self> {
        match mnemonic {
            "hfence.gvma" => Some(Self::HfenceGvma),
            "hfence.vvma" => Some(Self::HfenceVvma),
            "sfence.vma" => Some(Self::SfenceVma),
            _ => None,
        }
    }

    /// The address kind whose invalidation this fence is: the name of the
    /// `__private::flush` function that runs it.
    fn kind(self) -> &'static str {
        match self {
            Self::HfenceGvma => "guest_physical",
            Self::HfenceVvma => "guest_virtual",
            Self::SfenceVma => "host_virtual",
        }
    }
}

/// `FlushTlb` for `#ty`, and the riscv64 `SvVirtAddr` of every page-table
/// generation addr-types was built with: addr-types' `impl_address_kind!`
/// knows its own features, which the macro cannot see.
pub(crate) fn address_kind_impls(
    fence: FenceKind,
    ty: &Ident,
    runtime: &TokenStream,
) -> TokenStream {
    let kind = Ident::new(fence.kind(), Span::call_site());
    quote!(#runtime::impl_address_kind!(#ty, #kind);)
}

#[cfg(test)]
mod tests {
    use super::FenceKind;

    #[test]
    fn every_mnemonic_round_trips() {
        for mnemonic in FenceKind::MNEMONICS {
            assert!(FenceKind::from_mnemonic(mnemonic).is_some(), "{mnemonic}");
        }
        assert_eq!(
            FenceKind::from_mnemonic("hfence.gvma"),
            Some(FenceKind::HfenceGvma)
        );
        assert_eq!(FenceKind::from_mnemonic("HFENCE.GVMA"), None);
        assert_eq!(FenceKind::from_mnemonic("hfence_gvma"), None);
    }
}
