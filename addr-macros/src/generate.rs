//! The generators: what `#[address]` emits around the struct, used by the
//! expansion with real bodies and by the fallback with diverging stubs.
//!
//! Every impl sits inside one `const _: () = { … };` that also declares a
//! function under each name the generated code binds (`addr`, `rhs`, `f`,
//! …). A parameter pattern that names a unit struct, tuple struct, const or
//! static in scope is no binding but that item, whatever its span's
//! hygiene: `const addr: usize = 0;` or `#[address] struct f(usize);` in
//! the user's module would break the expansion. The innermost item of a
//! name wins, and a function is no pattern, so the parameters bind.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::quote;
use syn::LitStr;

use crate::derives::DERIVES;
use crate::input::AddressInput;
use crate::options::AddressOptions;

/// Whether generated functions get their real bodies, or diverging stubs
/// that only carry the signatures (see [`crate::fallback`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bodies {
    Real,
    Stub,
}

impl Bodies {
    fn of(self, real: TokenStream) -> TokenStream {
        match self {
            Self::Real => real,
            Self::Stub => quote!(::core::unreachable!()),
        }
    }
}

/// The names the generated impls bind, those of addr-types'
/// `impl_translates!` (`addr`) included: the macros of addr-types bind only
/// names they are given.
pub(crate) const BOUND: &[&str] = &["addr", "rhs", "f", "text", "value"];

/// The names bound by addr-types' `impl_serde!`, given to it, and shadowed
/// only when `serde` is asked for.
const BOUND_BY_SERDE: &[&str] = &["serializer", "deserializer"];

/// A name the generated code binds: hygienic for locals, and shadowed in
/// the block by [`shadows`] for items.
fn bound(name: &str) -> Ident {
    debug_assert!(
        BOUND.contains(&name) || BOUND_BY_SERDE.contains(&name),
        "{name} must be shadowed"
    );
    Ident::new(name, Span::mixed_site())
}

fn shadows<'a>(names: impl IntoIterator<Item = &'a &'a str>) -> TokenStream {
    let names = names
        .into_iter()
        .map(|name| Ident::new(name, Span::mixed_site()));
    quote!(#(#[allow(dead_code)] fn #names() {})*)
}

/// The default prefix: the type's name without `r#`.
pub(crate) fn default_prefix(ident: &Ident) -> LitStr {
    use syn::ext::IdentExt;
    LitStr::new(&ident.unraw().to_string(), ident.span())
}

/// The struct itself: the user's attributes, `#[repr(transparent)]`, the
/// derives the user did not write, and the field as `usize`.
pub(crate) fn item(input: &AddressInput) -> TokenStream {
    let AddressInput {
        attrs,
        vis,
        ident,
        field_attrs,
        field_vis,
        ..
    } = input;
    let derives = DERIVES
        .iter()
        .filter(|derive| !input.user_derives.iter().any(|user| user == derive.name))
        .map(|derive| {
            let module = Ident::new(derive.module, Span::call_site());
            let name = Ident::new(derive.name, Span::call_site());
            quote!(::core::#module::#name)
        });
    let repr = (!input.has_repr_transparent).then(|| quote!(#[repr(transparent)]));
    quote! {
        #(#attrs)*
        #repr
        #[derive(#(#derives),*)]
        #vis struct #ident(#(#field_attrs)* #field_vis ::core::primitive::usize);
    }
}

/// The impls of a valid input: the API, serde and the address kind.
pub(crate) fn impls(
    input: &AddressInput,
    options: &AddressOptions,
    runtime: &TokenStream,
) -> TokenStream {
    let ident = &input.ident;
    let prefix = options
        .prefix
        .clone()
        .unwrap_or_else(|| default_prefix(ident));
    let mut shadowed: Vec<&&str> = BOUND.iter().collect();
    let mut tokens = api(ident, &prefix, runtime, Bodies::Real);
    if let Some(serde) = &options.serde {
        // Spanned at the user's `serde`, so that addr-types' error for a
        // disabled `serde` feature points there.
        let span = serde.span();
        let runtime = respan(runtime.clone(), span);
        let (serializer, deserializer) = (bound("serializer"), bound("deserializer"));
        tokens.extend(quote::quote_spanned!(span=>
            #runtime::impl_serde!(#ident, #serde, #serializer, #deserializer);
        ));
        shadowed.extend(BOUND_BY_SERDE);
    }
    if let Some(kind) = options.kind() {
        tokens.extend(kind.impls(ident, runtime, &bound("addr")));
    }
    in_block(&tokens, shadowed)
}

/// `type Range = <generation>::AddrRange<Self>;`, outside the block so it
/// is nameable.
pub(crate) fn range_alias(
    input: &AddressInput,
    options: &AddressOptions,
    runtime: &TokenStream,
) -> TokenStream {
    let Some(range) = &options.range else {
        return TokenStream::new();
    };
    let (vis, ident) = (&input.vis, &input.ident);
    let generation = options.generation();
    let doc = format!(
        "A range of [`{ident}`]s, `[start, end)`: {}'s `AddrRange<{ident}>`.",
        generation.crate_name()
    );
    // Spanned at the alias so that a generation whose addr-types feature is
    // off is reported there.
    let module = Ident::new(generation.module(), range.span());
    quote! {
        #[doc = #doc]
        #vis type #range = #runtime::#module::AddrRange<#ident>;
    }
}

/// `const _: () = { shadows; tokens };`, shadowing `bound`.
pub(crate) fn in_block<'a>(
    tokens: &TokenStream,
    bound: impl IntoIterator<Item = &'a &'a str>,
) -> TokenStream {
    let shadows = shadows(bound);
    quote! {
        const _: () = {
            #shadows
            #tokens
        };
    }
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut respanned =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                token = TokenTree::Group(respanned);
            } else {
                token.set_span(span);
            }
            token
        })
        .collect()
}

/// Everything both the expansion and the fallback give the type: the const
/// inherent API, conversions, arithmetic, formatting and parsing.
pub(crate) fn api(
    ident: &Ident,
    prefix: &LitStr,
    runtime: &TokenStream,
    bodies: Bodies,
) -> TokenStream {
    let mut tokens = inherent(ident, runtime, bodies);
    tokens.extend(conversions(ident, runtime, bodies));
    tokens.extend(arithmetic(ident, bodies));
    tokens.extend(formatting(ident, prefix, runtime, bodies));
    tokens
}

/// The const inherent methods.
fn inherent(ident: &Ident, runtime: &TokenStream, bodies: Bodies) -> TokenStream {
    let addr = bound("addr");
    let name = ident.to_string();
    let usize = quote!(::core::primitive::usize);
    // (doc, signature, body)
    let mut methods: Vec<(String, TokenStream, TokenStream)> = vec![
        (
            format!("Converts a `usize` to a [`{name}`]."),
            quote!(from_usize(#addr: #usize) -> Self),
            bodies.of(quote!(Self(#addr))),
        ),
        (
            format!("Converts a [`{name}`] to a `usize`."),
            quote!(as_usize(self) -> #usize),
            bodies.of(quote!(self.0)),
        ),
        (
            format!("Converts a [`{name}`] to a `u64`: lossless on every target Rust supports."),
            quote!(as_u64(self) -> ::core::primitive::u64),
            bodies.of(quote!(#runtime::usize_to_u64(self.0))),
        ),
        (
            format!("Rounds the [`{name}`] down to a 4 KiB boundary."),
            quote!(align_down_4k(self) -> Self),
            bodies.of(quote!(Self(#runtime::align_down_4k(self.0)))),
        ),
        (
            format!("Rounds the [`{name}`] up to a 4 KiB boundary."),
            quote!(align_up_4k(self) -> Self),
            bodies.of(quote!(Self(#runtime::align_up_4k(self.0)))),
        ),
        (
            format!("Returns the offset of the [`{name}`] within its 4 KiB page."),
            quote!(align_offset_4k(self) -> #usize),
            bodies.of(quote!(#runtime::align_offset_4k(self.0))),
        ),
        (
            format!("Returns whether the [`{name}`] is 4 KiB aligned."),
            quote!(is_aligned_4k(self) -> ::core::primitive::bool),
            bodies.of(quote!(#runtime::is_aligned_4k(self.0))),
        ),
    ];
    methods.extend(const_arithmetic(runtime, bodies));
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
    let lint = stub_lint(bodies);
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
fn const_arithmetic(
    runtime: &TokenStream,
    bodies: Bodies,
) -> Vec<(String, TokenStream, TokenStream)> {
    let (addr, rhs) = (bound("addr"), bound("rhs"));
    let some = quote!(::core::option::Option::Some);
    let none = quote!(::core::option::Option::None);
    let usize = quote!(::core::primitive::usize);
    let checked = |call: TokenStream| {
        bodies.of(quote! {
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
            bodies.of(quote!(Self(#runtime::add(self.0, #rhs)))),
        ),
        (
            "`MemoryAddr::checked_add`, usable in `const`: `None` on overflow.".to_owned(),
            quote!(checked_add(self, #rhs: #usize) -> ::core::option::Option<Self>),
            checked(quote!(self.0.checked_add(#rhs))),
        ),
        (
            "`MemoryAddr::wrapping_add`, usable in `const`.".to_owned(),
            quote!(wrapping_add(self, #rhs: #usize) -> Self),
            bodies.of(quote!(Self(self.0.wrapping_add(#rhs)))),
        ),
        (
            "`MemoryAddr::sub`, usable in `const`: panics on overflow. For the \
             distance to another address, `a - b` or `a.sub_addr(b)`."
                .to_owned(),
            quote!(sub(self, #rhs: #usize) -> Self),
            bodies.of(quote!(Self(#runtime::sub(self.0, #rhs)))),
        ),
        (
            "`MemoryAddr::checked_sub`, usable in `const`: `None` on overflow.".to_owned(),
            quote!(checked_sub(self, #rhs: #usize) -> ::core::option::Option<Self>),
            checked(quote!(self.0.checked_sub(#rhs))),
        ),
        (
            "`MemoryAddr::wrapping_sub`, usable in `const`.".to_owned(),
            quote!(wrapping_sub(self, #rhs: #usize) -> Self),
            bodies.of(quote!(Self(self.0.wrapping_sub(#rhs)))),
        ),
        (
            "`MemoryAddr::sub_addr`, usable in `const`: panics on overflow.".to_owned(),
            quote!(sub_addr(self, #rhs: Self) -> #usize),
            bodies.of(quote!(#runtime::sub_addr(self.0, #rhs.0))),
        ),
        (
            "`MemoryAddr::checked_sub_addr`, usable in `const`: `None` on overflow.".to_owned(),
            quote!(checked_sub_addr(self, #rhs: Self) -> ::core::option::Option<#usize>),
            bodies.of(quote!(self.0.checked_sub(#rhs.0))),
        ),
        (
            "`MemoryAddr::wrapping_sub_addr`, usable in `const`.".to_owned(),
            quote!(wrapping_sub_addr(self, #rhs: Self) -> #usize),
            bodies.of(quote!(self.0.wrapping_sub(#rhs.0))),
        ),
    ]
}

/// Stubs ignore their arguments; their crate fails to compile anyway, so
/// they must not add warnings to the one error that matters.
fn stub_lint(bodies: Bodies) -> TokenStream {
    match bodies {
        Bodies::Real => TokenStream::new(),
        Bodies::Stub => quote!(#[allow(unused_variables)]),
    }
}

/// `From<usize>`, `Into<usize>` (which make memory_addr's blanket
/// `MemoryAddr` impl apply), `TryFrom<u64>` and `FromStr`.
fn conversions(ident: &Ident, runtime: &TokenStream, bodies: Bodies) -> TokenStream {
    let (addr, text, value) = (bound("addr"), bound("text"), bound("value"));
    let lint = stub_lint(bodies);
    let usize = quote!(::core::primitive::usize);
    let u64 = quote!(::core::primitive::u64);
    let from = bodies.of(quote!(Self(#addr)));
    let into = bodies.of(quote!(#addr.0));
    let try_from = bodies.of(quote! {
        ::core::result::Result::map(<#usize as ::core::convert::TryFrom<#u64>>::try_from(#value), Self)
    });
    let from_str =
        bodies.of(quote!(::core::result::Result::map(#runtime::parse_addr(#text), Self)));
    quote! {
        #lint
        #[automatically_derived]
        impl ::core::convert::From<#usize> for #ident {
            #[inline]
            fn from(#addr: #usize) -> Self {
                #from
            }
        }

        #lint
        #[automatically_derived]
        impl ::core::convert::From<#ident> for #usize {
            #[inline]
            fn from(#addr: #ident) -> Self {
                #into
            }
        }

        #lint
        #[automatically_derived]
        impl ::core::convert::TryFrom<#u64> for #ident {
            type Error = ::core::num::TryFromIntError;
            #[inline]
            fn try_from(#value: #u64) -> ::core::result::Result<Self, Self::Error> {
                #try_from
            }
        }

        #lint
        #[automatically_derived]
        impl ::core::str::FromStr for #ident {
            type Err = #runtime::ParseAddrError;
            #[inline]
            fn from_str(#text: &::core::primitive::str) -> ::core::result::Result<Self, Self::Err> {
                #from_str
            }
        }
    }
}

/// `addr ± usize`, `addr ±= usize` and `addr - addr`, with plain `usize`
/// semantics (overflow checks as the user's profile says), as
/// `def_usize_addr!` has them.
fn arithmetic(ident: &Ident, bodies: Bodies) -> TokenStream {
    let rhs = bound("rhs");
    let lint = stub_lint(bodies);
    let usize = quote!(::core::primitive::usize);
    let add = bodies.of(quote!(Self(self.0 + #rhs)));
    let add_assign = bodies.of(quote!(self.0 += #rhs;));
    let sub = bodies.of(quote!(Self(self.0 - #rhs)));
    let sub_assign = bodies.of(quote!(self.0 -= #rhs;));
    let sub_addr = bodies.of(quote!(self.0 - #rhs.0));
    quote! {
        #lint
        #[automatically_derived]
        impl ::core::ops::Add<#usize> for #ident {
            type Output = Self;
            #[inline]
            fn add(self, #rhs: #usize) -> Self {
                #add
            }
        }

        #lint
        #[automatically_derived]
        impl ::core::ops::AddAssign<#usize> for #ident {
            #[inline]
            fn add_assign(&mut self, #rhs: #usize) {
                #add_assign
            }
        }

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
        impl ::core::ops::SubAssign<#usize> for #ident {
            #[inline]
            fn sub_assign(&mut self, #rhs: #usize) {
                #sub_assign
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
}

/// `Display` prints `0x1abc`, `Debug` and `LowerHex` `PREFIX:0x1abc`,
/// `UpperHex` `PREFIX:0x1ABC`: each a call into one shared non-generic
/// function of addr-types, so no `format_args!` is expanded per type.
fn formatting(
    ident: &Ident,
    prefix: &LitStr,
    runtime: &TokenStream,
    bodies: Bodies,
) -> TokenStream {
    let f = bound("f");
    let lint = stub_lint(bodies);
    let impl_fmt = |trait_name: &str, call: TokenStream| {
        let trait_name = Ident::new(trait_name, Span::call_site());
        let body = bodies.of(call);
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
    };
    let mut tokens = impl_fmt("Display", quote!(#runtime::fmt_display(#f, self.0)));
    tokens.extend(impl_fmt(
        "Debug",
        quote!(#runtime::fmt_lower_hex(#f, #prefix, self.0)),
    ));
    tokens.extend(impl_fmt(
        "LowerHex",
        quote!(#runtime::fmt_lower_hex(#f, #prefix, self.0)),
    ));
    tokens.extend(impl_fmt(
        "UpperHex",
        quote!(#runtime::fmt_upper_hex(#f, #prefix, self.0)),
    ));
    tokens
}
