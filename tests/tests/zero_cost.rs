//! Zero runtime cost, checked on the compiler's output: every operation on a
//! `#[address]` type compiles, at opt-level 3, to exactly the instructions
//! of the same operation on a raw `usize`.
//!
//! The probe crate `tests/zero_cost/probe.rs` is built twice in release mode
//! with `--emit asm`, once on `GuestPhysAddr` (feature `typed`) and once on
//! `usize`; each test below compares one function's instructions between the
//! two. The probe gets its own target directory under `target/tmp`, so the
//! workspace's build is left alone, and its own copy of `Cargo.lock`, so it
//! builds the same dependency versions, offline.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::{env, fs};

/// Reading LLVM's assembly output: find a function, normalize its body.
mod asm {
    use std::collections::HashMap;

    /// The instructions of function `symbol` in `asm`, in a form that two
    /// compilations of the same code agree on: directives and comments
    /// dropped, whitespace collapsed, local labels renumbered in order of
    /// appearance. An alias (`a = b`, `.set a, b`), which LLVM emits when it
    /// merges identical functions, is followed to the body it names.
    ///
    /// # Errors
    ///
    /// If `symbol` is not defined in `asm`, or its body has no end.
    pub fn body(asm: &str, symbol: &str) -> Result<Vec<String>, String> {
        let symbol = resolve_alias(asm, symbol)?;
        let mut lines = asm.lines().map(str::trim);
        // Mach-O prefixes C symbols with `_`.
        let start = [format!("{symbol}:"), format!("_{symbol}:")];
        lines
            .by_ref()
            .find(|line| start.iter().any(|label| line == label))
            .ok_or_else(|| format!("no function `{symbol}` in the assembly"))?;

        let mut labels = Labels::default();
        let mut body = Vec::new();
        for line in lines {
            if is_end(line, &symbol) {
                return Ok(body);
            }
            let line = strip_comment(line);
            if line.is_empty() || (line.starts_with('.') && !line.ends_with(':')) {
                continue;
            }
            body.push(labels.normalize(line));
        }
        Err(format!("the body of `{symbol}` has no end"))
    }

    fn resolve_alias(asm: &str, symbol: &str) -> Result<String, String> {
        let mut symbol = symbol.to_owned();
        // A chain longer than the number of lines is a cycle.
        for _ in 0..=asm.lines().count() {
            match alias_target(asm, &symbol) {
                Some(target) => symbol = target,
                None => return Ok(symbol),
            }
        }
        Err(format!("`{symbol}` is an alias of itself"))
    }

    fn alias_target(asm: &str, symbol: &str) -> Option<String> {
        let names = [symbol.to_owned(), format!("_{symbol}")];
        asm.lines().find_map(|line| {
            let line = line.trim();
            let (name, target) = match line.strip_prefix(".set") {
                Some(rest) => rest.split_once(',')?,
                None => line.split_once('=')?,
            };
            let target = target.trim();
            // `body` looks for both spellings of the target.
            names
                .contains(&name.trim().to_owned())
                .then(|| target.strip_prefix('_').unwrap_or(target).to_owned())
        })
    }

    /// LLVM closes a function with a `.Lfunc_endN:` label (`Lfunc_endN:` on
    /// Mach-O), then `.size` and `.cfi_endproc`; Windows ends with
    /// `.seh_endproc`. Whichever comes first ends the body.
    fn is_end(line: &str, symbol: &str) -> bool {
        line.starts_with(".Lfunc_end")
            || line.starts_with("Lfunc_end")
            || line == ".cfi_endproc"
            || line == ".seh_endproc"
            || line.starts_with(&format!(".size\t{symbol},"))
            || line.starts_with(&format!(".size {symbol},"))
    }

    /// Drops `// …` comments, and x86's `# …` ones; a `#` that starts an
    /// immediate, as in AArch64's `#4095`, is not followed by a space.
    fn strip_comment(line: &str) -> &str {
        let mut end = line.len();
        if let Some(at) = line.find("//") {
            end = end.min(at);
        }
        let bytes = line.as_bytes();
        for (at, _) in line.match_indices('#') {
            let starts_word = at == 0 || bytes[at - 1].is_ascii_whitespace();
            let comment = matches!(bytes.get(at + 1), None | Some(b' ' | b'\t' | b'#'));
            if starts_word && comment {
                end = end.min(at);
                break;
            }
        }
        line[..end].trim()
    }

    /// Local labels (`.LBB3_2`, `.Ltmp0`, `.L__unnamed_1`, Mach-O's `LBB3_2`)
    /// are numbered by the compiler across the whole file; a function's
    /// labels are renamed `L0`, `L1`, … in order of appearance.
    #[derive(Default)]
    struct Labels(HashMap<String, usize>);

    impl Labels {
        fn normalize(&mut self, line: &str) -> String {
            let mut out = String::new();
            let mut word = String::new();
            for c in line.chars().chain([' ']) {
                if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$') {
                    word.push(c);
                    continue;
                }
                if !word.is_empty() {
                    let word = std::mem::take(&mut word);
                    out.push_str(&self.rename(word));
                }
                if c.is_whitespace() {
                    if !out.is_empty() && !out.ends_with(' ') {
                        out.push(' ');
                    }
                } else {
                    out.push(c);
                }
            }
            out.trim_end().to_owned()
        }

        fn rename(&mut self, word: String) -> String {
            let local = word.starts_with(".L")
                || ["LBB", "Ltmp", "L_", "Lanon", "Lloh"]
                    .iter()
                    .any(|prefix| word.starts_with(prefix));
            if !local {
                return word;
            }
            let next = self.0.len();
            format!("L{}", self.0.entry(word).or_insert(next))
        }
    }

    #[test]
    fn a_body_is_its_instructions_with_labels_renumbered() {
        let asm = "\
\t.globl\tf
f:
\t.cfi_startproc
# %bb.0:
\ttestq\t%rdi, %rdi            # a comment
\tje\t.LBB7_2
\tleaq\t4095(%rdi), %rax
.LBB7_2:
\tretq
.Lfunc_end7:
\t.size\tf, .Lfunc_end7-f
";
        assert_eq!(
            body(asm, "f").unwrap(),
            [
                "testq %rdi, %rdi",
                "je L0",
                "leaq 4095(%rdi), %rax",
                "L0:",
                "retq"
            ]
        );
    }

    #[test]
    fn bodies_that_differ_only_in_label_numbers_compare_equal() {
        let one = "f:\n\tje .LBB0_2\n.LBB0_2:\n\tretq\n.Lfunc_end0:\n";
        let two = "f:\n\tje .LBB5_9\n.LBB5_9:\n\tretq\n.Lfunc_end5:\n";
        assert_eq!(body(one, "f"), body(two, "f"));
    }

    #[test]
    fn bodies_that_differ_in_one_instruction_compare_unequal() {
        let one = "f:\n\tleaq 4095(%rdi), %rax\n\tandq $-4096, %rax\n\tretq\n.Lfunc_end0:\n";
        for two in [
            "f:\n\tleaq 4095(%rdi), %rax\n\tandq $-4095, %rax\n\tretq\n.Lfunc_end0:\n",
            "f:\n\tleaq 4095(%rdi), %rcx\n\tandq $-4096, %rax\n\tretq\n.Lfunc_end0:\n",
            "f:\n\tleaq 4095(%rdi), %rax\n\tmovq %rax, %rax\n\tandq $-4096, %rax\n\tretq\n.Lfunc_end0:\n",
            "f:\n\tleaq 4095(%rdi), %rax\n\tretq\n.Lfunc_end0:\n",
        ] {
            assert_ne!(body(one, "f"), body(two, "f"), "{two}");
        }
        // Two jumps to one label are not two jumps to two labels.
        let one = "f:\n\tje .LBB0_1\n\tjb .LBB0_1\n.LBB0_1:\n\tretq\n.Lfunc_end0:\n";
        let two = "f:\n\tje .LBB0_1\n\tjb .LBB0_2\n.LBB0_1:\n\tretq\n.Lfunc_end0:\n";
        assert_ne!(body(one, "f"), body(two, "f"));
    }

    #[test]
    fn aliases_lead_to_the_merged_body_and_missing_functions_are_errors() {
        let asm = "g:\n\tretq\n.Lfunc_end0:\n\t.globl\tf\nf = g\n\t.set _h, _f\n";
        let g = body(asm, "g").unwrap();
        assert_eq!(g, ["retq"]);
        assert_eq!(body(asm, "f").unwrap(), g);
        assert_eq!(body(asm, "h").unwrap(), g);
        assert!(body(asm, "missing")
            .unwrap_err()
            .contains("no function `missing`"));
        assert!(body("f:\n\tretq\n", "f").unwrap_err().contains("no end"));
        assert!(body("f = f\n", "f")
            .unwrap_err()
            .contains("alias of itself"));
    }

    #[test]
    fn immediates_are_not_comments_but_comments_are() {
        assert_eq!(
            strip_comment("add x0, x0, #4095 // ok"),
            "add x0, x0, #4095"
        );
        assert_eq!(
            strip_comment("andq $-4096, %rax # kill: x"),
            "andq $-4096, %rax"
        );
        assert_eq!(strip_comment("## comment"), "");
    }
}

/// The functions of the probe, one test each; `every_probe_function_is_checked`
/// keeps the list and the probe in step.
macro_rules! zero_cost {
    ($($op:ident,)*) => {
        const OPERATIONS: &[&str] = &[$(stringify!($op)),*];
        $(
            #[test]
            fn $op() {
                assert_same_instructions(stringify!($op));
            }
        )*
    };
}

zero_cost! {
    align_up_4k,
    align_down_4k,
    align_offset_4k,
    is_aligned_4k,
    align_up,
    align_down,
    is_aligned,
    add,
    sub,
    add_assign,
    sub_assign,
    sub_addr,
    checked_add,
    wrapping_add,
    wrapping_sub_addr,
    lt,
    eq,
    from_into_round_trip,
    from_usize_as_usize,
}

fn assert_same_instructions(op: &str) {
    let probe = probe();
    let symbol = format!("probe_{op}");
    let typed = asm::body(&probe.typed, &symbol).unwrap();
    let raw = asm::body(&probe.raw, &symbol).unwrap();
    assert!(!raw.is_empty(), "`{op}` has no instructions");
    assert_eq!(
        typed, raw,
        "`{op}` on GuestPhysAddr (left) and on usize (right) compile differently"
    );
    println!("{op}: {} instructions, the same", raw.len());
}

#[test]
fn different_operations_compile_to_different_instructions() {
    // The comparison sees real differences in real compiler output, so the
    // equalities above are not vacuous.
    let probe = probe();
    let body = |symbol: &str| asm::body(&probe.raw, symbol).unwrap();
    assert_ne!(body("probe_add"), body("probe_sub"));
    assert_ne!(body("probe_align_up_4k"), body("probe_align_down_4k"));
    assert_ne!(body("probe_checked_add"), body("probe_wrapping_add"));
    assert_ne!(body("probe_lt"), body("probe_eq"));
}

#[test]
fn every_probe_function_is_checked() {
    let probe = probe();
    let mut defined: Vec<&str> = probe
        .raw
        .lines()
        .filter_map(|line| line.trim().strip_prefix(".globl"))
        .map(|symbol| symbol.trim().trim_start_matches('_'))
        .filter_map(|symbol| symbol.strip_prefix("probe_"))
        .collect();
    let mut checked = OPERATIONS.to_vec();
    defined.sort_unstable();
    checked.sort_unstable();
    assert_eq!(defined, checked);
}

/// The probe's assembly in both builds.
struct Probe {
    typed: String,
    raw: String,
}

/// Builds the probe once per test run, shared by every test.
fn probe() -> &'static Probe {
    static PROBE: OnceLock<Result<Probe, String>> = OnceLock::new();
    match PROBE.get_or_init(build_probe) {
        Ok(probe) => probe,
        Err(error) => panic!("{error}"),
    }
}

fn build_probe() -> Result<Probe, String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("the tests crate has no parent directory")?;
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("zero-cost");
    // A package directory per process, so that two test runs at once do not
    // write each other's files; the target directory is shared, and cargo
    // locks it.
    let package = scratch.join(format!("probe-{}", std::process::id()));
    fs::create_dir_all(&package).map_err(|error| format!("{}: {error}", package.display()))?;
    let result = build_in(workspace, &package, &scratch.join("target"));
    let _ = fs::remove_dir_all(&package);
    result
}

fn build_in(workspace: &Path, package: &Path, target_dir: &Path) -> Result<Probe, String> {
    let manifest = package.join("Cargo.toml");
    let toml = format!(
        "[package]
name = \"addr-types-zero-cost-probe\"
version = \"0.0.0\"
edition = \"2021\"
publish = false

[lib]
path = {probe}

[features]
typed = []

[dependencies]
addr-types = {{ path = {addr_types} }}
memory_addr = \"0.4.1\"

# Not part of the workspace around it.
[workspace]

[profile.release]
opt-level = 3
# One object, so `--emit asm=PATH` writes one file.
codegen-units = 1
",
        probe = toml_path(&workspace.join("tests/zero_cost/probe.rs")),
        addr_types = toml_path(&workspace.join("addr-types")),
    );
    fs::write(&manifest, toml).map_err(|error| format!("{}: {error}", manifest.display()))?;
    fs::copy(workspace.join("Cargo.lock"), package.join("Cargo.lock"))
        .map_err(|error| format!("copying Cargo.lock: {error}"))?;

    let build = |flavor: &str, features: &[&str]| {
        let asm = package.join(format!("{flavor}.s"));
        let output = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .arg("rustc")
            .args(["--release", "--lib", "--offline", "--quiet"])
            .arg("--manifest-path")
            .arg(&manifest)
            .arg("--target-dir")
            .arg(target_dir)
            .args(features)
            .arg("--")
            .arg(format!("--emit=asm={}", asm.display()))
            .output()
            .map_err(|error| format!("running cargo: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "building the {flavor} probe failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        fs::read_to_string(&asm).map_err(|error| format!("{}: {error}", asm.display()))
    };
    Ok(Probe {
        typed: build("typed", &["--features", "typed"])?,
        raw: build("raw", &[])?,
    })
}

/// A path as a TOML literal string.
fn toml_path(path: &Path) -> String {
    format!("'{}'", path.display())
}
