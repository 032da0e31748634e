//! What is emitted beside an error about an item that is no one-field tuple
//! struct (an enum, named fields, …): the item plus stubs of the API, so
//! uses elsewhere in the crate type-check and the user sees the one error
//! that matters instead of "no function named `from_usize`".

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::DeriveInput;

use crate::derives::DERIVES;
use crate::generate::{self, Api, Bodies};

/// The item, the generated API with diverging bodies (the item has no
/// `usize` field to work on), and stub impls of the derived traits the user
/// does not derive.
pub(crate) fn stubs(
    item: &DeriveInput,
    user_derives: &[String],
    runtime: &TokenStream,
) -> TokenStream {
    let ident = &item.ident;
    let prefix = generate::default_prefix(ident);
    let mut impls = generate::api(&Api {
        ident,
        prefix: &prefix,
        runtime,
        bodies: Bodies::Stub,
    });
    for derive in DERIVES {
        if let Some(stub) = derive.stub {
            if !user_derives.iter().any(|user| user == derive.name) {
                impls.extend(stub(ident));
            }
        }
    }
    let mut tokens = item.to_token_stream();
    tokens.extend(generate::in_block(&impls, generate::BOUND));
    tokens
}
