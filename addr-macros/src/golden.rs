//! Whole expansions of a handful of inputs, pretty-printed and compared
//! with the files under `addr-macros/tests/expand/`. After an intended
//! change, rewrite them with `ADDR_TYPES_BLESS=1 cargo test -p addr-macros`
//! and read the diff.

use std::fmt::Write as _;
use std::path::PathBuf;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::quote;

use crate::expand::address;

/// `(file name, attribute arguments, item)`.
fn cases() -> Vec<(&'static str, TokenStream, TokenStream)> {
    vec![
        (
            "plain",
            quote!(),
            quote!(
                pub struct Gpa(usize);
            ),
        ),
        (
            "every_option",
            quote!(
                prefix = "GPA",
                range = GpaRange,
                generation = memory_addr_04,
                translates = "guest-physical",
                serde,
                crate = ::kernel::addr
            ),
            quote!(
                pub(crate) struct Gpa(pub usize);
            ),
        ),
        (
            "user_attributes",
            quote!(prefix = "HVA"),
            quote! {
                /// Docs.
                #[derive(Clone, core::hash::Hash)]
                #[repr(transparent)]
                pub struct A(#[doc = "raw"] pub usize);
            },
        ),
        (
            "repaired_attributes",
            quote!(),
            quote! {
                #[derive(Debug, Clone)]
                #[repr(C)]
                struct A<T>(u32);
            },
        ),
        (
            "retired_riscv_fence",
            quote!(riscv_fence = "hfence.vvma"),
            quote!(
                pub struct Gva(usize);
            ),
        ),
        (
            "fallback_enum",
            quote!(prefx = "E"),
            quote! {
                #[derive(Clone)]
                pub enum A { X }
            },
        ),
        (
            "not_a_struct",
            quote!(),
            quote!(
                fn f() {}
            ),
        ),
    ]
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expand")
}

#[test]
fn expansions_match_the_golden_files() {
    let bless = std::env::var_os("ADDR_TYPES_BLESS").is_some();
    let mut stale = Vec::new();
    for (name, args, item) in cases() {
        let path = golden_dir().join(format!("{name}.rs"));
        let actual = pretty(address(args, item));
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

    use crate::expand::address;

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
