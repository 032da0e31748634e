//! The macro must never panic, whatever tokens it is handed: a panicking
//! proc-macro shows the user an unreadable "proc macro panicked" error.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use proptest::prelude::*;
use quote::quote;

use crate::expand::address;
use crate::options::OPTIONS;

const WORDS: &[&str] = &[
    "struct",
    "enum",
    "union",
    "pub",
    "crate",
    "in",
    "self",
    "super",
    "fn",
    "impl",
    "where",
    "usize",
    "u64",
    "core",
    "primitive",
    "prefix",
    "range",
    "translates",
    "serde",
    "riscv_fence",
    "A",
    "B",
    "derive",
    "repr",
    "transparent",
    "Debug",
    "Clone",
    "address",
    "doc",
    "mod",
    "type",
    "T",
];
const PUNCTS: &[char] = &['#', ':', ',', '=', '<', '>', ';', '!', '.', '-', '&', '\''];
const STRINGS: &[&str] = &[
    "GPA",
    "",
    "hfence.gvma",
    "sfence.vma",
    "::a::b",
    "1",
    "a b",
    "crate::x",
];

fn leaf() -> impl Strategy<Value = TokenTree> {
    prop_oneof![
        prop::sample::select(WORDS)
            .prop_map(|word| TokenTree::Ident(Ident::new(word, Span::call_site()))),
        (prop::sample::select(PUNCTS), any::<bool>()).prop_map(|(ch, joint)| {
            let spacing = if joint {
                Spacing::Joint
            } else {
                Spacing::Alone
            };
            TokenTree::Punct(Punct::new(ch, spacing))
        }),
        prop::sample::select(STRINGS).prop_map(|s| TokenTree::Literal(Literal::string(s))),
        any::<u16>().prop_map(|n| TokenTree::Literal(Literal::u16_unsuffixed(n))),
    ]
}

fn token_stream() -> impl Strategy<Value = TokenStream> {
    let tree = leaf().prop_recursive(3, 24, 6, |inner| {
        (
            prop::sample::select(
                &[
                    Delimiter::Parenthesis,
                    Delimiter::Bracket,
                    Delimiter::Brace,
                    Delimiter::None,
                ][..],
            ),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(delimiter, trees)| {
                TokenTree::Group(Group::new(delimiter, trees.into_iter().collect()))
            })
    });
    prop::collection::vec(tree, 0..12).prop_map(|trees| trees.into_iter().collect())
}

/// A struct-shaped item with random pieces, so the deeper checks (fields,
/// generics, attributes) are reached far more often than by pure noise.
fn struct_like() -> impl Strategy<Value = TokenStream> {
    (token_stream(), token_stream(), token_stream()).prop_map(|(attrs, generics, fields)| {
        quote!(#[doc = "x"] #[derive(#attrs)] pub struct A<#generics>(#fields);)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn arbitrary_tokens_never_panic(args in token_stream(), item in token_stream()) {
        let _ = address(args, item);
    }

    #[test]
    fn arbitrary_structs_never_panic(args in token_stream(), item in struct_like()) {
        let _ = address(args, item);
    }

    #[test]
    fn arbitrary_option_values_never_panic(value in token_stream(), spec in 0..OPTIONS.len()) {
        let key = Ident::new(OPTIONS[spec].key, Span::call_site());
        let out = address(quote!(#key = #value), quote!(struct A(usize);));
        // The item survives whatever the options were.
        prop_assert!(out.to_string().contains("struct A"));
    }

    #[test]
    fn listed_option_values_never_panic(
        entries in prop::collection::vec((0..OPTIONS.len(), any::<prop::sample::Index>(), any::<bool>()), 0..6)
    ) {
        let mut args = TokenStream::new();
        for (spec, index, with_eq) in entries {
            let spec = &OPTIONS[spec];
            let key = Ident::new(spec.key, Span::call_site());
            let value: TokenStream = index.get(spec.fuzz).parse().unwrap_or_default();
            args.extend(if with_eq { quote!(#key = #value,) } else { quote!(#key #value,) });
        }
        let out = address(args, quote!(struct A(usize);));
        prop_assert!(out.to_string().contains("struct A"));
    }
}
