//! What is emitted beside a shape error: the item as written plus stubs of
//! the API, so uses elsewhere in the crate type-check and the user sees the
//! one error that matters instead of "no function named `from_usize`".

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{DeriveInput, LitStr};

use crate::expand::{self, Bodies};

/// The item unchanged, and the generated API with diverging bodies: the
/// item's field may not be a `usize`, so real bodies would add type errors
/// of their own.
pub(crate) fn stubs(item: &DeriveInput, runtime: &TokenStream) -> TokenStream {
    let ident = &item.ident;
    let prefix = LitStr::new(&ident.to_string(), ident.span());
    let mut tokens = item.to_token_stream();
    tokens.extend(expand::conversions(ident, runtime, Bodies::Stub));
    tokens.extend(expand::arithmetic(ident, Bodies::Stub));
    tokens.extend(expand::formatting(ident, &prefix, runtime, Bodies::Stub));
    tokens
}
