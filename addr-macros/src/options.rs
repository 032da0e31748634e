//! `#[address(...)]` → [`AddressOptions`].
//!
//! Every entry is read to its closing comma before it is judged, so one bad
//! value never hides the next entry's mistake: all option errors of one
//! attribute arrive in the same compile.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Ident, LitStr, Path, Token};

use crate::diagnostics::Diagnostics;
use crate::riscv::FenceKind;
use crate::suggest;

const KEYS: &[&str] = &["prefix", "range", "generation", "riscv_fence", "crate"];

/// The options of one `#[address(...)]`, each as written by the user.
#[derive(Default)]
pub(crate) struct AddressOptions {
    /// `prefix = "GPA"`: printed before `:0x…`.
    pub prefix: Option<LitStr>,
    /// `range = GuestPhysAddrRange`: name of the `AddrRange` alias to emit.
    pub range: Option<Ident>,
    /// `generation = memory_addr_04`: whose `AddrRange` the alias names.
    pub generation: Option<(Ident, Generation)>,
    /// `riscv_fence = "hfence.gvma"`: the fence of the `SvVirtAddr` impl.
    pub riscv_fence: Option<FenceKind>,
    /// `crate = path`: where addr-types lives.
    pub krate: Option<Path>,
}

/// A generation of the memory_addr crates, as addr-types names its module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Generation {
    /// ax-memory-addr 0.7: the default.
    AxMemoryAddr07,
    /// memory_addr 0.4: the seed era.
    MemoryAddr04,
}

impl Generation {
    /// `(module, crate as docs name it)`, the first being the default.
    const TABLE: &'static [(&'static str, &'static str, Self)] = &[
        (
            "ax_memory_addr_07",
            "ax-memory-addr 0.7",
            Self::AxMemoryAddr07,
        ),
        ("memory_addr_04", "memory_addr 0.4", Self::MemoryAddr04),
    ];
    const MODULES: &'static [&'static str] = &["ax_memory_addr_07", "memory_addr_04"];

    fn row(self) -> (&'static str, &'static str, Self) {
        Self::TABLE
            .iter()
            .copied()
            .find(|row| row.2 == self)
            .unwrap_or(Self::TABLE[0])
    }

    /// The addr-types module (and `__private` module) of the generation.
    pub(crate) fn module(self) -> &'static str {
        self.row().0
    }

    /// The crate and version, for docs.
    pub(crate) fn crate_name(self) -> &'static str {
        self.row().1
    }

    fn from_module(module: &str) -> Option<Self> {
        Self::TABLE
            .iter()
            .find(|row| row.0 == module)
            .map(|row| row.2)
    }
}

impl AddressOptions {
    /// The generation of the range alias: the one named, else the default.
    pub(crate) fn generation(&self) -> Generation {
        self.generation
            .as_ref()
            .map_or(Generation::AxMemoryAddr07, |(_, generation)| *generation)
    }

    /// Parses the attribute's arguments, reporting every mistake into
    /// `diagnostics` and keeping every entry that was right.
    pub(crate) fn parse(args: TokenStream, diagnostics: &mut Diagnostics) -> Self {
        let args = without_literal_entries(args, diagnostics);
        let mut options = Self::default();
        let mut seen: Vec<String> = Vec::new();
        let parser = syn::meta::parser(|meta| {
            let key = key_name(&meta.path);
            let value = take_value(&meta)?;
            if let Some(key) = &key {
                if KEYS.contains(&key.as_str()) {
                    if seen.contains(key) {
                        diagnostics.push(syn::Error::new_spanned(
                            &meta.path,
                            format!("duplicate `{key}` option; each option may be given once"),
                        ));
                        return Ok(());
                    }
                    seen.push(key.clone());
                }
            }
            if let Err(error) = options.apply(key.as_deref(), &meta.path, value) {
                diagnostics.push(error);
            }
            Ok(())
        });
        if let Err(error) = parser.parse2(args) {
            diagnostics.push(error);
        }
        options
    }

    fn apply(&mut self, key: Option<&str>, path: &Path, value: Option<Value>) -> syn::Result<()> {
        match key {
            Some("prefix") => {
                let value = required(path, "prefix", "\"GPA\"", value)?;
                self.prefix = Some(parse_prefix(&value)?);
            }
            Some("range") => {
                let value = required(path, "range", "GuestPhysAddrRange", value)?;
                self.range = Some(parse_range(&value)?);
            }
            Some("generation") => {
                let value = required(path, "generation", "memory_addr_04", value)?;
                self.generation = Some(parse_generation(&value)?);
            }
            Some("riscv_fence") => {
                let value = required(path, "riscv_fence", "\"hfence.gvma\"", value)?;
                self.riscv_fence = Some(parse_fence(&value)?);
            }
            Some("crate") => {
                let value = required(path, "crate", "::addr_types", value)?;
                self.krate = Some(parse_crate(&value)?);
            }
            _ => return Err(unknown_key(path)),
        }
        Ok(())
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

/// The tokens after `key =`, up to the next top-level comma.
struct Value {
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
}

fn key_name(path: &Path) -> Option<String> {
    path.get_ident().map(ToString::to_string)
}

/// Consumes the rest of the entry: `= value` (returned) or anything else such
/// as `(...)` (skipped), stopping before the comma that ends the entry.
fn take_value(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Value>> {
    let eq: Option<Token![=]> = meta.input.parse()?;
    let mut tokens = TokenStream::new();
    while !meta.input.is_empty() && !meta.input.peek(Token![,]) {
        tokens.extend([meta.input.parse::<TokenTree>()?]);
    }
    Ok(eq.map(|eq| Value { eq, tokens }))
}

fn required(path: &Path, key: &str, example: &str, value: Option<Value>) -> syn::Result<Value> {
    value.ok_or_else(|| {
        syn::Error::new_spanned(
            path,
            format!("`{key}` needs a value: write `{key} = {example}`"),
        )
    })
}

fn unknown_key(path: &Path) -> syn::Error {
    let written = path.to_token_stream().to_string().replace(' ', "");
    let hint = key_name(path)
        .and_then(|key| suggest::closest(&key, KEYS))
        .map(|key| format!("; did you mean `{key}`?"))
        .unwrap_or_default();
    syn::Error::new_spanned(
        path,
        format!(
            "unknown `#[address]` option `{written}`{hint}\nthe options are {}",
            suggest::one_of(KEYS)
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
    let expected = format!(
        "expected the addr-types module of a generation: {}",
        suggest::one_of(Generation::MODULES)
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
    let hint = suggest::closest(&name.to_string(), Generation::MODULES)
        .map(|module| format!("; did you mean `{module}`?"))
        .unwrap_or_default();
    Err(syn::Error::new(
        name.span(),
        format!("unknown generation `{name}`{hint}\n{expected}"),
    ))
}

fn parse_fence(value: &Value) -> syn::Result<FenceKind> {
    let expected = "\nexpected `hfence.gvma` (G-stage: guest-physical addresses), `hfence.vvma` (VS-stage: guest-virtual addresses) or `sfence.vma` (host-virtual addresses)";
    let mnemonic = parse_string(value, "`riscv_fence = \"hfence.gvma\"`")?;
    FenceKind::from_mnemonic(&mnemonic.value()).ok_or_else(|| {
        let hint = suggest::closest(&mnemonic.value(), FenceKind::MNEMONICS)
            .map(|fence| format!("; did you mean `{fence}`?"))
            .unwrap_or_default();
        syn::Error::new(
            mnemonic.span(),
            format!(
                "unknown RISC-V fence `{}`{hint}{expected}",
                mnemonic.value()
            ),
        )
    })
}

fn parse_crate(value: &Value) -> syn::Result<Path> {
    const EXPECTED: &str =
        "expected a path to addr-types, e.g. `crate = ::addr_types` or `crate = \"my_kernel::addr_types\"`";
    if let Ok(string) = syn::parse2::<LitStr>(value.tokens.clone()) {
        return string
            .parse::<Path>()
            .map_err(|_| syn::Error::new(string.span(), EXPECTED));
    }
    syn::parse2::<Path>(value.tokens.clone()).map_err(|_| value.error(EXPECTED))
}

#[cfg(test)]
mod tests {
    use super::AddressOptions;
    use crate::diagnostics::Diagnostics;
    use crate::riscv::FenceKind;
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
        assert!(options.riscv_fence.is_none() && options.krate.is_none());
    }

    #[test]
    fn all_options_parse() {
        let (options, errors) = parse(quote!(
            prefix = "GPA",
            range = GuestPhysAddrRange,
            riscv_fence = "hfence.gvma",
            crate = ::my::addr_types,
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(options.prefix.unwrap().value(), "GPA");
        assert_eq!(options.range.unwrap().to_string(), "GuestPhysAddrRange");
        assert_eq!(options.riscv_fence, Some(FenceKind::HfenceGvma));
        assert_eq!(
            options.krate.unwrap().to_token_stream().to_string(),
            ":: my :: addr_types"
        );
    }

    #[test]
    fn crate_accepts_a_string() {
        let (options, errors) = parse(quote!(crate = "kernel::addr"));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            options.krate.unwrap().to_token_stream().to_string(),
            "kernel :: addr"
        );
    }

    #[test]
    fn every_mistake_is_reported_and_good_entries_kept() {
        let (options, errors) = parse(quote!(
            prefx = "GPA",
            range = "GuestPhysAddrRange",
            riscv_fence = "hfence.gvm",
            prefix = "GPA",
            prefix = "HPA",
            crate = 1,
        ));
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(
            errors[0].starts_with("unknown `#[address]` option `prefx`; did you mean `prefix`?")
        );
        assert!(errors[1].starts_with("expected an identifier, not a string"));
        assert!(errors[2].contains("did you mean `hfence.gvma`?"));
        assert!(errors[3].starts_with("duplicate `prefix` option"));
        assert!(errors[4].starts_with("expected a path to addr-types"));
        assert_eq!(options.prefix.unwrap().value(), "GPA");
    }

    #[test]
    fn missing_values_say_what_to_write() {
        let (_, errors) = parse(quote!(prefix, range(X), riscv_fence =));
        assert_eq!(
            errors,
            [
                "`prefix` needs a value: write `prefix = \"GPA\"`",
                "`range` needs a value: write `range = GuestPhysAddrRange`",
                "expected a string literal: `riscv_fence = \"hfence.gvma\"`",
            ]
        );
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
