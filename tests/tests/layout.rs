//! What the repository says about its own files holds: `tests/README.md`
//! names every test file, suite, test crate and bare-metal workspace, and no
//! path that does not exist; the module map of addr-types' `lib.rs` names
//! every source file, and no other; and `lib.rs` names its default
//! generation once, in one alias. A file added without its row fails here.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is one level down")
        .to_owned()
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The entries of `dir` (relative to the root), as root-relative paths,
/// sorted.
fn entries(dir: &str) -> Vec<String> {
    let mut entries: Vec<String> = fs::read_dir(root().join(dir))
        .unwrap_or_else(|error| panic!("{dir}: {error}"))
        .map(|entry| format!("{dir}/{}", entry.unwrap().file_name().to_string_lossy()))
        .collect();
    entries.sort();
    entries
}

/// Whether `path` names a Rust source file.
fn is_rust(path: &str) -> bool {
    Path::new(path).extension().is_some_and(|ext| ext == "rs")
}

fn is_dir(path: &str) -> bool {
    root().join(path).is_dir()
}

/// The text of every `code span` of a Markdown file outside fenced blocks,
/// with `{a,b}` alternatives expanded.
fn code_spans(markdown: &str) -> Vec<String> {
    let mut spans = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for span in line.split('`').skip(1).step_by(2) {
            spans.extend(expand_braces(span));
        }
    }
    spans
}

/// `a/{b,c}/d` → `a/b/d`, `a/c/d` (one level of braces, as the README uses).
fn expand_braces(text: &str) -> Vec<String> {
    match (text.find('{'), text.find('}')) {
        (Some(open), Some(close)) if open < close && !text[open..close].contains(' ') => text
            [open + 1..close]
            .split(',')
            .flat_map(|choice| {
                expand_braces(&format!("{}{choice}{}", &text[..open], &text[close + 1..]))
            })
            .collect(),
        _ => vec![text.to_owned()],
    }
}

/// The words of `spans` that are repository paths: with a `/`, and only
/// the characters of this repository's file names and globs.
fn path_words(spans: &[String]) -> BTreeSet<String> {
    spans
        .iter()
        .flat_map(|span| span.split_whitespace())
        .filter(|word| word.contains('/'))
        .filter(|word| {
            word.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-./*".contains(c))
        })
        .map(|word| word.trim_end_matches('/').to_owned())
        .collect()
}

/// Whether `path` (root-relative, `*` allowed in its last component)
/// names at least one file or directory.
fn exists(path: &str) -> bool {
    let Some((dir, pattern)) = path.rsplit_once('/').filter(|(_, last)| last.contains('*')) else {
        return root().join(path).exists();
    };
    let (prefix, suffix) = pattern.split_once('*').expect("a `*`");
    is_dir(dir)
        && entries(dir).iter().any(|entry| {
            let name = entry.rsplit('/').next().unwrap_or_default();
            name.len() >= prefix.len() + suffix.len()
                && name.starts_with(prefix)
                && name.ends_with(suffix)
        })
}

/// Whether `words` name `path`: the path itself, or a glob or file inside
/// it for a directory.
fn names(words: &BTreeSet<String>, path: &str) -> bool {
    words
        .iter()
        .any(|word| word == path || word.starts_with(&format!("{path}/")))
}

/// What tests/README.md must have a row for: each integration test file,
/// each ui suite, each test crate and bare-metal workspace (a directory of
/// `tests/` with a manifest), the strict-lints crate, the checked-in
/// expansions.
fn test_files_and_programs() -> Vec<String> {
    let mut required: Vec<String> = entries("tests/tests")
        .into_iter()
        .filter(|path| is_rust(path) || path.ends_with("/support"))
        .collect();
    required.extend(entries("ui-tests/tests/ui"));
    required.push("ui-tests/src/lib.rs".to_owned());
    // The ui suites that need addr-types built with other features are
    // crates of their own beside the main one.
    required.extend(
        entries("ui-tests")
            .into_iter()
            .filter(|entry| is_dir(entry) && root().join(entry).join("Cargo.toml").is_file()),
    );
    required.extend(entries("addr-macros/tests"));
    let mut crates = vec!["tests".to_owned()];
    while let Some(dir) = crates.pop() {
        for entry in entries(&dir) {
            if !is_dir(&entry) || entry.ends_with("/src") || entry.ends_with("/tests") {
                continue;
            }
            if root().join(&entry).join("Cargo.toml").is_file() {
                required.push(entry);
            } else {
                crates.push(entry);
            }
        }
    }
    required.sort();
    required
}

#[test]
fn tests_readme_lists_every_test_and_only_files_that_exist() {
    let readme = read("tests/README.md");
    let words = path_words(&code_spans(&readme));

    let missing: Vec<String> = test_files_and_programs()
        .into_iter()
        .filter(|path| !names(&words, path))
        .collect();
    assert!(
        missing.is_empty(),
        "tests/README.md has no row for {missing:?}: add one saying what each proves"
    );

    let dangling: Vec<&String> = words.iter().filter(|word| !exists(word)).collect();
    assert!(
        dangling.is_empty(),
        "tests/README.md names paths that do not exist: {dangling:?}"
    );

    // `--test name` in a command runs tests/tests/name.rs, or the
    // `tests/name.rs` of the package `-p` names (its directory, as for
    // addr-macros).
    for span in code_spans(&readme) {
        let words: Vec<&str> = span.split_whitespace().collect();
        let package = words
            .windows(2)
            .find(|pair| pair[0] == "-p")
            .map(|pair| pair[1])
            .filter(|package| *package != "addr-types-tests");
        for pair in words.windows(2).filter(|pair| pair[0] == "--test") {
            let name = pair[1].trim_end_matches(',');
            let file = match package {
                Some(package) => format!("{package}/tests/{name}.rs"),
                None => format!("tests/tests/{name}.rs"),
            };
            assert!(exists(&file), "tests/README.md: `--test {name}`: no {file}");
        }
    }

    // Relative links, such as a bare-metal workspace's runbook.
    for link in readme.split("](").skip(1) {
        let target = link.split(')').next().unwrap_or_default();
        if !target.contains("://") && !target.starts_with('#') {
            assert!(
                exists(&format!("tests/{target}")),
                "tests/README.md links to tests/{target}, which does not exist"
            );
        }
    }
}

/// The files of a directory tree, root-relative, sorted.
fn files_under(dir: &str) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    for entry in entries(dir) {
        if is_dir(&entry) {
            files.extend(files_under(&entry));
        } else {
            files.insert(entry);
        }
    }
    files
}

/// The comment block of addr-types' `lib.rs` that starts with a line
/// holding `heading`, up to the first line that is not a `//` comment.
fn comment_block(lib_rs: &str, heading: &str) -> String {
    lib_rs
        .lines()
        .skip_while(|line| !(line.starts_with("//") && line.contains(heading)))
        .take_while(|line| line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn lib_rs_module_map_lists_every_source_file() {
    let lib_rs = read("addr-types/src/lib.rs");
    let map = comment_block(&lib_rs, "Module map");
    assert!(
        !map.is_empty(),
        "addr-types/src/lib.rs has no `// Module map` block"
    );
    let listed: BTreeSet<String> = code_spans(&map)
        .into_iter()
        .filter(|span| is_rust(span))
        .map(|span| format!("addr-types/src/{span}"))
        .collect();
    let files: BTreeSet<String> = files_under("addr-types/src")
        .into_iter()
        .filter(|file| is_rust(file))
        .collect();
    assert_eq!(
        listed.difference(&files).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "the module map of addr-types/src/lib.rs names files that do not exist"
    );
    assert_eq!(
        files.difference(&listed).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "the module map of addr-types/src/lib.rs misses these files: say what each is for"
    );
}

/// `lib.rs` names the default generation's module in two places only: its
/// declaration, and the one alias that its top-level names, its prelude and
/// its shorthand macros go through. (Items that name the alias carry that
/// generation's `cfg`, or the build without it fails: CI builds the seed
/// era alone. That the alias's generation is the one addr-types'
/// `Cargo.toml` enables by default, and addr-macros' default too, is
/// checked in addr-macros, which keeps that list.)
#[test]
fn the_default_generation_is_named_once() {
    let lib_rs = read("addr-types/src/lib.rs");
    let code: Vec<&str> = lib_rs
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("//"))
        .collect();
    let aliases: Vec<&str> = code
        .iter()
        .filter_map(|line| line.strip_prefix("pub use "))
        .filter_map(|line| line.strip_suffix(" as default_generation;"))
        .collect();
    let [module] = aliases[..] else {
        panic!("lib.rs should have one `pub use <module> as default_generation;`, not {aliases:?}");
    };
    let mentions: Vec<&&str> = code.iter().filter(|line| line.contains(module)).collect();
    assert_eq!(
        mentions,
        [
            &format!("pub mod {module};").as_str(),
            &format!("pub use {module} as default_generation;").as_str()
        ],
        "lib.rs names `{module}` beside its declaration and its alias: name `default_generation` instead"
    );
}
