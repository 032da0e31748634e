//! The generators: what `#[address]` emits around the struct, used by the
//! expansion with real bodies and by the fallback with diverging stubs.
//! One file per family: [`inherent`] (the `const fn`s), [`conversions`],
//! [`arithmetic`], [`formatting`], and the [`range_alias`].
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

mod arithmetic;
mod conversions;
mod formatting;
mod inherent;
mod range_alias;

pub(crate) use range_alias::range_alias;

/// Whether generated functions get their real bodies, or diverging stubs
/// that only carry the signatures (see [`crate::fallback`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bodies {
    Real,
    Stub,
}

/// What every generator of the API reads.
pub(crate) struct Api<'a> {
    pub ident: &'a Ident,
    /// What `Debug`, `LowerHex` and `UpperHex` print before `:0x`.
    pub prefix: &'a LitStr,
    /// `<addr-types>::__private`.
    pub runtime: &'a TokenStream,
    pub bodies: Bodies,
}

impl Api<'_> {
    /// `real`, or a diverging stub.
    fn body(&self, real: TokenStream) -> TokenStream {
        match self.bodies {
            Bodies::Real => real,
            Bodies::Stub => quote!(::core::unreachable!()),
        }
    }

    /// Stubs ignore their arguments; their crate fails to compile anyway,
    /// so they must not add warnings to the one error that matters.
    fn lint(&self) -> TokenStream {
        match self.bodies {
            Bodies::Real => TokenStream::new(),
            Bodies::Stub => quote!(#[allow(unused_variables)]),
        }
    }
}

/// A trait the expansion implements by hand: the generator, and what a
/// user's derive of the same name would collide with.
pub(crate) struct TraitImpl {
    /// The trait's name as a derive of it is written (derive_more's `Into`
    /// is `From<Self> for usize`).
    pub derive: &'static str,
    /// What the expansion's impl does, for the error about such a derive.
    pub what: &'static str,
    generate: fn(&Api<'_>) -> TokenStream,
}

/// Every trait the expansion implements by hand, family by family: what
/// [`api`] generates, and what a user must not derive.
pub(crate) fn trait_impls() -> impl Iterator<Item = &'static TraitImpl> {
    conversions::IMPLS
        .iter()
        .chain(arithmetic::IMPLS)
        .chain(formatting::IMPLS)
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
        .filter(|derive| !input.derives(derive.name))
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

/// The impls of a valid input: the API, serde and the translation.
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
    let mut tokens = api(&Api {
        ident,
        prefix: &prefix,
        runtime,
        bodies: Bodies::Real,
    });
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
    if let Some(translation) = options.translates {
        tokens.extend(translation.impls(ident, runtime, &bound("addr")));
    }
    in_block(&tokens, shadowed)
}

/// `const _: () = { shadows; tokens };`, shadowing `bound`.
///
/// `allow(deprecated)`: a `#[deprecated]` on the user's type is for the
/// user's callers, not for the impls that make the type what it is, and an
/// `allow` on an item reaches every item nested in it. The lints a user
/// sets on the type itself apply to the struct item only, never in here.
pub(crate) fn in_block<'a>(
    tokens: &TokenStream,
    bound: impl IntoIterator<Item = &'a &'a str>,
) -> TokenStream {
    let shadows = shadows(bound);
    quote! {
        #[allow(deprecated)]
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
/// inherent API, then each hand-written trait impl.
pub(crate) fn api(api: &Api<'_>) -> TokenStream {
    let mut tokens = inherent::methods(api);
    for trait_impl in trait_impls() {
        tokens.extend((trait_impl.generate)(api));
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::{trait_impls, BOUND, BOUND_BY_SERDE};

    /// The hygiene test declares an item under every name the expansion
    /// binds, in the module where it expands every option: a name bound
    /// here and missing there would go untested.
    #[test]
    fn the_hygiene_test_has_a_decoy_for_every_bound_name() {
        let hygiene = include_str!("../../../tests/tests/hygiene.rs");
        let decoys = hygiene
            .split("mod bound_names {")
            .nth(1)
            .and_then(|module| module.split("#[test]").next())
            .expect("tests/tests/hygiene.rs has a `bound_names` module");
        for name in BOUND.iter().chain(BOUND_BY_SERDE) {
            let declared = [
                format!("const {name}:"),
                format!("static {name}:"),
                format!("struct {name};"),
            ];
            assert!(
                declared.iter().any(|item| decoys.contains(item.as_str())),
                "no item named `{name}` in tests/tests/hygiene.rs's `bound_names`"
            );
        }
    }

    #[test]
    fn each_trait_is_listed_once() {
        let names: Vec<&str> = trait_impls().map(|trait_impl| trait_impl.derive).collect();
        for (i, name) in names.iter().enumerate() {
            assert!(!names[i + 1..].contains(name), "{name}");
        }
    }
}
