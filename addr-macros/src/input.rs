//! The annotated item → [`AddressInput`], or the shape errors that say what
//! to write instead.
//!
//! Mistakes whose intent is clear are reported and repaired, so the rest of
//! the crate compiles against the type the user meant and sees one error:
//! a field of the wrong type is taken as `usize`, generics are dropped, a
//! conflicting `#[derive(Debug)]`, `#[repr]` or second `#[address]` is
//! removed. Only items that are no one-field tuple struct at all go to the
//! fallback.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Attribute, Data, DeriveInput, Fields, Path, Token, Type, Visibility};

use crate::diagnostics::Diagnostics;
use crate::generate;

/// A tuple struct with one `usize` field: the only shape `#[address]` takes.
pub(crate) struct AddressInput {
    /// Attributes kept as written (docs, cfgs, user derives, …).
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub ident: Ident,
    pub field_attrs: Vec<Attribute>,
    pub field_vis: Visibility,
    /// The traits the user derives, by the last segment of each path: read
    /// once, here, for every check that needs them.
    pub user_derives: Vec<String>,
    /// The user wrote `#[repr(transparent)]` already.
    pub has_repr_transparent: bool,
}

/// Why the item could not be used, and what the fallback can still name.
pub(crate) enum Rejected {
    /// A struct, enum or union that is no one-field tuple struct: its name is
    /// known, so stub impls can keep the rest of the crate type-checking.
    /// Its generics are stripped and its attributes repaired as for a valid
    /// input.
    Named {
        item: Box<DeriveInput>,
        user_derives: Vec<String>,
    },
    /// Some other item (fn, impl, …): emitted unchanged.
    Other,
}

impl AddressInput {
    /// Whether the user derives `name` (by the last segment of its path).
    pub(crate) fn derives(&self, name: &str) -> bool {
        self.user_derives.iter().any(|derive| derive == name)
    }

    pub(crate) fn parse(
        item: TokenStream,
        diagnostics: &mut Diagnostics,
    ) -> Result<Self, Rejected> {
        let Ok(mut input) = syn::parse2::<DeriveInput>(item.clone()) else {
            diagnostics.push(not_a_struct(item));
            return Err(Rejected::Other);
        };
        let attrs = check_attrs(std::mem::take(&mut input.attrs), diagnostics);
        check_generics(&input, diagnostics);
        input.generics = syn::Generics::default();
        let field = match &input.data {
            Data::Struct(data) => single_field(&input.vis, &input.ident, &data.fields, diagnostics),
            Data::Enum(data) => {
                diagnostics.push(shape_error(
                    data.enum_token,
                    "found an enum",
                    &input.vis,
                    &input.ident,
                ));
                None
            }
            Data::Union(data) => {
                diagnostics.push(shape_error(
                    data.union_token,
                    "found a union",
                    &input.vis,
                    &input.ident,
                ));
                None
            }
        };
        let Some(field) = field else {
            input.attrs = attrs.kept;
            return Err(Rejected::Named {
                item: Box::new(input),
                user_derives: attrs.user_derives,
            });
        };
        Ok(Self {
            attrs: attrs.kept,
            vis: input.vis,
            ident: input.ident,
            field_attrs: field.attrs.clone(),
            field_vis: field.vis.clone(),
            user_derives: attrs.user_derives,
            has_repr_transparent: attrs.has_repr_transparent,
        })
    }
}

/// "write `pub struct Name(usize);`", with the user's own visibility and name.
fn fix(vis: &Visibility, ident: &Ident) -> String {
    let vis = match vis {
        Visibility::Inherited => String::new(),
        Visibility::Public(_) => "pub ".to_owned(),
        Visibility::Restricted(restricted) => {
            let path = restricted
                .path
                .to_token_stream()
                .to_string()
                .replace(' ', "");
            let in_ = if restricted.in_token.is_some() {
                "in "
            } else {
                ""
            };
            format!("pub({in_}{path}) ")
        }
    };
    format!("write `{vis}struct {ident}(usize);`")
}

fn shape_error(tokens: impl ToTokens, found: &str, vis: &Visibility, ident: &Ident) -> syn::Error {
    syn::Error::new_spanned(
        tokens,
        format!(
            "`#[address]` expects a tuple struct with one `usize` field, {found}; {}",
            fix(vis, ident)
        ),
    )
}

/// Points at the keyword of an item syn cannot read as a struct (a `fn`,
/// `impl`, `mod`, …), skipping its attributes and visibility.
fn not_a_struct(item: TokenStream) -> syn::Error {
    let message =
        "`#[address]` expects a tuple struct with one `usize` field, found another kind of item; \
                   write e.g. `pub struct GuestPhysAddr(usize);`";
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
            _ => return syn::Error::new_spanned(token, message),
        }
    }
    syn::Error::new_spanned(item, message)
}

fn check_generics(input: &DeriveInput, diagnostics: &mut Diagnostics) {
    let generics = &input.generics;
    if !generics.params.is_empty() {
        diagnostics.push(syn::Error::new_spanned(
            &generics.params,
            "address types cannot have generic parameters or lifetimes; remove them",
        ));
    }
    if let Some(where_clause) = &generics.where_clause {
        diagnostics.push(syn::Error::new_spanned(
            where_clause,
            "address types cannot have a where clause; remove it",
        ));
    }
}

/// The struct's one field. A single field of another type is reported and
/// then used as if it were the `usize` it must be.
fn single_field<'a>(
    vis: &Visibility,
    ident: &Ident,
    fields: &'a Fields,
    diagnostics: &mut Diagnostics,
) -> Option<&'a syn::Field> {
    let fix = fix(vis, ident);
    let unnamed = match fields {
        Fields::Unnamed(unnamed) => unnamed,
        Fields::Named(named) => {
            diagnostics.push(syn::Error::new(
                named.brace_token.span.open(),
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
            quote!(#(#rest),*),
            format!(
                "`#[address]` expects exactly one `usize` field; remove the extra fields: {fix}"
            ),
        ));
        return None;
    }
    if !is_usize(&first.ty) {
        diagnostics.push(syn::Error::new_spanned(
            &first.ty,
            format!("expected `usize`: an address type wraps exactly one `usize`; {fix}"),
        ));
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

/// The user's attributes, repaired so the expansion can go on.
struct CheckedAttrs {
    kept: Vec<Attribute>,
    user_derives: Vec<String>,
    has_repr_transparent: bool,
}

/// Finds the user's derives of traits the expansion provides, and removes
/// (reporting each) what cannot coexist with it: a derive of a trait the
/// expansion implements, a `#[repr]` other than `transparent`, a second
/// `#[address]`.
fn check_attrs(attrs: Vec<Attribute>, diagnostics: &mut Diagnostics) -> CheckedAttrs {
    let mut checked = CheckedAttrs {
        kept: Vec::with_capacity(attrs.len()),
        user_derives: Vec::new(),
        has_repr_transparent: false,
    };
    for attr in attrs {
        let path = attr.path();
        if path.is_ident("derive") {
            checked
                .kept
                .push(check_derive(attr, &mut checked.user_derives, diagnostics));
        } else if path.is_ident("repr") {
            if attr
                .parse_args::<Ident>()
                .is_ok_and(|repr| repr == "transparent")
            {
                checked.has_repr_transparent = true;
                checked.kept.push(attr);
            } else {
                diagnostics.push(syn::Error::new_spanned(
                    &attr,
                    "`#[address]` makes the type `#[repr(transparent)]` so it has exactly the layout of a `usize`; remove this `#[repr]`",
                ));
            }
        } else if path
            .segments
            .last()
            .is_some_and(|last| last.ident == "address")
        {
            diagnostics.push(syn::Error::new_spanned(
                &attr,
                "`#[address]` is applied twice; remove this one",
            ));
        } else {
            checked.kept.push(attr);
        }
    }
    checked
}

/// Records what `attr` derives, and drops (reporting it) any derive of a
/// trait the expansion implements by hand.
fn check_derive(
    attr: Attribute,
    user_derives: &mut Vec<String>,
    diagnostics: &mut Diagnostics,
) -> Attribute {
    let Ok(paths) = attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated) else {
        return attr; // rustc reports the malformed derive itself
    };
    let mut kept: Vec<&Path> = Vec::new();
    for path in &paths {
        let name = path
            .segments
            .last()
            .map(|last| last.ident.to_string())
            .unwrap_or_default();
        if let Some(implemented) =
            generate::trait_impls().find(|implemented| implemented.derive == name)
        {
            diagnostics.push(syn::Error::new_spanned(
                path,
                format!(
                    "`#[address]` implements `{name}` itself ({}); remove `{name}` from this derive",
                    implemented.what
                ),
            ));
            continue;
        }
        user_derives.push(name);
        kept.push(path);
    }
    if kept.len() == paths.len() {
        return attr;
    }
    let pound = attr.pound_token;
    let rebuilt = quote!(#pound [derive(#(#kept),*)]);
    Attribute::parse_outer
        .parse2(rebuilt)
        .ok()
        .and_then(|mut attrs| attrs.pop())
        .unwrap_or(attr)
}
