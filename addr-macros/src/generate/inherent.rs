//! The `const fn`s of the type: conversions, 4 KiB alignment, and
//! `MemoryAddr`'s `add`/`sub` family usable in `const`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{bound, Api};

/// The const inherent methods.
pub(super) fn methods(api: &Api<'_>) -> TokenStream {
    let Api { ident, runtime, .. } = api;
    let addr = bound("addr");
    let name = ident.to_string();
    let usize = quote!(::core::primitive::usize);
    // (doc, signature, body)
    let mut methods: Vec<(String, TokenStream, TokenStream)> = vec![
        (
            format!("Converts a `usize` to a [`{name}`]."),
            quote!(from_usize(#addr: #usize) -> Self),
            api.body(quote!(Self(#addr))),
        ),
        (
            format!("Converts a [`{name}`] to a `usize`."),
            quote!(as_usize(self) -> #usize),
            api.body(quote!(self.0)),
        ),
        (
            format!("Converts a [`{name}`] to a `u64`: lossless on every target Rust supports."),
            quote!(as_u64(self) -> ::core::primitive::u64),
            api.body(quote!(#runtime::usize_to_u64(self.0))),
        ),
        (
            format!("Rounds the [`{name}`] down to a 4 KiB boundary."),
            quote!(align_down_4k(self) -> Self),
            api.body(quote!(Self(#runtime::align_down_4k(self.0)))),
        ),
        (
            format!("Rounds the [`{name}`] up to a 4 KiB boundary."),
            quote!(align_up_4k(self) -> Self),
            api.body(quote!(Self(#runtime::align_up_4k(self.0)))),
        ),
        (
            format!("Returns the offset of the [`{name}`] within its 4 KiB page."),
            quote!(align_offset_4k(self) -> #usize),
            api.body(quote!(#runtime::align_offset_4k(self.0))),
        ),
        (
            format!("Returns whether the [`{name}`] is 4 KiB aligned."),
            quote!(is_aligned_4k(self) -> ::core::primitive::bool),
            api.body(quote!(#runtime::is_aligned_4k(self.0))),
        ),
    ];
    methods.extend(const_arithmetic(api));
    let methods = methods.into_iter().map(|(doc, signature, body)| {
        quote! {
            #[doc = #doc]
            #[inline]
            #[must_use]
            pub const fn #signature {
                #body
            }
        }
    });
    let lint = api.lint();
    quote! {
        #lint
        // `add`/`sub` are `MemoryAddr`'s, whose names they keep on purpose.
        #[allow(clippy::should_implement_trait)]
        impl #ident {
            #(#methods)*
        }
    }
}

/// `MemoryAddr`'s `add`/`sub`/`sub_addr` family as `const fn`s, with its
/// signatures and semantics: an inherent method shadows the trait's at
/// every call site, so nothing may differ but constness.
fn const_arithmetic(api: &Api<'_>) -> Vec<(String, TokenStream, TokenStream)> {
    let runtime = api.runtime;
    let (addr, rhs) = (bound("addr"), bound("rhs"));
    let some = quote!(::core::option::Option::Some);
    let none = quote!(::core::option::Option::None);
    let usize = quote!(::core::primitive::usize);
    let checked = |call: TokenStream| {
        api.body(quote! {
            match #call {
                #some(#addr) => #some(Self(#addr)),
                #none => #none,
            }
        })
    };
    vec![
        (
            "`MemoryAddr::add`, usable in `const`: panics on overflow.".to_owned(),
            quote!(add(self, #rhs: #usize) -> Self),
            api.body(quote!(Self(#runtime::add(self.0, #rhs)))),
        ),
        (
            "`MemoryAddr::checked_add`, usable in `const`: `None` on overflow.".to_owned(),
            quote!(checked_add(self, #rhs: #usize) -> ::core::option::Option<Self>),
            checked(quote!(self.0.checked_add(#rhs))),
        ),
        (
            "`MemoryAddr::wrapping_add`, usable in `const`.".to_owned(),
            quote!(wrapping_add(self, #rhs: #usize) -> Self),
            api.body(quote!(Self(self.0.wrapping_add(#rhs)))),
        ),
        (
            "`MemoryAddr::sub`, usable in `const`: panics on overflow. For the \
             distance to another address, `a - b` or `a.sub_addr(b)`."
                .to_owned(),
            quote!(sub(self, #rhs: #usize) -> Self),
            api.body(quote!(Self(#runtime::sub(self.0, #rhs)))),
        ),
        (
            "`MemoryAddr::checked_sub`, usable in `const`: `None` on overflow.".to_owned(),
            quote!(checked_sub(self, #rhs: #usize) -> ::core::option::Option<Self>),
            checked(quote!(self.0.checked_sub(#rhs))),
        ),
        (
            "`MemoryAddr::wrapping_sub`, usable in `const`.".to_owned(),
            quote!(wrapping_sub(self, #rhs: #usize) -> Self),
            api.body(quote!(Self(self.0.wrapping_sub(#rhs)))),
        ),
        (
            "`MemoryAddr::sub_addr`, usable in `const`: panics on overflow.".to_owned(),
            quote!(sub_addr(self, #rhs: Self) -> #usize),
            api.body(quote!(#runtime::sub_addr(self.0, #rhs.0))),
        ),
        (
            "`MemoryAddr::checked_sub_addr`, usable in `const`: `None` on overflow.".to_owned(),
            quote!(checked_sub_addr(self, #rhs: Self) -> ::core::option::Option<#usize>),
            api.body(quote!(self.0.checked_sub(#rhs.0))),
        ),
        (
            "`MemoryAddr::wrapping_sub_addr`, usable in `const`.".to_owned(),
            quote!(wrapping_sub_addr(self, #rhs: Self) -> #usize),
            api.body(quote!(self.0.wrapping_sub(#rhs.0))),
        ),
    ]
}
