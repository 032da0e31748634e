//! Whole expansions of a handful of inputs, pretty-printed and compared
//! with the files under `addr-macros/tests/expand/`. After an intended
//! change, rewrite them with `ADDR_TYPES_BLESS=1 cargo test -p addr-macros`
//! and read the diff.

use std::fmt::Write as _;
use std::path::PathBuf;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::quote;

use crate::expand::address_without_manifest as address;

/// One golden case: the expansion of `#[address(args)] item`.
struct Case {
    name: &'static str,
    args: TokenStream,
    item: TokenStream,
    /// `Some((args, item))`: the file shows only the items this expansion
    /// does not share with that one's, which is a case shown whole (the
    /// same type, so that the items they share compare equal). `None`: the
    /// whole expansion.
    shares_with: Option<(TokenStream, TokenStream)>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "plain",
            args: quote!(),
            item: quote!(
                pub struct Gpa(usize);
            ),
            shares_with: None,
        },
        Case {
            name: "every_option",
            args: quote!(
                prefix = "GPA",
                range = GpaRange,
                generation = memory_addr_04,
                translates = "guest-physical",
                serde,
                crate = ::kernel::addr
            ),
            item: quote!(
                pub(crate) struct Gpa(pub usize);
            ),
            shares_with: Some((
                quote!(crate = ::kernel::addr),
                quote!(
                    pub(crate) struct Gpa(pub usize);
                ),
            )),
        },
        Case {
            name: "default_generation_deprecated",
            args: quote!(range = GpaRange, translates = "host-virtual"),
            item: quote!(
                #[deprecated = "use Ipa"]
                pub struct Gpa(usize);
            ),
            shares_with: Some((
                quote!(),
                quote!(
                    #[deprecated = "use Ipa"]
                    pub struct Gpa(usize);
                ),
            )),
        },
        Case {
            name: "user_attributes",
            args: quote!(prefix = "HVA"),
            item: quote! {
                /// Docs.
                #[derive(Clone, core::hash::Hash)]
                #[repr(transparent)]
                pub struct A(#[doc = "raw"] pub usize);
            },
            shares_with: Some((
                quote!(),
                quote!(
                    pub struct A(pub usize);
                ),
            )),
        },
        Case {
            name: "repaired_attributes",
            args: quote!(),
            item: quote! {
                #[derive(Debug, Clone)]
                #[repr(C)]
                struct A<T>(u32);
            },
            shares_with: Some((
                quote!(),
                quote!(
                    struct A(usize);
                ),
            )),
        },
        Case {
            name: "fallback_enum",
            args: quote!(prefx = "E"),
            item: quote! {
                #[derive(Clone)]
                pub enum A { X }
            },
            shares_with: None,
        },
        Case {
            name: "not_a_struct",
            args: quote!(),
            item: quote!(
                fn f() {}
            ),
            shares_with: None,
        },
    ]
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expand")
}

/// The golden text of a case: the pretty expansion, or only what it does
/// not share with the expansion it names.
fn golden(case: &Case) -> String {
    let actual = address(case.args.clone(), case.item.clone());
    let Some((args, item)) = &case.shares_with else {
        return pretty(actual);
    };
    let shared = items(address(args.clone(), item.clone()))
        .into_iter()
        .flat_map(|item| match block_items(&item) {
            Some(inner) => inner,
            None => vec![item],
        })
        .map(|item| item.to_string())
        .collect::<Vec<_>>();
    let mut left_out = 0;
    let mut kept = TokenStream::new();
    for item in items(actual) {
        let Some(inner) = block_items(&item) else {
            if shared.contains(&item.to_string()) {
                left_out += 1;
            } else {
                kept.extend(item);
            }
            continue;
        };
        let mut block = TokenStream::new();
        for inner in inner {
            if shared.contains(&inner.to_string()) {
                left_out += 1;
            } else {
                block.extend(inner);
            }
        }
        if !block.is_empty() {
            kept.extend(with_block(item, &block));
        }
    }
    let one_line = |tokens: &TokenStream| pretty(tokens.clone()).trim().replace('\n', " ");
    format!(
        "// Left out: {left_out} items that `#[address({})] {}` expands to as well.\n{}",
        one_line(args),
        one_line(item),
        pretty(kept)
    )
}

/// The items of a token stream: each ends at a `;`, or at a brace group
/// that no `;` follows.
fn items(tokens: TokenStream) -> Vec<TokenStream> {
    let mut items = Vec::new();
    let mut item = TokenStream::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => {
                group.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        item.extend([token]);
        if ends {
            items.push(std::mem::take(&mut item));
        }
    }
    if !item.is_empty() {
        items.push(item);
    }
    items
}

/// `item` with `block` in place of its braces' contents.
fn with_block(item: TokenStream, block: &TokenStream) -> TokenStream {
    item.into_iter()
        .map(|token| match token {
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                TokenTree::Group(proc_macro2::Group::new(Delimiter::Brace, block.clone()))
            }
            token => token,
        })
        .collect()
}

/// The items inside `const _: () = { … };` (with its attributes), the
/// block every impl lives in; `None` for any other item.
fn block_items(item: &TokenStream) -> Option<Vec<TokenStream>> {
    let text = item.to_string();
    if !text.contains("const _ : () =") {
        return None;
    }
    item.clone().into_iter().find_map(|token| match token {
        TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
            Some(items(group.stream()))
        }
        _ => None,
    })
}

#[test]
fn expansions_match_the_golden_files() {
    let bless = std::env::var_os("ADDR_TYPES_BLESS").is_some();
    let mut stale = Vec::new();
    for case in cases() {
        let path = golden_dir().join(format!("{}.rs", case.name));
        let actual = golden(&case);
        if bless {
            std::fs::create_dir_all(golden_dir()).unwrap();
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != actual {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(e, a)| e != a)
                .unwrap_or(expected.lines().count().min(actual.lines().count()));
            stale.push(format!(
                "{}: first difference at line {}:\n  expected: {:?}\n  actual:   {:?}",
                path.display(),
                line + 1,
                expected.lines().nth(line).unwrap_or(""),
                actual.lines().nth(line).unwrap_or("")
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "expansions changed (bless with ADDR_TYPES_BLESS=1):\n{}",
        stale.join("\n")
    );
}

/// Every file under `tests/expand` is some case's: a case renamed or
/// removed must take its file along.
#[test]
fn every_golden_file_has_a_case() {
    let names: Vec<String> = cases()
        .iter()
        .map(|case| format!("{}.rs", case.name))
        .collect();
    let mut orphans: Vec<String> = std::fs::read_dir(golden_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|file| !names.contains(file))
        .collect();
    orphans.sort();
    assert!(
        orphans.is_empty(),
        "golden files without a case: {orphans:?}"
    );
}

/// The cut-down files leave out exactly what they share: the splitting
/// into items must see every item, or nothing would be left out.
#[test]
fn shared_items_are_left_out() {
    for case in cases() {
        if case.shares_with.is_some() {
            let text = golden(&case);
            let left_out: usize = text
                .strip_prefix("// Left out: ")
                .and_then(|rest| rest.split(' ').next())
                .and_then(|count| count.parse().ok())
                .unwrap_or(0);
            assert!(left_out >= 10, "{}: {left_out} items left out", case.name);
        }
    }
}

/// A readable, stable rendering of tokens: one item, statement, attribute
/// or match arm per line, braces indented.
fn pretty(tokens: TokenStream) -> String {
    let mut printer = Printer::default();
    printer.stream(tokens, true);
    printer.newline();
    let mut out = printer.out;
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[derive(Default)]
struct Printer {
    out: String,
    line: String,
    indent: usize,
    /// The previous token on the line, for spacing.
    previous: Option<Previous>,
}

#[derive(Clone, Copy, PartialEq)]
enum Previous {
    /// An identifier or literal; `true` for a keyword that a path may follow.
    Word(bool),
    /// The second `:` of `::`.
    PathSep,
    Punct(char, Spacing),
    Close,
}

const KEYWORDS: &[&str] = &[
    "as", "const", "dyn", "else", "fn", "for", "if", "impl", "in", "let", "match", "move", "mut",
    "pub", "ref", "return", "static", "struct", "type", "use", "where",
];

impl Printer {
    fn newline(&mut self) {
        if !self.line.is_empty() {
            let _ = writeln!(self.out, "{}{}", "    ".repeat(self.indent), self.line);
            self.line.clear();
        }
        self.previous = None;
    }

    fn space_before(&self, token: &TokenTree) -> bool {
        let Some(previous) = self.previous else {
            return false;
        };
        let after_word = matches!(previous, Previous::Word(false) | Previous::Close);
        match previous {
            Previous::PathSep => return false,
            Previous::Punct(ch, spacing)
                if spacing == Spacing::Joint
                    || matches!(ch, '&' | '#' | '.' | '!' | '<' | '\'') =>
            {
                return false
            }
            _ => {}
        }
        match token {
            TokenTree::Punct(punct) => match punct.as_char() {
                ',' | ';' | '.' | '?' => false,
                ':' => punct.spacing() == Spacing::Joint && !after_word,
                '!' | '<' => !after_word,
                '>' => !after_word && !matches!(previous, Previous::Punct('>', _)),
                _ => true,
            },
            TokenTree::Group(group) => match group.delimiter() {
                Delimiter::Parenthesis | Delimiter::Bracket => !matches!(
                    previous,
                    Previous::Word(_) | Previous::Close | Previous::Punct('!' | '>', _)
                ),
                _ => true,
            },
            _ => true,
        }
    }

    fn push(&mut self, token: &TokenTree, text: &str) {
        if self.space_before(token) {
            self.line.push(' ');
        }
        self.line.push_str(text);
    }

    fn stream(&mut self, tokens: TokenStream, block: bool) {
        // Open `<` of generics, whose commas stay on the line.
        let mut angles = 0usize;
        let mut tokens = tokens.into_iter().peekable();
        while let Some(token) = tokens.next() {
            match &token {
                TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                    self.push(&token, "{");
                    if group.stream().is_empty() {
                        self.line.push('}');
                    } else {
                        self.newline();
                        self.indent += 1;
                        self.stream(group.stream(), true);
                        self.newline();
                        self.indent -= 1;
                        self.line.push('}');
                    }
                    self.previous = Some(Previous::Close);
                    let ends_line = !matches!(tokens.peek(), Some(TokenTree::Punct(p)) if matches!(p.as_char(), ',' | ';' | ')' | '.'));
                    if block && ends_line {
                        self.newline();
                    }
                }
                TokenTree::Group(group) => {
                    let (open, close) = match group.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Bracket => ("[", "]"),
                        _ => ("", ""),
                    };
                    self.push(&token, open);
                    self.previous = None;
                    self.stream(group.stream(), false);
                    self.line.push_str(close);
                    self.previous = Some(Previous::Close);
                    // `#[attr]` on a line of its own.
                    let attribute = group.delimiter() == Delimiter::Bracket
                        && self.line.trim_start().starts_with('#');
                    if block && attribute {
                        self.newline();
                    }
                }
                TokenTree::Punct(punct) => {
                    let ch = punct.as_char();
                    let arrow = matches!(
                        self.previous,
                        Some(Previous::Punct('-' | '=', Spacing::Joint))
                    );
                    if ch == '<'
                        && matches!(
                            self.previous,
                            Some(Previous::Word(false) | Previous::PathSep)
                        )
                    {
                        angles += 1;
                    } else if ch == '>' && !arrow {
                        angles = angles.saturating_sub(1);
                    }
                    self.push(&token, &ch.to_string());
                    self.previous = Some(
                        if ch == ':' && self.previous == Some(Previous::Punct(':', Spacing::Joint))
                        {
                            Previous::PathSep
                        } else {
                            Previous::Punct(ch, punct.spacing())
                        },
                    );
                    if block && (ch == ';' || (ch == ',' && angles == 0)) {
                        self.newline();
                    }
                }
                TokenTree::Ident(_) | TokenTree::Literal(_) => {
                    let text = token.to_string();
                    self.push(&token, &text);
                    self.previous = Some(Previous::Word(KEYWORDS.contains(&text.as_str())));
                }
            }
        }
    }
}

/// Expansion facts no golden file should be trusted to show at a glance.
mod properties {
    use proc_macro2::{TokenStream, TokenTree};
    use quote::quote;

    use crate::expand::address_without_manifest as address;

    fn compile_errors(tokens: &TokenStream) -> usize {
        tokens.to_string().matches("compile_error").count()
    }

    /// Every `core`/`memory_addr`/`addr_types` identifier in `tokens` that
    /// does not follow `::`: a path the user's crate could shadow.
    fn relative_paths(tokens: TokenStream, found: &mut Vec<String>) {
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
    fn every_path_is_absolute_and_nothing_is_unsafe() {
        let out = address(
            quote!(
                prefix = "GPA",
                range = GpaRange,
                translates = "guest-physical",
                serde
            ),
            quote!(
                pub struct Gpa(usize);
            ),
        );
        let mut found = Vec::new();
        relative_paths(out.clone(), &mut found);
        assert!(found.is_empty(), "relative paths {found:?} in {out}");
        assert!(!out.to_string().contains("unsafe"));
        // The walker itself must see a relative path when there is one.
        relative_paths(quote!(impl core::fmt::Debug for A {}), &mut found);
        assert_eq!(found, ["core"]);
    }

    #[test]
    fn the_crate_option_replaces_every_runtime_path() {
        let out = address(
            quote!(
                range = R,
                translates = "host-virtual",
                serde,
                crate = ::kernel::addr
            ),
            quote!(
                struct A(usize);
            ),
        );
        assert_eq!(compile_errors(&out), 0, "{out}");
        let text = out.to_string();
        assert!(!text.contains("addr_types"), "{text}");
        assert!(text.contains(":: kernel :: addr :: __private"), "{text}");
    }

    // A table of cases, one per mistake, longer than a function should be.
    #[allow(clippy::too_many_lines)]
    #[test]
    fn one_error_per_mistake() {
        for (args, item, errors) in [
            (
                quote!(),
                quote!(
                    #[derive(Clone, derive_more::Display, FromStr)]
                    struct A(usize);
                ),
                2,
            ),
            (
                quote!(serde),
                quote!(
                    #[derive(Clone, serde::Serialize)]
                    struct A(usize);
                ),
                1,
            ),
            (
                quote!(),
                quote!(
                    struct A(usize);
                ),
                0,
            ),
            (
                quote!(),
                quote!(
                    pub struct A(pub u32);
                ),
                1,
            ),
            (
                quote!(),
                quote!(
                    struct A<T: Copy>(usize)
                    where
                        T: Clone;
                ),
                2,
            ),
            (
                quote!(),
                quote!(
                    #[derive(Debug, Clone)]
                    #[repr(C)]
                    #[addr_types::address]
                    struct A(usize);
                ),
                3,
            ),
            (
                quote!(),
                quote!(
                    enum A {
                        X,
                    }
                ),
                1,
            ),
            (
                quote!(prefx = "A", range = "R"),
                quote!(
                    enum A {}
                ),
                3,
            ),
            (
                quote!(range = A),
                quote!(
                    struct A(usize);
                ),
                1,
            ),
            (
                quote!(generation = memory_addr_04),
                quote!(
                    struct A(usize);
                ),
                1,
            ),
            (
                quote!(riscv_fence = "sfence.vma"),
                quote!(
                    struct A(usize);
                ),
                1,
            ),
            (
                quote!(),
                quote!(
                    fn f() {}
                ),
                1,
            ),
        ] {
            let out = address(args.clone(), item.clone());
            assert_eq!(
                compile_errors(&out),
                errors,
                "#[address({args})] {item}:\n{out}"
            );
        }
    }

    #[test]
    fn spelled_out_usize_paths_are_accepted() {
        for field in [
            quote!(usize),
            quote!(core::primitive::usize),
            quote!(::core::primitive::usize),
        ] {
            let out = address(quote!(), quote!(struct A(#field);));
            assert_eq!(compile_errors(&out), 0, "{field}: {out}");
        }
        for field in [
            quote!(::usize),
            quote!(std::primitive::usize),
            quote!(u64),
            quote!(Usize),
        ] {
            let out = address(quote!(), quote!(struct A(#field);));
            assert_eq!(compile_errors(&out), 1, "{field}: {out}");
        }
    }
}
