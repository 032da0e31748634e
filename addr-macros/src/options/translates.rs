//! The values of `translates = "…"`: what an address is the input of, by
//! the name addr-types gives it (`addr_types::__private::Translation`, whose
//! variants are the ones below) and every other name it goes by.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

super::value_enum! {
    /// Which translation an address is the input of, and so which TLB
    /// entries `FlushTlb::flush_tlb` invalidates: addr-types'
    /// `Translation`, variant for variant.
    Translation { GuestPhysical, GuestVirtual, HostVirtual }
}

/// Everything one translation is called.
pub(crate) struct TranslationNames {
    /// The value of `translates = "…"`.
    pub value: &'static str,
    /// The variant of addr-types' `Translation`.
    pub variant: &'static str,
    /// The RISC-V fence that invalidates it, recognised as a mistaken value.
    pub fence: &'static str,
    /// What translates such an address, for messages.
    pub stage: &'static str,
}

impl Translation {
    pub(crate) const fn names(self) -> TranslationNames {
        match self {
            Self::GuestPhysical => TranslationNames {
                value: "guest-physical",
                variant: "GuestPhysical",
                fence: "hfence.gvma",
                stage: "the nested (G-stage, EPT, stage-2) page tables",
            },
            Self::GuestVirtual => TranslationNames {
                value: "guest-virtual",
                variant: "GuestVirtual",
                fence: "hfence.vvma",
                stage: "the guest's own (VS-stage) page tables",
            },
            Self::HostVirtual => TranslationNames {
                value: "host-virtual",
                variant: "HostVirtual",
                fence: "sfence.vma",
                stage: "the host's page tables",
            },
        }
    }

    pub(crate) fn from_value(value: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|translation| translation.names().value == value)
    }

    pub(crate) fn from_fence(fence: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|translation| translation.names().fence == fence)
    }

    pub(crate) fn values() -> Vec<&'static str> {
        Self::ALL
            .iter()
            .map(|translation| translation.names().value)
            .collect()
    }

    /// `Translates` (hence `FlushTlb`), and the riscv64 `SvVirtAddr` of
    /// every page-table generation addr-types was built with: addr-types'
    /// `impl_translates!` knows its own features and target, which the
    /// macro cannot see. `addr` names the parameter those impls bind.
    pub(crate) fn impls(self, ty: &Ident, runtime: &TokenStream, addr: &Ident) -> TokenStream {
        let variant = Ident::new(self.names().variant, Span::call_site());
        quote!(#runtime::impl_translates!(#ty, #variant, #addr);)
    }
}

#[cfg(test)]
mod tests {
    use super::Translation;

    #[test]
    fn every_value_and_fence_round_trips() {
        for &translation in Translation::ALL {
            let names = translation.names();
            assert_eq!(Translation::from_value(names.value), Some(translation));
            assert_eq!(Translation::from_fence(names.fence), Some(translation));
            assert_eq!(names.variant.to_lowercase(), names.value.replace('-', ""));
            assert_eq!(format!("{translation:?}"), names.variant);
        }
        assert_eq!(Translation::from_value("Guest-Physical"), None);
        assert_eq!(Translation::from_fence("hfence_gvma"), None);
    }

    /// The variants are addr-types' `Translation`'s, in its order.
    #[test]
    fn the_variants_are_addr_types_own() {
        let source = include_str!("../../../addr-types/src/arch/mod.rs");
        let body = source
            .split("pub enum Translation {")
            .nth(1)
            .and_then(|rest| rest.split('}').next())
            .expect("addr-types declares `pub enum Translation`");
        let variants: Vec<&str> = body
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("//"))
            .map(|line| line.trim_end_matches(','))
            .collect();
        let ours: Vec<&str> = Translation::ALL
            .iter()
            .map(|translation| translation.names().variant)
            .collect();
        assert_eq!(variants, ours);
    }
}
