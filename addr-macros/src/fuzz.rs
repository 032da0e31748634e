//! The macro must never panic, whatever tokens it is handed (a panicking
//! proc-macro shows the user an unreadable "proc macro panicked" error),
//! and must never lose the item: the rest of the user's crate goes on
//! naming it.
//!
//! Each test runs `ADDR_TYPES_FUZZ_CASES` inputs (256 by default, so the
//! suite stays fast) from a fixed seed, `ADDR_TYPES_FUZZ_SEED` (default 1):
//! the same command runs the same inputs. The long run:
//!
//! ```sh
//! ADDR_TYPES_FUZZ_CASES=25000 cargo test -p addr-macros --release fuzz -- --nocapture
//! ```
//!
//! runs 100 000 macro inputs (four tests) and 25 000 pairs of manifests
//! for the renamed-crate lookup, and prints each test's count.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use quote::quote;

use crate::expand::address_without_manifest as address;
use crate::manifest::{self, Compiling};
use crate::options::{Takes, OPTIONS};

/// Words besides the option keys, which [`words`] adds from [`OPTIONS`].
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
    "riscv_fence",
    "memory_addr_04",
    "ax_memory_addr_06",
    "ax_memory_addr_07",
    "A",
    "B",
    "derive",
    "repr",
    "transparent",
    "Debug",
    "Clone",
    "From",
    "Serialize",
    "address",
    "deprecated",
    "doc",
    "mod",
    "type",
    "T",
];
const PUNCTS: &[char] = &['#', ':', ',', '=', '<', '>', ';', '!', '.', '-', '&', '\''];
const STRINGS: &[&str] = &[
    "GPA",
    "",
    "guest-physical",
    "host-virtual",
    "hfence.gvma",
    "::a::b",
    "a::<u8>",
    "1",
    "a b",
    "crate::x",
];

/// Every option key, then [`WORDS`].
fn words() -> Vec<&'static str> {
    OPTIONS
        .iter()
        .map(|spec| spec.key)
        .chain(WORDS.iter().copied())
        .collect()
}

fn leaf() -> impl Strategy<Value = TokenTree> {
    prop_oneof![
        prop::sample::select(words())
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

/// `key = value` or `key value` for listed values of random options.
fn listed_options() -> impl Strategy<Value = TokenStream> {
    prop::collection::vec(
        (
            0..OPTIONS.len(),
            any::<prop::sample::Index>(),
            any::<bool>(),
        ),
        0..8,
    )
    .prop_map(|entries| {
        let mut args = TokenStream::new();
        for (spec, index, with_eq) in entries {
            let spec = &OPTIONS[spec];
            let key = Ident::new(spec.key, Span::call_site());
            let value: TokenStream = index.get(spec.fuzz).parse().unwrap_or_default();
            args.extend(if with_eq {
                quote!(#key = #value,)
            } else {
                quote!(#key #value,)
            });
        }
        args
    })
}

/// The test runner: `ADDR_TYPES_FUZZ_CASES` cases from the seed
/// `ADDR_TYPES_FUZZ_SEED`.
fn runner() -> (TestRunner, u32) {
    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|value| value.parse().ok())
            .unwrap_or(default)
    };
    let cases = u32::try_from(number("ADDR_TYPES_FUZZ_CASES", 256)).unwrap_or(u32::MAX);
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(number("ADDR_TYPES_FUZZ_SEED", 1)),
        failure_persistence: None,
        ..Config::default()
    };
    (TestRunner::new(config), cases)
}

/// Runs `check` on `cases` inputs of `strategy` and reports the count: for
/// the macro, that the item is kept in every output (`keeps_the_item`).
fn fuzz<S: Strategy>(name: &str, strategy: S, check: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let (mut runner, cases) = runner();
    if let Err(failure) = runner.run(&strategy, check) {
        panic!("{name}: {failure}");
    }
    println!("{name}: {cases} inputs, 0 panics, every check held");
}

/// The item is in the output: its name when it has one, else its tokens
/// unchanged.
fn keeps_the_item(item: &TokenStream, out: &TokenStream) -> Result<(), TestCaseError> {
    let out = out.to_string();
    let kept = match syn::parse2::<syn::DeriveInput>(item.clone()) {
        Ok(input) => {
            let keyword = match input.data {
                syn::Data::Struct(_) => "struct",
                syn::Data::Enum(_) => "enum",
                syn::Data::Union(_) => "union",
            };
            out.contains(&format!("{keyword} {}", input.ident))
        }
        Err(_) => out.contains(&item.to_string()),
    };
    prop_assert!(kept, "lost {item}: {out}");
    Ok(())
}

#[test]
fn arbitrary_tokens_never_panic() {
    fuzz(
        "arbitrary_tokens",
        (token_stream(), token_stream()),
        |(args, item)| keeps_the_item(&item, &address(args, item.clone())),
    );
}

#[test]
fn arbitrary_structs_never_panic() {
    fuzz(
        "arbitrary_structs",
        (token_stream(), struct_like()),
        |(args, item)| keeps_the_item(&item, &address(args, item.clone())),
    );
}

#[test]
fn arbitrary_option_values_never_panic() {
    fuzz(
        "arbitrary_option_values",
        (token_stream(), 0..OPTIONS.len()),
        |(value, spec)| {
            let key = Ident::new(OPTIONS[spec].key, Span::call_site());
            let item = quote!(
                struct A(usize);
            );
            keeps_the_item(&item, &address(quote!(#key = #value), item.clone()))
        },
    );
}

#[test]
fn listed_option_values_never_panic() {
    fuzz(
        "listed_option_values",
        (listed_options(), prop::bool::ANY),
        |(args, well_formed)| {
            let item = if well_formed {
                quote!(
                    pub struct A(usize);
                )
            } else {
                quote!(
                    enum A {
                        X,
                    }
                )
            };
            keeps_the_item(&item, &address(args, item.clone()))
        },
    );
}

/// Lines of manifests: tables, dependency entries in every form, keys the
/// lookup reads, and broken TOML.
const MANIFEST_LINES: &[&str] = &[
    "[package]",
    "name = \"addr-types\"",
    "name = \"user\"",
    "workspace = \"..\"",
    "workspace = \"/\"",
    "[dependencies]",
    "[dev-dependencies]",
    "[build-dependencies]",
    "[target.'cfg(unix)'.dependencies]",
    "[dependencies.k]",
    "[workspace]",
    "[workspace.dependencies]",
    "exclude = [\"member\"]",
    "members = [\"member\"]",
    "package = \"addr-types\"",
    "k = { package = \"addr-types\" }",
    "k = { package = 'addr_types', workspace = true }",
    "k-2 = { package = \"addr-types\" }",
    "1k = { package = \"addr-types\" }",
    "crate = { package = \"addr-types\" }",
    "k.workspace = true",
    "k = { workspace = true }",
    "addr-types = \"0.1\"",
    "addr-types.workspace = true",
    "k = {",
    "}",
    "k.package = \"addr-types\" # c",
    "x = \"\"\"",
    "\"\"\"",
    "k = [1, 2",
    "[[bin]]",
    "k = { package = 1 }",
    "k = \"\\u0000\"",
];

/// A workspace root and a member below it, each a manifest of random lines.
fn manifests() -> impl Strategy<Value = (String, String)> {
    let manifest = || {
        prop::collection::vec(prop::sample::select(MANIFEST_LINES), 0..16)
            .prop_map(|lines| lines.join("\n"))
    };
    (manifest(), manifest())
}

#[test]
fn arbitrary_manifests_never_panic() {
    let dir = std::env::temp_dir().join(format!("addr-macros-fuzz-{}", std::process::id()));
    let member = dir.join("member");
    std::fs::create_dir_all(&member).unwrap();
    fuzz("arbitrary_manifests", manifests(), |(root, package)| {
        std::fs::write(dir.join("Cargo.toml"), root).unwrap();
        std::fs::write(member.join("Cargo.toml"), package).unwrap();
        for compiling in [Compiling::Crate, Compiling::BuildScript] {
            let found = manifest::lookup(&member, compiling);
            if let Some(name) = found.renamed {
                prop_assert!(syn::parse_str::<Ident>(&name).is_ok(), "{name}");
            }
            prop_assert!(!found.read.is_empty());
        }
        Ok(())
    });
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every option is fuzzed: by its key among the words, and by listed
/// values that include a right one.
#[test]
fn every_option_is_fuzzed() {
    let words = words();
    for spec in OPTIONS {
        assert!(words.contains(&spec.key), "{}", spec.key);
        let right = match spec.takes {
            Takes::Value { example, .. } => example,
            Takes::Nothing { .. } => "",
        };
        assert!(spec.fuzz.contains(&right), "{}: {right}", spec.key);
    }
}
