//! `#[address(...)]` → [`AddressOptions`], driven by [`OPTIONS`]: the one
//! list of option keys, with what each is written like, what it does, its
//! parser and the values the fuzz test feeds it. The attribute reference
//! in `lib.rs`, the "did you mean" and the "the options are" of errors all
//! read this table.
//!
//! Every entry is read to its closing comma before it is judged, so one bad
//! value never hides the next entry's mistake: all option errors of one
//! attribute arrive in the same compile.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Ident, LitStr, Path, PathArguments, Token};

use crate::diagnostics::Diagnostics;
use crate::suggest;

mod generation;
mod translates;

pub(crate) use generation::Generation;
pub(crate) use translates::Translation;

/// An enum of option values with `ALL`, its variants in order, from one
/// list, so that no variant can be left out of the lookups that walk it.
macro_rules! value_enum {
    ($(#[$attr:meta])* $name:ident { $($variant:ident),* $(,)? }) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum $name {
            $($variant),*
        }

        impl $name {
            /// Every value, in the order of the docs.
            pub(crate) const ALL: &'static [Self] = &[$(Self::$variant),*];
        }
    };
}
use value_enum;

/// One `#[address]` option key.
pub(crate) struct OptionSpec {
    pub key: &'static str,
    /// What follows the key, and how it is read.
    pub takes: Takes,
    /// What it does, for the attribute reference.
    #[cfg_attr(not(test), allow(dead_code))]
    pub doc: &'static str,
    /// Values (as Rust tokens) the fuzz test combines with the key.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fuzz: &'static [&'static str],
}

/// What an option key takes.
pub(crate) enum Takes {
    /// `key = value`, `example` being a value as the docs show it.
    Value {
        example: &'static str,
        parse: fn(&mut AddressOptions, &Value) -> syn::Result<()>,
    },
    /// The key alone, a flag.
    Nothing { set: fn(&mut AddressOptions, Ident) },
}

impl OptionSpec {
    /// How it is written, as the attribute reference and errors show it.
    pub(crate) fn example(&self) -> String {
        match self.takes {
            Takes::Value { example, .. } => format!("{} = {example}", self.key),
            Takes::Nothing { .. } => self.key.to_owned(),
        }
    }

    /// Reads what follows the key into `options`.
    fn apply(&self, options: &mut AddressOptions, path: &Path, entry: Entry) -> syn::Result<()> {
        match (&self.takes, entry) {
            (Takes::Value { parse, .. }, Entry::Value(value)) => parse(options, &value),
            (Takes::Value { .. }, Entry::Flag | Entry::Other(_)) => Err(syn::Error::new_spanned(
                path,
                format!("`{}` needs a value: write `{}`", self.key, self.example()),
            )),
            (Takes::Nothing { set }, Entry::Flag) => {
                if let Some(key) = path.get_ident() {
                    set(options, key.clone());
                }
                Ok(())
            }
            (Takes::Nothing { .. }, Entry::Value(value)) => {
                Err(value.error_with_key(path, self.takes_nothing()))
            }
            (Takes::Nothing { .. }, Entry::Other(tokens)) => {
                Err(syn::Error::new_spanned(tokens, self.takes_nothing()))
            }
        }
    }

    fn takes_nothing(&self) -> String {
        format!(
            "`{}` takes no value: write `#[address({})]`",
            self.key, self.key
        )
    }
}

pub(crate) const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        key: "prefix",
        takes: Takes::Value {
            example: "\"GPA\"",
            parse: |options, value| {
                options.prefix = Some(parse_prefix(value)?);
                Ok(())
            },
        },
        doc: "Printed before `:0x…` by `Debug`, `LowerHex` and `UpperHex`. Default: the type's name.",
        fuzz: &["\"GPA\"", "\"\"", "GPA", "1"],
    },
    OptionSpec {
        key: "range",
        takes: Takes::Value {
            example: "GuestPhysAddrRange",
            parse: |options, value| {
                options.range = Some(parse_range(value)?);
                Ok(())
            },
        },
        doc: "Also emits `type GuestPhysAddrRange = AddrRange<Self>;`, with the type's visibility.",
        fuzz: &["GuestPhysAddrRange", "R", "\"R\"", "a::b", "A"],
    },
    OptionSpec {
        key: "generation",
        takes: Takes::Value {
            example: "memory_addr_04",
            parse: |options, value| {
                options.generation = Some(parse_generation(value)?);
                Ok(())
            },
        },
        doc: "Whose `AddrRange` the `range` alias names: `ax_memory_addr_07` (the default, whatever features are on), `ax_memory_addr_06` or `memory_addr_04`, each with the addr-types feature of its name (`memory-addr-04`…).",
        fuzz: &[
            "memory_addr_04",
            "ax_memory_addr_06",
            "ax_memory_addr_07",
            "memory_addr_4",
            "\"memory_addr_04\"",
        ],
    },
    OptionSpec {
        key: "translates",
        takes: Takes::Value {
            example: "\"guest-physical\"",
            parse: |options, value| {
                options.translates = Some(parse_translation(value)?);
                Ok(())
            },
        },
        doc: "What the address is the input of (`\"guest-physical\"`, `\"guest-virtual\"` or `\"host-virtual\"`): implements `FlushTlb` and, on riscv64, `SvVirtAddr` with the fence that invalidates those translations.",
        fuzz: &[
            "\"guest-physical\"",
            "\"guest-virtual\"",
            "\"host-virtual\"",
            "\"guest-phys\"",
            "\"hfence.gvma\"",
            "guest_physical",
            "\"\"",
        ],
    },
    OptionSpec {
        key: "serde",
        takes: Takes::Nothing {
            set: |options, key| options.serde = Some(key),
        },
        doc: "`Serialize`/`Deserialize` (addr-types' `serde` feature): `\"0x…\"` strings in human-readable formats, integers in binary ones.",
        fuzz: &["", "true", "()"],
    },
    OptionSpec {
        key: "crate",
        takes: Takes::Value {
            example: "::addr_types",
            parse: |options, value| {
                options.crate_path = Some(parse_crate(value)?);
                Ok(())
            },
        },
        doc: "Where addr-types is, when neither `::addr_types` nor its rename in your `Cargo.toml` (or the workspace's) reaches it, as through a re-export: a module path, or a string holding one.",
        fuzz: &[
            "::addr_types",
            "crate::reexport",
            "\"crate::x\"",
            "a::<u8>::b",
            "\"a<u8>\"",
            "Fn()",
            "1",
            "\"a b\"",
        ],
    },
];

/// Every option key, for errors.
fn keys() -> Vec<&'static str> {
    OPTIONS.iter().map(|spec| spec.key).collect()
}

/// The options of one `#[address(...)]`, each as written by the user.
#[derive(Default)]
pub(crate) struct AddressOptions {
    /// `prefix = "GPA"`: printed before `:0x…`.
    pub prefix: Option<LitStr>,
    /// `range = GuestPhysAddrRange`: name of the `AddrRange` alias to emit.
    pub range: Option<Ident>,
    /// `generation = memory_addr_04`: whose `AddrRange` the alias names.
    pub generation: Option<(Ident, Generation)>,
    /// `translates = "guest-physical"`: what the address is the input of.
    pub translates: Option<Translation>,
    /// `serde`: the key itself, whose span an error about a disabled `serde`
    /// feature points at.
    pub serde: Option<Ident>,
    /// `crate = path`: where addr-types lives.
    pub crate_path: Option<Path>,
}

impl AddressOptions {
    /// Parses the attribute's arguments, reporting every mistake into
    /// `diagnostics` and keeping every entry that was right.
    pub(crate) fn parse(args: TokenStream, diagnostics: &mut Diagnostics) -> Self {
        let args = without_literal_entries(args, diagnostics);
        let mut options = Self::default();
        let mut seen: Vec<&'static str> = Vec::new();
        let parser = syn::meta::parser(|meta| {
            let entry = Entry::take(&meta)?;
            let spec = meta
                .path
                .get_ident()
                .and_then(|key| OPTIONS.iter().find(|spec| key == spec.key));
            let Some(spec) = spec else {
                diagnostics.push(unknown_key(&meta.path));
                return Ok(());
            };
            if seen.contains(&spec.key) {
                diagnostics.push(syn::Error::new_spanned(
                    &meta.path,
                    format!(
                        "duplicate `{}` option; each option may be given once",
                        spec.key
                    ),
                ));
                return Ok(());
            }
            seen.push(spec.key);
            if let Err(error) = spec.apply(&mut options, &meta.path, entry) {
                diagnostics.push(error);
            }
            Ok(())
        });
        if let Err(error) = parser.parse2(args) {
            diagnostics.push(error);
        }
        options
    }
}

/// Removes, reporting each, entries that start with a literal, such as
/// `#[address("GPA")]`: syn's own error for them ("unexpected literal")
/// does not say what to write.
fn without_literal_entries(args: TokenStream, diagnostics: &mut Diagnostics) -> TokenStream {
    let mut kept = Vec::new();
    let mut entry: Vec<TokenTree> = Vec::new();
    let mut tokens = args.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let is_comma = matches!(&token, TokenTree::Punct(punct) if punct.as_char() == ',');
        if !is_comma {
            entry.push(token.clone());
        }
        if !is_comma && tokens.peek().is_some() {
            continue;
        }
        if let Some(TokenTree::Literal(literal)) = entry.first() {
            let hint = if syn::parse2::<LitStr>(literal.to_token_stream()).is_ok() {
                format!("did you mean `prefix = {literal}`?")
            } else {
                "e.g. `#[address(prefix = \"GPA\")]`".to_owned()
            };
            diagnostics.push(syn::Error::new_spanned(
                entry.iter().cloned().collect::<TokenStream>(),
                format!("`#[address]` options are written `key = value`; {hint}"),
            ));
        } else {
            kept.append(&mut entry);
            if is_comma {
                kept.push(token);
            }
        }
        entry.clear();
    }
    kept.into_iter().collect()
}

/// What follows an option's key, up to the comma that ends the entry.
enum Entry {
    /// Nothing: `serde`.
    Flag,
    /// `= value`.
    Value(Value),
    /// Anything else, such as `(…)`.
    Other(TokenStream),
}

impl Entry {
    fn take(meta: &ParseNestedMeta<'_>) -> syn::Result<Self> {
        let eq: Option<Token![=]> = meta.input.parse()?;
        let mut tokens = TokenStream::new();
        while !meta.input.is_empty() && !meta.input.peek(Token![,]) {
            tokens.extend([meta.input.parse::<TokenTree>()?]);
        }
        Ok(match eq {
            Some(eq) => Self::Value(Value { eq, tokens }),
            None if tokens.is_empty() => Self::Flag,
            None => Self::Other(tokens),
        })
    }
}

/// The tokens after `key =`.
pub(crate) struct Value {
    eq: Token![=],
    tokens: TokenStream,
}

impl Value {
    /// An error on the whole value, or on the `=` when nothing follows it.
    fn error(&self, message: impl std::fmt::Display) -> syn::Error {
        if self.tokens.is_empty() {
            syn::Error::new(self.eq.span, message)
        } else {
            syn::Error::new_spanned(&self.tokens, message)
        }
    }

    /// An error on the whole entry, `key = value`.
    fn error_with_key(&self, path: &Path, message: impl std::fmt::Display) -> syn::Error {
        let eq = self.eq;
        let tokens = &self.tokens;
        syn::Error::new_spanned(quote::quote!(#path #eq #tokens), message)
    }
}

fn unknown_key(path: &Path) -> syn::Error {
    let written = path.to_token_stream().to_string().replace(' ', "");
    let keys = keys();
    let hint = path
        .get_ident()
        .and_then(|key| suggest::closest(&key.to_string(), &keys))
        .map(|key| format!("; did you mean `{key}`?"))
        .unwrap_or_default();
    syn::Error::new_spanned(
        path,
        format!(
            "unknown `#[address]` option `{written}`{hint}\nthe options are {}",
            suggest::one_of(&keys)
        ),
    )
}

fn parse_string(value: &Value, what: &str) -> syn::Result<LitStr> {
    syn::parse2::<LitStr>(value.tokens.clone())
        .map_err(|_| value.error(format!("expected a string literal: {what}")))
}

fn parse_prefix(value: &Value) -> syn::Result<LitStr> {
    let prefix = parse_string(value, "`prefix = \"GPA\"`")?;
    if prefix.value().is_empty() {
        return Err(syn::Error::new(
            prefix.span(),
            "the prefix must not be empty; remove `prefix` to print the type's name, as in `GuestPhysAddr:0x1000`",
        ));
    }
    Ok(prefix)
}

fn parse_range(value: &Value) -> syn::Result<Ident> {
    if let Ok(string) = syn::parse2::<LitStr>(value.tokens.clone()) {
        return Err(syn::Error::new(
            string.span(),
            format!(
                "expected an identifier, not a string: `range = {}`",
                string.value()
            ),
        ));
    }
    syn::parse2::<Ident>(value.tokens.clone()).map_err(|_| {
        value.error("expected the name of the range type alias to generate, e.g. `range = GuestPhysAddrRange`")
    })
}

fn parse_generation(value: &Value) -> syn::Result<(Ident, Generation)> {
    let modules = Generation::modules();
    let expected = format!(
        "expected the addr-types module of a generation: {}",
        suggest::one_of(&modules)
    );
    let Ok(name) = syn::parse2::<Ident>(value.tokens.clone()) else {
        return Err(match syn::parse2::<LitStr>(value.tokens.clone()) {
            Ok(string) => syn::Error::new(
                string.span(),
                format!(
                    "expected an identifier, not a string: `generation = {}`",
                    string.value()
                ),
            ),
            Err(_) => value.error(expected),
        });
    };
    if let Some(generation) = Generation::from_module(&name.to_string()) {
        return Ok((name, generation));
    }
    let hint = suggest::closest(&name.to_string(), &modules)
        .map(|module| format!("; did you mean `{module}`?"))
        .unwrap_or_default();
    Err(syn::Error::new(
        name.span(),
        format!("unknown generation `{name}`{hint}\n{expected}"),
    ))
}

/// "`a` (what a is), `b` (…) or `c` (…)" of the translations.
fn translations_explained() -> String {
    let explained: Vec<String> = Translation::ALL
        .iter()
        .map(|translation| {
            let names = translation.names();
            format!("\"{}\" (translated by {})", names.value, names.stage)
        })
        .collect();
    let explained: Vec<&str> = explained.iter().map(String::as_str).collect();
    suggest::one_of(&explained).replace('`', "")
}

fn parse_translation(value: &Value) -> syn::Result<Translation> {
    let expected = format!(
        "expected what the address is the input of: {}",
        translations_explained()
    );
    let Ok(name) = syn::parse2::<LitStr>(value.tokens.clone()) else {
        let written = value.tokens.to_string().replace(' ', "");
        let hint = suggest::closest(&written.replace('_', "-"), &Translation::values())
            .map(|name| format!("; write `translates = \"{name}\"`"))
            .unwrap_or_default();
        return Err(value.error(format!("expected a string literal{hint}\n{expected}")));
    };
    Translation::from_value(&name.value()).ok_or_else(|| {
        let hint = match Translation::from_fence(&name.value()) {
            Some(translation) => format!(
                "; `{}` is the fence that invalidates {}: write `translates = \"{}\"`",
                name.value(),
                translation.names().stage,
                translation.names().value
            ),
            None => suggest::closest(&name.value(), &Translation::values())
                .map(|name| format!("; did you mean `\"{name}\"`?"))
                .unwrap_or_default(),
        };
        syn::Error::new(
            name.span(),
            format!(
                "unknown `translates` value `{:?}`{hint}\n{expected}",
                name.value()
            ),
        )
    })
}

/// A module path: `::addr_types`, `crate::mm::addr_types`, `self::x`, …,
/// as a path token or a string holding one. The expansion appends
/// `::__private::…` to it, so anything that is no module (generic
/// arguments, `Fn(…)` sugar) is one error here rather than many later.
fn parse_crate(value: &Value) -> syn::Result<Path> {
    const EXPECTED: &str =
        "expected a path to addr-types, e.g. `crate = ::addr_types` or `crate = \"my_kernel::addr_types\"`";
    let path = match syn::parse2::<LitStr>(value.tokens.clone()) {
        Ok(string) => {
            let path = string
                .parse::<Path>()
                .map_err(|_| syn::Error::new(string.span(), EXPECTED))?;
            (path, Some(string))
        }
        Err(_) => (
            syn::parse2::<Path>(value.tokens.clone()).map_err(|_| value.error(EXPECTED))?,
            None,
        ),
    };
    let (path, string) = path;
    if let Some(segment) = path
        .segments
        .iter()
        .find(|segment| !matches!(segment.arguments, PathArguments::None))
    {
        let message = format!(
            "`crate` takes the path of a module, which has no generic arguments: remove `{}`",
            segment
                .arguments
                .to_token_stream()
                .to_string()
                .replace(' ', "")
        );
        // A path read from a string has the string's span.
        return Err(match string {
            Some(string) => syn::Error::new(string.span(), message),
            None => syn::Error::new_spanned(&segment.arguments, message),
        });
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::{AddressOptions, Generation, Translation, OPTIONS};
    use crate::diagnostics::Diagnostics;
    use proc_macro2::TokenStream;
    use quote::{quote, ToTokens};

    fn parse(args: TokenStream) -> (AddressOptions, Vec<String>) {
        let mut diagnostics = Diagnostics::default();
        let options = AddressOptions::parse(args, &mut diagnostics);
        (options, diagnostics.messages())
    }

    #[test]
    fn empty_attribute_has_no_options() {
        let (options, errors) = parse(quote!());
        assert!(errors.is_empty(), "{errors:?}");
        assert!(options.prefix.is_none() && options.range.is_none());
        assert!(options.translates.is_none() && options.crate_path.is_none());
        assert!(options.serde.is_none());
    }

    #[test]
    fn all_options_parse() {
        let (options, errors) = parse(quote!(
            prefix = "GPA",
            range = GuestPhysAddrRange,
            generation = memory_addr_04,
            translates = "guest-physical",
            serde,
            crate = ::my::addr_types,
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(options.prefix.unwrap().value(), "GPA");
        assert_eq!(options.range.unwrap().to_string(), "GuestPhysAddrRange");
        assert_eq!(options.translates, Some(Translation::GuestPhysical));
        assert_eq!(options.generation.unwrap().1, Generation::MemoryAddr04);
        assert_eq!(options.serde.unwrap().to_string(), "serde");
        assert_eq!(
            options.crate_path.unwrap().to_token_stream().to_string(),
            ":: my :: addr_types"
        );
    }

    #[test]
    fn keys_are_unique() {
        for (i, spec) in OPTIONS.iter().enumerate() {
            assert!(
                OPTIONS[i + 1..].iter().all(|other| other.key != spec.key),
                "{}",
                spec.key
            );
        }
    }

    #[test]
    fn crate_accepts_a_string() {
        let (options, errors) = parse(quote!(crate = "kernel::addr"));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            options.crate_path.unwrap().to_token_stream().to_string(),
            "kernel :: addr"
        );
    }

    #[test]
    fn every_mistake_is_reported_and_good_entries_kept() {
        let (options, errors) = parse(quote!(
            prefx = "GPA",
            range = "GuestPhysAddrRange",
            translates = "guest-physcal",
            prefix = "GPA",
            prefix = "HPA",
            crate = 1,
        ));
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(
            errors[0].starts_with("unknown `#[address]` option `prefx`; did you mean `prefix`?")
        );
        assert!(errors[1].starts_with("expected an identifier, not a string"));
        assert!(errors[2].contains("did you mean `\"guest-physical\"`?"));
        assert!(errors[3].starts_with("duplicate `prefix` option"));
        assert!(errors[4].starts_with("expected a path to addr-types"));
        assert_eq!(options.prefix.unwrap().value(), "GPA");
    }

    #[test]
    fn transposed_letters_are_one_typo() {
        let (_, errors) = parse(quote!(rnage = R));
        assert!(errors[0].contains("did you mean `range`?"), "{errors:?}");
    }

    #[test]
    fn missing_values_say_what_to_write() {
        let (_, errors) = parse(quote!(prefix, range(X), translates =));
        assert_eq!(
            errors,
            [
                "`prefix` needs a value: write `prefix = \"GPA\"`",
                "`range` needs a value: write `range = GuestPhysAddrRange`",
                "expected a string literal\nexpected what the address is the input of: \"guest-physical\" (translated by the nested (G-stage, EPT, stage-2) page tables), \"guest-virtual\" (translated by the guest's own (VS-stage) page tables) or \"host-virtual\" (translated by the host's page tables)",
            ]
        );
    }

    #[test]
    fn serde_is_a_flag() {
        let (options, errors) = parse(quote!(serde = true));
        assert_eq!(
            errors,
            ["`serde` takes no value: write `#[address(serde)]`"]
        );
        // Dropped: with addr-types' `serde` feature off, keeping it would add
        // a second error to the one mistake.
        assert!(options.serde.is_none());
    }

    #[test]
    fn the_retired_riscv_fence_is_an_unknown_option() {
        let (options, errors) = parse(quote!(riscv_fence = "hfence.gvma"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("unknown `#[address]` option `riscv_fence`\nthe options are"),
            "{errors:?}"
        );
        assert!(options.translates.is_none());
    }

    #[test]
    fn crate_takes_a_module_path_only() {
        for (args, removed) in [
            (quote!(crate = a::<u8>::b), "::<u8>"),
            (quote!(crate = a::b<T>), "<T>"),
            (quote!(crate = "a::<u8>::b"), "::<u8>"),
        ] {
            let (options, errors) = parse(args.clone());
            assert_eq!(
                errors,
                [format!("`crate` takes the path of a module, which has no generic arguments: remove `{removed}`")],
                "{args}"
            );
            assert!(options.crate_path.is_none());
        }
        for args in [
            quote!(crate = crate::mm::addr),
            quote!(crate = self::addr),
            quote!(crate = super::addr),
        ] {
            let (options, errors) = parse(args.clone());
            assert!(errors.is_empty(), "{args}: {errors:?}");
            assert!(options.crate_path.is_some());
        }
    }

    /// The generation row of the reference names every generation.
    #[test]
    fn the_generation_docs_name_every_generation() {
        let spec = OPTIONS
            .iter()
            .find(|spec| spec.key == "generation")
            .unwrap();
        for &generation in Generation::ALL {
            assert!(
                spec.doc
                    .contains(&format!("`{}`", generation.names().module)),
                "{}",
                generation.names().module
            );
        }
    }

    #[test]
    fn literal_entries_say_how_options_are_written() {
        let (options, errors) = parse(quote!("GPA", range = R, 12));
        assert_eq!(
            errors,
            [
                "`#[address]` options are written `key = value`; did you mean `prefix = \"GPA\"`?",
                "`#[address]` options are written `key = value`; e.g. `#[address(prefix = \"GPA\")]`",
            ]
        );
        assert_eq!(options.range.unwrap().to_string(), "R");
    }

    #[test]
    fn empty_prefix_is_rejected() {
        let (options, errors) = parse(quote!(prefix = ""));
        assert!(options.prefix.is_none());
        assert!(errors[0].starts_with("the prefix must not be empty"));
    }

    #[test]
    fn malformed_separators_are_one_error_not_a_panic() {
        let (_, errors) = parse(quote!(prefix = "GPA" range = R));
        assert_eq!(errors.len(), 1);
        let (_, errors) = parse(quote!(, ,));
        assert_eq!(errors.len(), 1);
    }
}
