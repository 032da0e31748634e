//! What the bare-metal proofs share: the SKIP rule for missing tools,
//! building a program of a sub-workspace (tests/riscv, tests/aarch64,
//! tests/x86_64), running an emulator with a timeout, and reading objdump's
//! listing.

// Each proof uses its part of these helpers.
#![allow(dead_code)]

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use std::{env, fs, thread};

/// `1` turns a missing tool into a failure (CI sets it).
pub const REQUIRE_VAR: &str = "ADDR_TYPES_REQUIRE_QEMU";

/// Far above a run's real duration (well under a second): only a program
/// stuck in a loop gets there.
pub const EMULATOR_TIMEOUT: Duration = Duration::from_mins(1);

/// The tools and rustup targets one proof needs.
pub struct Requirements {
    /// The proof's name in messages ("RISC-V", "aarch64").
    pub proof: &'static str,
    /// Executables, each with the Debian package that has it.
    pub tools: &'static [(&'static str, &'static str)],
    /// Files the emulator loads (firmware), each with its Debian package.
    pub files: &'static [(&'static str, &'static str)],
    /// Rustup targets the programs are built for.
    pub targets: &'static [&'static str],
    /// The sub-workspace (relative to the tests crate) whose toolchain
    /// builds the programs.
    pub workspace: &'static str,
}

impl Requirements {
    /// `Ok` when every tool is there, else the list of what is missing.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut missing = Vec::new();
        for &(tool, package) in self.tools {
            // Bochs has `--help` and no `--version`.
            if !runs(Command::new(tool).arg("--version")) && !runs(Command::new(tool).arg("--help"))
            {
                missing.push(format!("{tool} (Debian package {package})"));
            }
        }
        for &(file, package) in self.files {
            if !Path::new(file).is_file() {
                missing.push(format!("{file} (Debian package {package})"));
            }
        }
        for &target in self.targets {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(self.workspace);
            if !target_installed(&dir, target) {
                missing.push(format!("the {target} target (rustup target add {target})"));
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(missing)
        }
    }

    /// `true` when `test` can run; `false` after printing `SKIP:` when a
    /// tool is missing (`checked` is [`Self::check`]'s result, computed
    /// once). Panics instead when `ADDR_TYPES_REQUIRE_QEMU=1`.
    pub fn present(&self, checked: &Result<(), Vec<String>>, test: &str) -> bool {
        let Err(missing) = checked else {
            return true;
        };
        let missing = missing.join(", ");
        assert!(
            env::var(REQUIRE_VAR).as_deref() != Ok("1"),
            "{REQUIRE_VAR}=1, but the {} proof cannot run; missing: {missing}",
            self.proof
        );
        say(&format!("SKIP: {test}: missing {missing}"));
        false
    }
}

fn runs(command: &mut Command) -> bool {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Whether the toolchain a build in `dir` uses has `target`'s standard
/// library: rustc prints a target-libdir even for a target that is not
/// installed, so look inside it.
fn target_installed(dir: &Path, target: &str) -> bool {
    let Ok(output) = Command::new("rustc")
        .current_dir(dir)
        .args(["--print", "target-libdir", "--target", target])
        .output()
    else {
        return false;
    };
    let libdir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    fs::read_dir(libdir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("libcore-"))
    })
}

/// Writes a line to the real stderr: libtest captures `eprintln!` of passing
/// tests, and a SKIP or a measured exit code must be seen in CI's log.
pub fn say(line: &str) {
    writeln!(std::io::stderr(), "{line}").expect("stderr is writable");
}

/// `<target dir>/<name>`, beside the host build, never inside it.
pub fn build_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is <target dir>/tmp")
        .join(name)
}

/// A bare-metal program: which sub-workspace, which binary, for which
/// target, with which feature.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Program {
    /// The sub-workspace, relative to the tests crate (`riscv`, `aarch64`).
    pub workspace: &'static str,
    pub bin: &'static str,
    pub target: &'static str,
    pub feature: Option<&'static str>,
}

impl Program {
    /// A name unique per binary, architecture and feature.
    pub fn name(self) -> String {
        let arch = self.target.split('-').next().expect("a target triple");
        match self.feature {
            Some(feature) => format!("{}-{arch}-{feature}", self.bin),
            None => format!("{}-{arch}", self.bin),
        }
    }

    /// The sub-workspace's directory.
    pub fn dir(self) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(self.workspace)
    }
}

/// Builds `program` once per test run, in `<target dir>/<workspace>-qemu`,
/// and returns its ELF.
///
/// Builds are serialized: the feature variants of one binary share cargo's
/// output path, so each ELF is copied to a path of its own before the next
/// build can overwrite it.
pub fn build(program: Program) -> PathBuf {
    static BUILT: Mutex<Option<HashMap<Program, PathBuf>>> = Mutex::new(None);
    let mut built = BUILT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(elf) = built.get_or_insert_with(HashMap::new).get(&program) {
        return elf.clone();
    }
    let target_dir = build_dir(&format!("{}-qemu", program.workspace));
    let mut cargo = Command::new(env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")));
    cargo
        .current_dir(program.dir())
        .args(["build", "--release", "--bin", program.bin, "--target"])
        .arg(program.target)
        .arg("--target-dir")
        .arg(&target_dir);
    if let Some(feature) = program.feature {
        cargo.args(["--features", feature]);
    }
    let status = cargo.status().expect("cargo runs");
    assert!(status.success(), "building {program:?} failed: {status}");
    let elf_dir = target_dir.join("elf");
    fs::create_dir_all(&elf_dir).expect("create the ELF directory");
    let elf = elf_dir.join(program.name());
    let artifact = target_dir
        .join(program.target)
        .join("release")
        .join(program.bin);
    fs::copy(&artifact, &elf).expect("copy the built program");
    built
        .as_mut()
        .expect("initialized above")
        .insert(program, elf.clone());
    elf
}

/// Runs `command` (a QEMU or Bochs invocation) and returns its exit status,
/// killing it after [`EMULATOR_TIMEOUT`].
pub fn run_emulator(mut command: Command) -> i32 {
    let mut child = command
        .stdin(Stdio::null())
        .spawn()
        .expect("the emulator starts");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for the emulator") {
            return status
                .code()
                .unwrap_or_else(|| panic!("the emulator was killed: {status}"));
        }
        if start.elapsed() > EMULATOR_TIMEOUT {
            child.kill().expect("stop the emulator");
            panic!("{command:?} did not exit within {EMULATOR_TIMEOUT:?}");
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// The standard output of a command that must succeed.
pub fn output(command: &mut Command) -> String {
    let output = command.output().expect("binutils runs");
    assert!(output.status.success(), "{command:?}: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// One disassembled instruction: its raw bits and binutils' reading of them.
#[derive(Debug)]
pub struct Instruction {
    /// The encoding as objdump prints it (for RISC-V: 4 hex digits for a
    /// compressed instruction, 8 otherwise).
    pub hex: String,
    pub mnemonic: String,
    pub operands: Vec<String>,
}

impl Instruction {
    /// `hex mnemonic operands`, for messages.
    pub fn line(&self) -> String {
        format!("{} {} {}", self.hex, self.mnemonic, self.operands.join(","))
    }
}

/// Parses objdump's `--disassemble` listing: a `<name>:` header per symbol,
/// then `address:\thex\tmnemonic\toperands` lines (`mnemonic operands`
/// on x86). objdump's comments,
/// from the architecture's `comment` marker on (`#` on RISC-V and x86,
/// `//` on aarch64, where `#` starts an immediate), are dropped.
pub fn parse_listing(listing: &str, comment: &str) -> HashMap<String, Vec<Instruction>> {
    let mut functions: HashMap<String, Vec<Instruction>> = HashMap::new();
    let mut current = None;
    for line in listing.lines() {
        if let Some(header) = line.strip_suffix(">:") {
            let name = header.split_once(" <").map(|(_, name)| name.to_owned());
            current = name;
            continue;
        }
        let (Some(function), Some((_address, rest))) = (&current, line.split_once(":\t")) else {
            continue;
        };
        let mut fields = rest.split('\t');
        let hex = fields.next().unwrap_or_default().trim().to_owned();
        // x86 objdump pads the mnemonic with spaces instead of a tab.
        let field = fields.next().unwrap_or_default().trim();
        let (mnemonic, padded) = field.split_once(' ').unwrap_or((field, ""));
        let mnemonic = mnemonic.to_owned();
        let operands = fields
            .next()
            .or((!padded.trim().is_empty()).then_some(padded))
            .map(|operands| {
                let operands = operands.split(comment).next().unwrap_or_default();
                operands.split(',').map(|op| op.trim().to_owned()).collect()
            })
            .unwrap_or_default();
        functions
            .entry(function.clone())
            .or_default()
            .push(Instruction {
                hex,
                mnemonic,
                operands,
            });
    }
    functions
}
