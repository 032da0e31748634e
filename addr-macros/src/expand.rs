//! (AddressOptions, AddressInput) → the address type and its impls.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::LitStr;

use crate::diagnostics::Diagnostics;
use crate::fallback;
use crate::input::{AddressInput, Rejected, DERIVES};
use crate::options::AddressOptions;
use crate::riscv;

/// The whole macro at the proc_macro2 level: never panics, and always returns
/// the item (or what is left of it) beside its errors.
pub(crate) fn address(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut diagnostics = Diagnostics::default();
    let mut options = AddressOptions::parse(args, &mut diagnostics);
    let runtime = runtime_path(&options);
    let mut tokens = match AddressInput::parse(item.clone(), &mut diagnostics) {
        Ok(input) => {
            check_names(&mut options, &input, &mut diagnostics);
            expand(&options, &input, &runtime)
        }
        Err(Rejected::Named { item, user_derives }) => {
            fallback::stubs(&item, &user_derives, &runtime)
        }
        Err(Rejected::Other) => item,
    };
    tokens.extend(diagnostics.into_compile_errors());
    tokens
}

/// `<crate>::__private`: every runtime item of the expansion is reached
/// through it, so a user crate that renames addr-types still compiles.
fn runtime_path(options: &AddressOptions) -> TokenStream {
    let krate = options
        .krate
        .as_ref()
        .map_or_else(|| quote!(::addr_types), ToTokens::to_token_stream);
    quote!(#krate::__private)
}

/// Drops (reporting it) a range alias named like the type itself, and a
/// generation with no range alias to apply to.
fn check_names(options: &mut AddressOptions, input: &AddressInput, diagnostics: &mut Diagnostics) {
    if options.range.is_none() {
        if let Some((name, _)) = options.generation.take() {
            diagnostics.push(syn::Error::new(
                name.span(),
                format!(
                    "`generation` only chooses the `AddrRange` behind `range`: add `range = {}Range` or remove `generation`",
                    input.ident.unraw()
                ),
            ));
        }
    }
    if options.range.as_ref() == Some(&input.ident) {
        let range = options.range.take();
        diagnostics.push(syn::Error::new_spanned(
            range,
            format!(
                "the range alias needs its own name, e.g. `range = {}Range`",
                input.ident
            ),
        ));
    }
}

fn expand(options: &AddressOptions, input: &AddressInput, runtime: &TokenStream) -> TokenStream {
    let AddressInput {
        attrs,
        vis,
        ident,
        field_attrs,
        field_vis,
        ..
    } = input;
    let name = ident.to_string();
    let derives = DERIVES
        .iter()
        .filter(|(_, derive)| !input.user_derives.iter().any(|user| user == derive))
        .map(|(module, derive)| {
            let module = Ident::new(module, Span::call_site());
            let derive = Ident::new(derive, Span::call_site());
            quote!(::core::#module::#derive)
        });
    let repr = (!input.has_repr_transparent).then(|| quote!(#[repr(transparent)]));
    let prefix = options
        .prefix
        .clone()
        .unwrap_or_else(|| LitStr::new(&ident.unraw().to_string(), ident.span()));

    let mut tokens = quote! {
        #(#attrs)*
        #repr
        #[derive(#(#derives),*)]
        #vis struct #ident(#(#field_attrs)* #field_vis ::core::primitive::usize);
    };
    tokens.extend(conversions(ident, runtime, Bodies::Real));
    tokens.extend(arithmetic(ident, Bodies::Real));
    tokens.extend(formatting(ident, &prefix, runtime, Bodies::Real));
    if let Some(range) = &options.range {
        let generation = options.generation();
        let doc = format!(
            "A range of [`{name}`]s, `[start, end)`: {}'s `AddrRange<{name}>`.",
            generation.crate_name()
        );
        // Spanned at the alias so that a generation whose addr-types
        // feature is off is reported there.
        let module = Ident::new(generation.module(), range.span());
        tokens.extend(quote! {
            #[doc = #doc]
            #vis type #range = #runtime::#module::AddrRange<#ident>;
        });
    }
    // Expands to the serde impls when addr-types' `serde` feature is on, to
    // nothing otherwise: the user's crate never names serde.
    tokens.extend(quote!(#runtime::impl_serde!(#ident);));
    if let Some(fence) = options.riscv_fence {
        tokens.extend(riscv::address_kind_impls(fence, ident, runtime));
    }
    tokens
}

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

    /// Stubs ignore their arguments; their crate fails to compile anyway, so
    /// they must not add warnings to the one error that matters.
    fn lint(self) -> TokenStream {
        match self {
            Self::Real => TokenStream::new(),
            Self::Stub => quote!(#[allow(unused_variables)]),
        }
    }
}

/// The const inherent API and the `usize` conversions that make memory_addr's
/// blanket `MemoryAddr` impl apply.
pub(crate) fn conversions(ident: &Ident, runtime: &TokenStream, bodies: Bodies) -> TokenStream {
    let [from_usize_doc, as_usize_doc, align_down_4k_doc, align_up_4k_doc, align_offset_4k_doc, is_aligned_4k_doc] =
        method_docs(ident);
    let lint = bodies.lint();
    let wrap = bodies.of(quote!(Self(addr)));
    let unwrap = bodies.of(quote!(self.0));
    let unwrap_arg = bodies.of(quote!(addr.0));
    let align_down_4k = bodies.of(quote!(Self(#runtime::align_down_4k(self.0))));
    let align_up_4k = bodies.of(quote!(Self(#runtime::align_up_4k(self.0))));
    let align_offset_4k = bodies.of(quote!(#runtime::align_offset_4k(self.0)));
    let is_aligned_4k = bodies.of(quote!(#runtime::is_aligned_4k(self.0)));
    quote! {
        #lint
        impl #ident {
            #[doc = #from_usize_doc]
            #[inline]
            #[must_use]
            pub const fn from_usize(addr: ::core::primitive::usize) -> Self {
                #wrap
            }

            #[doc = #as_usize_doc]
            #[inline]
            #[must_use]
            pub const fn as_usize(self) -> ::core::primitive::usize {
                #unwrap
            }

            #[doc = #align_down_4k_doc]
            #[inline]
            #[must_use]
            pub const fn align_down_4k(self) -> Self {
                #align_down_4k
            }

            #[doc = #align_up_4k_doc]
            #[inline]
            #[must_use]
            pub const fn align_up_4k(self) -> Self {
                #align_up_4k
            }

            #[doc = #align_offset_4k_doc]
            #[inline]
            #[must_use]
            pub const fn align_offset_4k(self) -> ::core::primitive::usize {
                #align_offset_4k
            }

            #[doc = #is_aligned_4k_doc]
            #[inline]
            #[must_use]
            pub const fn is_aligned_4k(self) -> ::core::primitive::bool {
                #is_aligned_4k
            }
        }

        #lint
        #[automatically_derived]
        impl ::core::convert::From<::core::primitive::usize> for #ident {
            #[inline]
            fn from(addr: ::core::primitive::usize) -> Self {
                #wrap
            }
        }

        #lint
        #[automatically_derived]
        impl ::core::convert::From<#ident> for ::core::primitive::usize {
            #[inline]
            fn from(addr: #ident) -> Self {
                #unwrap_arg
            }
        }
    }
}

/// `addr ± usize`, `addr ±= usize` and `addr - addr`, with plain `usize`
/// semantics (overflow checks as the user's profile says), as
/// `def_usize_addr!` has them.
pub(crate) fn arithmetic(ident: &Ident, bodies: Bodies) -> TokenStream {
    let lint = bodies.lint();
    let add = bodies.of(quote!(Self(self.0 + rhs)));
    let add_assign = bodies.of(quote!(self.0 += rhs;));
    let sub = bodies.of(quote!(Self(self.0 - rhs)));
    let sub_assign = bodies.of(quote!(self.0 -= rhs;));
    let sub_addr = bodies.of(quote!(self.0 - rhs.0));
    quote! {
        #lint
        #[automatically_derived]
        impl ::core::ops::Add<::core::primitive::usize> for #ident {
            type Output = Self;
            #[inline]
            fn add(self, rhs: ::core::primitive::usize) -> Self {
                #add
            }
        }

        #lint
        #[automatically_derived]
        impl ::core::ops::AddAssign<::core::primitive::usize> for #ident {
            #[inline]
            fn add_assign(&mut self, rhs: ::core::primitive::usize) {
                #add_assign
            }
        }

        #lint
        #[automatically_derived]
        impl ::core::ops::Sub<::core::primitive::usize> for #ident {
            type Output = Self;
            #[inline]
            fn sub(self, rhs: ::core::primitive::usize) -> Self {
                #sub
            }
        }

        #lint
        #[automatically_derived]
        impl ::core::ops::SubAssign<::core::primitive::usize> for #ident {
            #[inline]
            fn sub_assign(&mut self, rhs: ::core::primitive::usize) {
                #sub_assign
            }
        }

        #lint
        #[automatically_derived]
        impl ::core::ops::Sub for #ident {
            type Output = ::core::primitive::usize;
            #[inline]
            fn sub(self, rhs: Self) -> ::core::primitive::usize {
                #sub_addr
            }
        }
    }
}

/// Debug and LowerHex print `PREFIX:0x1abc`, UpperHex `PREFIX:0x1ABC`, each
/// a call into one shared non-generic function of addr-types: no
/// `format_args!` is expanded per type.
pub(crate) fn formatting(
    ident: &Ident,
    prefix: &LitStr,
    runtime: &TokenStream,
    bodies: Bodies,
) -> TokenStream {
    let lint = bodies.lint();
    let impl_fmt = |trait_name: &str, function: &str| {
        let trait_name = Ident::new(trait_name, Span::call_site());
        let function = Ident::new(function, Span::call_site());
        let body = bodies.of(quote!(#runtime::#function(f, #prefix, self.0)));
        quote! {
            #lint
            #[automatically_derived]
            impl ::core::fmt::#trait_name for #ident {
                #[inline]
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    #body
                }
            }
        }
    };
    let mut tokens = impl_fmt("Debug", "fmt_lower_hex");
    tokens.extend(impl_fmt("LowerHex", "fmt_lower_hex"));
    tokens.extend(impl_fmt("UpperHex", "fmt_upper_hex"));
    tokens
}

/// Doc comments of the generated methods, each naming the type so a crate
/// under `#![deny(missing_docs)]` compiles and its docs read well.
fn method_docs(ident: &Ident) -> [String; 6] {
    let name = ident.to_string();
    [
        format!("Converts a `usize` to a [`{name}`]."),
        format!("Converts a [`{name}`] to a `usize`."),
        format!("Rounds the [`{name}`] down to a 4 KiB boundary; usable in `const` items."),
        format!("Rounds the [`{name}`] up to a 4 KiB boundary; usable in `const` items."),
        format!("Returns the offset of the [`{name}`] within its 4 KiB page."),
        format!("Returns whether the [`{name}`] is 4 KiB aligned."),
    ]
}

#[cfg(test)]
mod tests {
    use super::address;
    use proc_macro2::TokenStream;
    use quote::quote;

    /// Expansion as text with whitespace removed, for `contains` checks that
    /// do not depend on how proc_macro2 spaces tokens.
    fn expand(args: TokenStream, item: TokenStream) -> String {
        address(args, item).to_string().replace(' ', "")
    }

    fn compile_errors(expansion: &str) -> usize {
        expansion.matches("compile_error!").count()
    }

    #[test]
    fn plain_struct_gets_the_whole_api() {
        let out = expand(
            quote!(),
            quote!(
                pub struct Gpa(usize);
            ),
        );
        assert_eq!(compile_errors(&out), 0, "{out}");
        for expected in [
            "#[repr(transparent)]",
            "#[derive(::core::clone::Clone,::core::marker::Copy,::core::default::Default,::core::cmp::PartialEq,::core::cmp::Eq,::core::cmp::PartialOrd,::core::cmp::Ord,::core::hash::Hash)]",
            "pubstructGpa(::core::primitive::usize);",
            "pubconstfnfrom_usize(addr:::core::primitive::usize)->Self",
            "pubconstfnalign_down_4k(self)->Self{Self(::addr_types::__private::align_down_4k(self.0))}",
            "impl::core::convert::From<Gpa>for::core::primitive::usize",
            "impl::core::ops::SubforGpa{typeOutput=::core::primitive::usize;",
            "::addr_types::__private::fmt_lower_hex(f,\"Gpa\",self.0)",
            "::addr_types::__private::fmt_upper_hex(f,\"Gpa\",self.0)",
            "::addr_types::__private::impl_serde!(Gpa);",
        ] {
            assert!(out.contains(expected), "missing {expected} in {out}");
        }
        assert!(
            !out.contains("impl_address_kind"),
            "no riscv_fence, no FlushTlb/SvVirtAddr impls"
        );
        assert!(!out.contains("unsafe"));
    }

    /// Every `core`/`memory_addr`/`addr_types` identifier in `tokens` that
    /// does not follow `::`: a path the user's crate could shadow.
    fn relative_paths(tokens: TokenStream, found: &mut Vec<String>) {
        use proc_macro2::TokenTree;
        let mut previous_colon = false;
        for token in tokens {
            match &token {
                TokenTree::Ident(ident)
                    if !previous_colon
                        && ["core", "memory_addr", "addr_types"]
                            .iter()
                            .any(|name| ident == name) =>
                {
                    found.push(ident.to_string());
                }
                TokenTree::Group(group) => relative_paths(group.stream(), found),
                _ => {}
            }
            previous_colon = matches!(&token, TokenTree::Punct(punct) if punct.as_char() == ':');
        }
    }

    #[test]
    fn every_path_is_absolute() {
        let out = address(
            quote!(
                prefix = "GPA",
                range = GpaRange,
                riscv_fence = "hfence.gvma"
            ),
            quote!(
                pub struct Gpa(usize);
            ),
        );
        let mut found = Vec::new();
        relative_paths(out.clone(), &mut found);
        assert!(found.is_empty(), "relative paths {found:?} in {out}");
        // The walker itself must see a relative path when there is one.
        relative_paths(quote!(impl core::fmt::Debug for A {}), &mut found);
        assert_eq!(found, ["core"]);
    }

    #[test]
    fn options_drive_the_expansion() {
        let out = expand(
            quote!(
                prefix = "GPA",
                range = GpaRange,
                riscv_fence = "hfence.gvma",
                crate = ::kernel::addr
            ),
            quote!(
                pub(crate) struct Gpa(usize);
            ),
        );
        assert_eq!(compile_errors(&out), 0, "{out}");
        assert!(out.contains("::kernel::addr::__private::fmt_lower_hex(f,\"GPA\",self.0)"));
        assert!(out.contains(
            "pub(crate)typeGpaRange=::kernel::addr::__private::ax_memory_addr_07::AddrRange<Gpa>;"
        ));
        assert!(out.contains("::kernel::addr::__private::impl_address_kind!(Gpa,guest_physical);"));
        assert!(
            !out.contains("::addr_types::"),
            "crate override must replace every path: {out}"
        );
    }

    #[test]
    fn each_fence_calls_its_own_functions() {
        for (fence, kind) in [
            ("hfence.gvma", "impl_address_kind!(A,guest_physical);"),
            ("hfence.vvma", "impl_address_kind!(A,guest_virtual);"),
            ("sfence.vma", "impl_address_kind!(A,host_virtual);"),
        ] {
            let out = expand(
                quote!(riscv_fence = #fence),
                quote!(
                    struct A(usize);
                ),
            );
            assert!(out.contains(kind), "{fence}: {out}");
        }
    }

    #[test]
    fn user_attributes_and_visibilities_are_kept() {
        let out = expand(
            quote!(),
            quote! {
                /// Docs.
                #[derive(Clone, core::hash::Hash)]
                #[repr(transparent)]
                pub struct A(#[doc = "raw"] pub usize);
            },
        );
        assert_eq!(compile_errors(&out), 0, "{out}");
        assert!(
            out.contains("#[doc=r\"Docs.\"]") || out.contains("#[doc=\"Docs.\"]"),
            "{out}"
        );
        assert!(out.contains("#[derive(Clone,core::hash::Hash)]"));
        assert!(out.contains("#[derive(::core::marker::Copy,::core::default::Default,::core::cmp::PartialEq,::core::cmp::Eq,::core::cmp::PartialOrd,::core::cmp::Ord)]"));
        assert_eq!(out.matches("#[repr(transparent)]").count(), 1, "{out}");
        assert!(out.contains("pubstructA(#[doc=\"raw\"]pub::core::primitive::usize);"));
    }

    #[test]
    fn spelled_out_usize_paths_are_accepted() {
        for field in [
            quote!(usize),
            quote!(core::primitive::usize),
            quote!(::core::primitive::usize),
        ] {
            let out = expand(quote!(), quote!(struct A(#field);));
            assert_eq!(compile_errors(&out), 0, "{field}: {out}");
        }
        for field in [
            quote!(::usize),
            quote!(std::primitive::usize),
            quote!(u64),
            quote!(Usize),
        ] {
            let out = expand(quote!(), quote!(struct A(#field);));
            assert_eq!(compile_errors(&out), 1, "{field}: {out}");
        }
    }

    #[test]
    fn a_wrong_field_type_is_reported_then_taken_as_usize() {
        let out = expand(
            quote!(prefix = "A"),
            quote!(
                pub struct A(pub u32);
            ),
        );
        assert_eq!(compile_errors(&out), 1, "{out}");
        assert!(
            out.contains("pubstructA(pub::core::primitive::usize);"),
            "{out}"
        );
        assert!(out.contains("{Self(addr)}"), "real bodies: {out}");
    }

    #[test]
    fn generics_are_reported_then_dropped() {
        let out = expand(
            quote!(),
            quote!(
                struct A<T: Copy>(usize)
                where
                    T: Clone;
            ),
        );
        assert_eq!(compile_errors(&out), 2, "{out}");
        assert!(out.contains("structA(::core::primitive::usize);"), "{out}");
        assert!(out.contains("implA{"), "{out}");
    }

    #[test]
    fn conflicting_attributes_are_reported_then_removed() {
        let out = expand(
            quote!(),
            quote! {
                #[derive(Debug, Clone)]
                #[repr(C)]
                #[addr_types::address]
                struct A(usize);
            },
        );
        assert_eq!(compile_errors(&out), 3, "{out}");
        assert!(
            out.contains("#[derive(Clone)]"),
            "Debug removed, Clone kept: {out}"
        );
        assert!(
            !out.contains("repr(C)") && !out.contains("#[addr_types::address]"),
            "{out}"
        );
        assert!(
            out.contains("#[repr(transparent)]#[derive(::core::marker::Copy"),
            "{out}"
        );
    }

    #[test]
    fn other_shapes_keep_the_item_and_stub_the_api() {
        let out = expand(
            quote!(),
            quote!(
                #[derive(Clone)]
                pub enum A {
                    X,
                }
            ),
        );
        assert_eq!(compile_errors(&out), 1, "{out}");
        assert!(
            out.contains("#[derive(Clone)]pubenumA{X,}"),
            "item kept as written: {out}"
        );
        assert!(out.contains(
            "pubconstfnfrom_usize(addr:::core::primitive::usize)->Self{::core::unreachable!()}"
        ));
        assert!(out.contains("impl::core::fmt::DebugforA"));
        assert!(out.contains("impl::core::cmp::PartialEqforA"), "{out}");
        assert!(
            !out.contains("impl::core::clone::CloneforA"),
            "the user's Clone is not stubbed: {out}"
        );
        assert!(
            !out.contains("#[derive(::core"),
            "no derives on an item of unknown shape: {out}"
        );
    }

    #[test]
    fn foreign_items_are_kept_unchanged() {
        let out = expand(
            quote!(),
            quote!(
                fn f() {}
            ),
        );
        assert_eq!(compile_errors(&out), 1, "{out}");
        assert!(out.starts_with("fnf(){}"), "{out}");
    }

    #[test]
    fn option_errors_and_shape_errors_all_arrive_together() {
        let out = expand(
            quote!(prefx = "A", range = "R"),
            quote!(
                enum A {}
            ),
        );
        assert_eq!(compile_errors(&out), 3, "{out}");
    }

    #[test]
    fn range_alias_cannot_reuse_the_type_name() {
        let out = expand(
            quote!(range = A),
            quote!(
                struct A(usize);
            ),
        );
        assert_eq!(compile_errors(&out), 1, "{out}");
        assert!(out.contains("ARange"), "suggests a name: {out}");
    }
}
