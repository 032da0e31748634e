//! `From<usize>` and `From<Self> for usize` (which make memory_addr's
//! blanket `MemoryAddr` impl apply), `TryFrom<u64>` and `FromStr`.

use quote::quote;

use super::{bound, Api, TraitImpl};

pub(super) const IMPLS: &[TraitImpl] = &[
    TraitImpl {
        derive: "From",
        what: "`From<usize>`",
        generate: |api| {
            let Api { ident, .. } = api;
            let (lint, addr) = (api.lint(), bound("addr"));
            let body = api.body(quote!(Self(#addr)));
            quote! {
                #lint
                #[automatically_derived]
                impl ::core::convert::From<::core::primitive::usize> for #ident {
                    #[inline]
                    fn from(#addr: ::core::primitive::usize) -> Self {
                        #body
                    }
                }
            }
        },
    },
    TraitImpl {
        derive: "Into",
        what: "`From<Self> for usize`",
        generate: |api| {
            let Api { ident, .. } = api;
            let (lint, addr) = (api.lint(), bound("addr"));
            let body = api.body(quote!(#addr.0));
            quote! {
                #lint
                #[automatically_derived]
                impl ::core::convert::From<#ident> for ::core::primitive::usize {
                    #[inline]
                    fn from(#addr: #ident) -> Self {
                        #body
                    }
                }
            }
        },
    },
    TraitImpl {
        derive: "TryFrom",
        what: "`TryFrom<u64>`",
        generate: |api| {
            let Api { ident, .. } = api;
            let (lint, value) = (api.lint(), bound("value"));
            let (usize, u64) = (
                quote!(::core::primitive::usize),
                quote!(::core::primitive::u64),
            );
            let body = api.body(quote! {
                ::core::result::Result::map(<#usize as ::core::convert::TryFrom<#u64>>::try_from(#value), Self)
            });
            quote! {
                #lint
                #[automatically_derived]
                impl ::core::convert::TryFrom<#u64> for #ident {
                    type Error = ::core::num::TryFromIntError;
                    #[inline]
                    fn try_from(#value: #u64) -> ::core::result::Result<Self, Self::Error> {
                        #body
                    }
                }
            }
        },
    },
    TraitImpl {
        derive: "FromStr",
        what: "reading `0x…` hex or decimal",
        generate: |api| {
            let Api { ident, runtime, .. } = api;
            let (lint, text) = (api.lint(), bound("text"));
            let body =
                api.body(quote!(::core::result::Result::map(#runtime::parse_addr(#text), Self)));
            quote! {
                #lint
                #[automatically_derived]
                impl ::core::str::FromStr for #ident {
                    type Err = #runtime::ParseAddrError;
                    #[inline]
                    fn from_str(#text: &::core::primitive::str) -> ::core::result::Result<Self, Self::Err> {
                        #body
                    }
                }
            }
        },
    },
];
