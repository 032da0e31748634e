//! What an address is the input of: the `translates = "…"` option, one row
//! per kind with everything that names it (the option value, the variant of
//! addr-types' `Translation`, and the RISC-V fence of the retired
//! `riscv_fence` option).

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Which translation an address is the input of, and so which TLB entries
/// `FlushTlb::flush_tlb` invalidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AddressKind {
    GuestPhysical,
    GuestVirtual,
    HostVirtual,
}

/// One address kind and every name it goes by.
pub(crate) struct KindRow {
    pub kind: AddressKind,
    /// The value of `translates = "…"`.
    pub name: &'static str,
    /// The variant of addr-types' `__private::Translation`.
    pub arm: &'static str,
    /// The RISC-V fence that invalidates it: the old `riscv_fence` value.
    pub fence: &'static str,
    /// The translation, for messages and docs.
    pub stage: &'static str,
}

pub(crate) const KINDS: &[KindRow] = &[
    KindRow {
        kind: AddressKind::GuestPhysical,
        name: "guest-physical",
        arm: "GuestPhysical",
        fence: "hfence.gvma",
        stage: "the nested (G-stage, EPT, stage-2) page tables",
    },
    KindRow {
        kind: AddressKind::GuestVirtual,
        name: "guest-virtual",
        arm: "GuestVirtual",
        fence: "hfence.vvma",
        stage: "the guest's own (VS-stage) page tables",
    },
    KindRow {
        kind: AddressKind::HostVirtual,
        name: "host-virtual",
        arm: "HostVirtual",
        fence: "sfence.vma",
        stage: "the host's page tables",
    },
];

impl AddressKind {
    pub(crate) fn row(self) -> &'static KindRow {
        KINDS
            .iter()
            .find(|row| row.kind == self)
            .unwrap_or(&KINDS[0])
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        KINDS
            .iter()
            .find(|row| row.name == name)
            .map(|row| row.kind)
    }

    pub(crate) fn from_fence(fence: &str) -> Option<Self> {
        KINDS
            .iter()
            .find(|row| row.fence == fence)
            .map(|row| row.kind)
    }

    pub(crate) fn names() -> Vec<&'static str> {
        KINDS.iter().map(|row| row.name).collect()
    }

    /// `Translates` (hence `FlushTlb`), and the riscv64 `SvVirtAddr` of
    /// every page-table generation addr-types was built with: addr-types'
    /// `impl_translates!` knows its own features and target, which the
    /// macro cannot see. `addr` names the parameter those impls bind.
    pub(crate) fn impls(self, ty: &Ident, runtime: &TokenStream, addr: &Ident) -> TokenStream {
        let arm = Ident::new(self.row().arm, Span::call_site());
        quote!(#runtime::impl_translates!(#ty, #arm, #addr);)
    }
}

#[cfg(test)]
mod tests {
    use super::{AddressKind, KINDS};

    #[test]
    fn every_name_and_fence_round_trips() {
        for row in KINDS {
            assert_eq!(AddressKind::from_name(row.name), Some(row.kind));
            assert_eq!(AddressKind::from_fence(row.fence), Some(row.kind));
            assert_eq!(row.kind.row().arm.to_lowercase(), row.name.replace('-', ""));
        }
        assert_eq!(AddressKind::from_name("Guest-Physical"), None);
        assert_eq!(AddressKind::from_fence("hfence_gvma"), None);
    }
}
