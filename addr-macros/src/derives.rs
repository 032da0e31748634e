//! The traits the expansion derives: each with the `core` module it lives
//! in and the stub the fallback implements when the item cannot derive it.
//! (The traits it implements by hand are `generate::trait_impls`.)

use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A derived trait.
pub(crate) struct Derive {
    /// The module under `core`.
    pub module: &'static str,
    pub name: &'static str,
    /// Its impl for `#ty` with diverging bodies (see [`crate::fallback`]);
    /// `None` for `Copy`, which cannot be stubbed for an item whose fields
    /// are not `Copy`.
    pub stub: Option<fn(&Ident) -> TokenStream>,
}

pub(crate) const DERIVES: &[Derive] = &[
    Derive {
        module: "clone",
        name: "Clone",
        stub: Some(|ty| {
            quote! {
                impl ::core::clone::Clone for #ty {
                    fn clone(&self) -> Self { ::core::unreachable!() }
                }
            }
        }),
    },
    Derive {
        module: "marker",
        name: "Copy",
        stub: None,
    },
    Derive {
        module: "default",
        name: "Default",
        stub: Some(|ty| {
            quote! {
                impl ::core::default::Default for #ty {
                    fn default() -> Self { ::core::unreachable!() }
                }
            }
        }),
    },
    Derive {
        module: "cmp",
        name: "PartialEq",
        stub: Some(|ty| {
            quote! {
                impl ::core::cmp::PartialEq for #ty {
                    fn eq(&self, _: &Self) -> ::core::primitive::bool { ::core::unreachable!() }
                }
            }
        }),
    },
    Derive {
        module: "cmp",
        name: "Eq",
        stub: Some(|ty| quote!(impl ::core::cmp::Eq for #ty {})),
    },
    Derive {
        module: "cmp",
        name: "PartialOrd",
        stub: Some(|ty| {
            quote! {
                impl ::core::cmp::PartialOrd for #ty {
                    fn partial_cmp(&self, _: &Self) -> ::core::option::Option<::core::cmp::Ordering> {
                        ::core::unreachable!()
                    }
                }
            }
        }),
    },
    Derive {
        module: "cmp",
        name: "Ord",
        stub: Some(|ty| {
            quote! {
                impl ::core::cmp::Ord for #ty {
                    fn cmp(&self, _: &Self) -> ::core::cmp::Ordering { ::core::unreachable!() }
                }
            }
        }),
    },
    Derive {
        module: "hash",
        name: "Hash",
        stub: Some(|ty| {
            quote! {
                impl ::core::hash::Hash for #ty {
                    fn hash<H: ::core::hash::Hasher>(&self, _: &mut H) { ::core::unreachable!() }
                }
            }
        }),
    },
];
