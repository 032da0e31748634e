//! `addr ± usize`, `addr ±= usize` and `addr - addr`, with plain `usize`
//! semantics (overflow checks as the user's profile says), as
//! `def_usize_addr!` has them.

use quote::quote;

use super::{bound, Api, TraitImpl};

pub(super) const IMPLS: &[TraitImpl] = &[
    TraitImpl {
        derive: "Add",
        what: "`addr + usize`",
        generate: |api| {
            let Api { ident, .. } = api;
            let (lint, rhs) = (api.lint(), bound("rhs"));
            let body = api.body(quote!(Self(self.0 + #rhs)));
            quote! {
                #lint
                #[automatically_derived]
                impl ::core::ops::Add<::core::primitive::usize> for #ident {
                    type Output = Self;
                    #[inline]
                    fn add(self, #rhs: ::core::primitive::usize) -> Self {
                        #body
                    }
                }
            }
        },
    },
    TraitImpl {
        derive: "AddAssign",
        what: "`addr += usize`",
        generate: |api| {
            let Api { ident, .. } = api;
            let (lint, rhs) = (api.lint(), bound("rhs"));
            let body = api.body(quote!(self.0 += #rhs;));
            quote! {
                #lint
                #[automatically_derived]
                impl ::core::ops::AddAssign<::core::primitive::usize> for #ident {
                    #[inline]
                    fn add_assign(&mut self, #rhs: ::core::primitive::usize) {
                        #body
                    }
                }
            }
        },
    },
    TraitImpl {
        derive: "Sub",
        what: "`addr - usize` and `addr - addr`",
        generate: |api| {
            let Api { ident, .. } = api;
            let (lint, rhs) = (api.lint(), bound("rhs"));
            let usize = quote!(::core::primitive::usize);
            let sub = api.body(quote!(Self(self.0 - #rhs)));
            let sub_addr = api.body(quote!(self.0 - #rhs.0));
            quote! {
                #lint
                #[automatically_derived]
                impl ::core::ops::Sub<#usize> for #ident {
                    type Output = Self;
                    #[inline]
                    fn sub(self, #rhs: #usize) -> Self {
                        #sub
                    }
                }

                #lint
                #[automatically_derived]
                impl ::core::ops::Sub for #ident {
                    type Output = #usize;
                    #[inline]
                    fn sub(self, #rhs: Self) -> #usize {
                        #sub_addr
                    }
                }
            }
        },
    },
    TraitImpl {
        derive: "SubAssign",
        what: "`addr -= usize`",
        generate: |api| {
            let Api { ident, .. } = api;
            let (lint, rhs) = (api.lint(), bound("rhs"));
            let body = api.body(quote!(self.0 -= #rhs;));
            quote! {
                #lint
                #[automatically_derived]
                impl ::core::ops::SubAssign<::core::primitive::usize> for #ident {
                    #[inline]
                    fn sub_assign(&mut self, #rhs: ::core::primitive::usize) {
                        #body
                    }
                }
            }
        },
    },
];
