//! `Display` prints `0x1abc`, `Debug` and `LowerHex` `PREFIX:0x1abc`,
//! `UpperHex` `PREFIX:0x1ABC`: each a call into one shared non-generic
//! function of addr-types, so no `format_args!` is expanded per type.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::{bound, Api, TraitImpl};

pub(super) const IMPLS: &[TraitImpl] = &[
    TraitImpl {
        derive: "Display",
        what: "printing `0x…`",
        generate: |api| {
            let (runtime, f) = (api.runtime, bound("f"));
            impl_fmt(api, "Display", quote!(#runtime::fmt_display(#f, self.0)))
        },
    },
    TraitImpl {
        derive: "Debug",
        what: "printing `PREFIX:0x…`",
        generate: |api| prefixed(api, "Debug", "fmt_lower_hex"),
    },
    TraitImpl {
        derive: "LowerHex",
        what: "printing `PREFIX:0x…`",
        generate: |api| prefixed(api, "LowerHex", "fmt_lower_hex"),
    },
    TraitImpl {
        derive: "UpperHex",
        what: "printing `PREFIX:0x…` in uppercase",
        generate: |api| prefixed(api, "UpperHex", "fmt_upper_hex"),
    },
];

/// A trait whose `fmt` prints the prefix and the hex digits, by addr-types'
/// `function`.
fn prefixed(api: &Api<'_>, trait_name: &str, function: &str) -> TokenStream {
    let (runtime, prefix, f) = (api.runtime, api.prefix, bound("f"));
    let function = Ident::new(function, Span::call_site());
    impl_fmt(
        api,
        trait_name,
        quote!(#runtime::#function(#f, #prefix, self.0)),
    )
}

/// `impl core::fmt::<trait_name> for Type`, whose `fmt` is `call`.
fn impl_fmt(api: &Api<'_>, trait_name: &str, call: TokenStream) -> TokenStream {
    let ident = api.ident;
    let trait_name = Ident::new(trait_name, Span::call_site());
    let (lint, f) = (api.lint(), bound("f"));
    let body = api.body(call);
    quote! {
        #lint
        #[automatically_derived]
        impl ::core::fmt::#trait_name for #ident {
            #[inline]
            fn fmt(&self, #f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #body
            }
        }
    }
}
