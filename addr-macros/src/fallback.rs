//! What is emitted beside an error about an item that is no one-field tuple
//! struct (an enum, named fields, …): the item plus stubs of the API, so
//! uses elsewhere in the crate type-check and the user sees the one error
//! that matters instead of "no function named `from_usize`".

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::{DeriveInput, LitStr};

use crate::expand::{self, Bodies};

/// The item, the generated API with diverging bodies (the item has no
/// `usize` field to work on), and stub impls of the derived traits the user
/// does not derive. `Copy` is left out: it cannot be stubbed for an item
/// whose fields are not `Copy`.
pub(crate) fn stubs(
    item: &DeriveInput,
    user_derives: &[String],
    runtime: &TokenStream,
) -> TokenStream {
    let ident = &item.ident;
    let prefix = LitStr::new(&ident.unraw().to_string(), ident.span());
    let mut tokens = item.to_token_stream();
    tokens.extend(expand::conversions(ident, runtime, Bodies::Stub));
    tokens.extend(expand::arithmetic(ident, Bodies::Stub));
    tokens.extend(expand::formatting(ident, &prefix, runtime, Bodies::Stub));
    let unreachable = quote!(::core::unreachable!());
    let derived = [
        (
            "Clone",
            quote! {
                impl ::core::clone::Clone for #ident {
                    fn clone(&self) -> Self { #unreachable }
                }
            },
        ),
        (
            "Default",
            quote! {
                impl ::core::default::Default for #ident {
                    fn default() -> Self { #unreachable }
                }
            },
        ),
        (
            "PartialEq",
            quote! {
                impl ::core::cmp::PartialEq for #ident {
                    fn eq(&self, other: &Self) -> ::core::primitive::bool { #unreachable }
                }
            },
        ),
        (
            "Eq",
            quote! {
                impl ::core::cmp::Eq for #ident {}
            },
        ),
        (
            "PartialOrd",
            quote! {
                impl ::core::cmp::PartialOrd for #ident {
                    fn partial_cmp(&self, other: &Self) -> ::core::option::Option<::core::cmp::Ordering> { #unreachable }
                }
            },
        ),
        (
            "Ord",
            quote! {
                impl ::core::cmp::Ord for #ident {
                    fn cmp(&self, other: &Self) -> ::core::cmp::Ordering { #unreachable }
                }
            },
        ),
        (
            "Hash",
            quote! {
                impl ::core::hash::Hash for #ident {
                    fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) { #unreachable }
                }
            },
        ),
    ];
    for (name, stub) in derived {
        if !user_derives.iter().any(|user| user == name) {
            tokens.extend(quote!(#[allow(unused_variables)] #stub));
        }
    }
    tokens
}
