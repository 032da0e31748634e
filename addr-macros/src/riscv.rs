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

    /// Names of addr-types' safe fence functions: (one address, all).
    fn functions(self) -> (&'static str, &'static str) {
        match self {
            Self::HfenceGvma => ("hfence_gvma", "hfence_gvma_all"),
            Self::HfenceVvma => ("hfence_vvma", "hfence_vvma_all"),
            Self::SfenceVma => ("sfence_vma", "sfence_vma_all"),
        }
    }
}

/// `impl SvVirtAddr for #ty`, present only when compiling for riscv64: the
/// trait comes from page_table_multiarch, whose RISC-V page tables exist for
/// 64-bit harts only.
pub(crate) fn sv_virt_addr_impl(
    fence: FenceKind,
    ty: &Ident,
    runtime: &TokenStream,
) -> TokenStream {
    let (one, all) = fence.functions();
    let one = Ident::new(one, Span::call_site());
    let all = Ident::new(all, Span::call_site());
    quote! {
        #[cfg(target_arch = "riscv64")]
        #[automatically_derived]
        impl #runtime::riscv::SvVirtAddr for #ty {
            #[inline]
            fn flush_tlb(vaddr: ::core::option::Option<Self>) {
                match vaddr {
                    ::core::option::Option::Some(vaddr) => #runtime::riscv::#one(vaddr.0),
                    ::core::option::Option::None => #runtime::riscv::#all(),
                }
            }
        }
    }
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
