//! The annotated item → [`AddressInput`], or the shape errors that say what
//! to write instead.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Attribute, Data, DeriveInput, Fields, Path, Token, Type, Visibility};

use crate::diagnostics::Diagnostics;

const EXAMPLE: &str = "e.g. `pub struct GuestPhysAddr(usize);`";

/// Traits the expansion derives, with the module each lives in under `core`.
pub(crate) const DERIVES: &[(&str, &str)] = &[
    ("clone", "Clone"),
    ("marker", "Copy"),
    ("default", "Default"),
    ("cmp", "PartialEq"),
    ("cmp", "Eq"),
    ("cmp", "PartialOrd"),
    ("cmp", "Ord"),
    ("hash", "Hash"),
];

/// Traits the expansion implements by hand; a user derive would collide.
const IMPLEMENTED: &[&str] = &["Debug"];

/// A tuple struct with one `usize` field: the only shape `#[address]` takes.
pub(crate) struct AddressInput {
    /// Attributes kept as written (docs, cfgs, user derives, …).
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub ident: Ident,
    pub field_attrs: Vec<Attribute>,
    pub field_vis: Visibility,
    /// Which of [`DERIVES`] the user already derives, so they are not derived twice.
    pub user_derives: Vec<String>,
    /// The user wrote `#[repr(transparent)]` already.
    pub has_repr_transparent: bool,
}

/// Why the item could not be used, and what the fallback can still name.
pub(crate) enum Rejected {
    /// A struct, enum or union with the wrong shape: its name is known, so
    /// stub impls can keep the rest of the crate type-checking. Generics are
    /// already reported, so they are stripped: kept, an unused `<T>` would
    /// add rustc's E0392 and the stubs' `impl Name` would not compile.
    Named(Box<DeriveInput>),
    /// Some other item (fn, impl, …): emitted unchanged.
    Other,
}

impl AddressInput {
    pub(crate) fn parse(
        item: TokenStream,
        diagnostics: &mut Diagnostics,
    ) -> Result<Self, Rejected> {
        let Ok(input) = syn::parse2::<DeriveInput>(item.clone()) else {
            diagnostics.push(not_a_struct(item));
            return Err(Rejected::Other);
        };
        let errors_before = diagnostics.count();
        check_generics(&input, diagnostics);
        let field = match &input.data {
            Data::Struct(data) => single_usize_field(&input.ident, &data.fields, diagnostics),
            Data::Enum(data) => {
                diagnostics.push(shape_error(data.enum_token, "found an enum"));
                None
            }
            Data::Union(data) => {
                diagnostics.push(shape_error(data.union_token, "found a union"));
                None
            }
        };
        let (user_derives, has_repr_transparent) = check_attrs(&input.attrs, diagnostics);
        match field {
            Some(field) if diagnostics.count() == errors_before => Ok(Self {
                attrs: input.attrs,
                vis: input.vis,
                ident: input.ident,
                field_attrs: field.attrs.clone(),
                field_vis: field.vis.clone(),
                user_derives,
                has_repr_transparent,
            }),
            _ => {
                let mut input = input;
                input.generics = syn::Generics::default();
                Err(Rejected::Named(Box::new(input)))
            }
        }
    }
}

fn shape_error(tokens: impl ToTokens, found: &str) -> syn::Error {
    syn::Error::new_spanned(
        tokens,
        format!(
            "`#[address]` expects a tuple struct with one `usize` field, {found}; write {EXAMPLE}"
        ),
    )
}

/// Points at the keyword of an item syn cannot read as a struct (a `fn`,
/// `impl`, `mod`, …), skipping its attributes and visibility.
fn not_a_struct(item: TokenStream) -> syn::Error {
    let mut tokens = item.clone().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                tokens.next();
            }
            TokenTree::Ident(ident) if ident == "pub" => {
                if let Some(TokenTree::Group(_)) = tokens.peek() {
                    tokens.next();
                }
            }
            _ => return shape_error(token, "found another kind of item"),
        }
    }
    shape_error(item, "found another kind of item")
}

fn check_generics(input: &DeriveInput, diagnostics: &mut Diagnostics) {
    let generics = &input.generics;
    if !generics.params.is_empty() {
        diagnostics.push(syn::Error::new_spanned(
            &generics.params,
            format!(
                "address types cannot have generic parameters or lifetimes; remove `<{}>`",
                generics.params.to_token_stream()
            ),
        ));
    }
    if let Some(where_clause) = &generics.where_clause {
        diagnostics.push(syn::Error::new_spanned(
            where_clause,
            "address types cannot have a where clause; remove it",
        ));
    }
}

fn single_usize_field<'a>(
    ident: &Ident,
    fields: &'a Fields,
    diagnostics: &mut Diagnostics,
) -> Option<&'a syn::Field> {
    let fix = format!("write `struct {ident}(usize);`");
    let unnamed = match fields {
        Fields::Unnamed(unnamed) => unnamed,
        Fields::Named(named) => {
            diagnostics.push(syn::Error::new_spanned(
                named,
                format!("`#[address]` expects a tuple struct, found named fields; {fix}"),
            ));
            return None;
        }
        Fields::Unit => {
            diagnostics.push(syn::Error::new_spanned(
                ident,
                format!("`#[address]` expects a tuple struct with one `usize` field, found a unit struct; {fix}"),
            ));
            return None;
        }
    };
    let mut fields = unnamed.unnamed.iter();
    let Some(first) = fields.next() else {
        diagnostics.push(syn::Error::new(
            unnamed.paren_token.span.join(),
            format!("`#[address]` expects one `usize` field, found none; {fix}"),
        ));
        return None;
    };
    if let Some(extra) = fields.next() {
        let rest: Vec<&syn::Field> = std::iter::once(extra).chain(fields).collect();
        diagnostics.push(syn::Error::new_spanned(
            quote::quote!(#(#rest),*),
            format!(
                "`#[address]` expects exactly one `usize` field; remove the extra fields: {fix}"
            ),
        ));
        return None;
    }
    if !is_usize(&first.ty) {
        diagnostics.push(syn::Error::new_spanned(
            &first.ty,
            "expected `usize`: an address type wraps exactly one `usize`, e.g. `pub struct GuestPhysAddr(usize);`",
        ));
        return None;
    }
    Some(first)
}

/// `usize`, `core::primitive::usize` or `::core::primitive::usize`.
fn is_usize(ty: &Type) -> bool {
    match ty {
        Type::Group(group) => is_usize(&group.elem),
        Type::Paren(paren) => is_usize(&paren.elem),
        Type::Path(path) if path.qself.is_none() => {
            let path = &path.path;
            let arguments_free = path
                .segments
                .iter()
                .all(|segment| segment.arguments.is_none());
            let names: Vec<String> = path
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            arguments_free
                && match names.as_slice() {
                    ["usize"] => path.leading_colon.is_none(),
                    ["core", "primitive", "usize"] => true,
                    _ => false,
                }
        }
        _ => false,
    }
}

/// Finds the user's derives of traits the expansion provides, and attributes
/// that cannot coexist with it.
fn check_attrs(attrs: &[Attribute], diagnostics: &mut Diagnostics) -> (Vec<String>, bool) {
    let mut user_derives = Vec::new();
    let mut has_repr_transparent = false;
    for attr in attrs {
        let path = attr.path();
        if path.is_ident("derive") {
            let Ok(paths) = attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
            else {
                continue; // rustc reports the malformed derive itself
            };
            for path in &paths {
                let Some(last) = path.segments.last() else {
                    continue;
                };
                let name = last.ident.to_string();
                if IMPLEMENTED.contains(&name.as_str()) {
                    diagnostics.push(syn::Error::new_spanned(
                        path,
                        format!("`#[address]` implements `{name}` itself, printing `PREFIX:0x…`; remove `{name}` from this derive"),
                    ));
                } else if DERIVES.iter().any(|(_, derive)| *derive == name) {
                    user_derives.push(name);
                }
            }
        } else if path.is_ident("repr") {
            let transparent = attr
                .parse_args::<Ident>()
                .is_ok_and(|repr| repr == "transparent");
            if transparent {
                has_repr_transparent = true;
            } else {
                diagnostics.push(syn::Error::new_spanned(
                    attr,
                    "`#[address]` makes the type `#[repr(transparent)]` so it has exactly the layout of a `usize`; remove this `#[repr]`",
                ));
            }
        } else if path
            .segments
            .last()
            .is_some_and(|last| last.ident == "address")
        {
            diagnostics.push(syn::Error::new_spanned(
                attr,
                "`#[address]` is applied twice; remove this one",
            ));
        }
    }
    (user_derives, has_repr_transparent)
}
