//! The RISC-V proof on an emulated hart (tests/riscv/README.md): builds the
//! bare-metal programs of `tests/riscv` for `riscv64gc-unknown-none-elf` and
//! `riscv32imac-unknown-none-elf`, runs them under QEMU's `virt` machine, and
//! checks their exit codes and their disassembly.
//!
//! Needs `qemu-system-riscv64`/`-riscv32` (Debian `qemu-system-misc`),
//! `riscv64-linux-gnu-objdump`/`-objcopy`/`-readelf` (Debian
//! `binutils-riscv64-linux-gnu`) and both rustup targets. Without them each
//! test prints `SKIP:` and passes, unless `ADDR_TYPES_REQUIRE_QEMU=1`, which
//! turns a missing tool into a failure (CI sets it).

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use std::{env, fs, thread};

use riscv_protocol::encoding::{decode_fence, Fence, FenceKind};
use riscv_protocol::exit_code;

const RV64: &str = "riscv64gc-unknown-none-elf";
const RV32: &str = "riscv32imac-unknown-none-elf";
const QEMU_RV64: &str = "qemu-system-riscv64";
const QEMU_RV32: &str = "qemu-system-riscv32";
const OBJDUMP: &str = "riscv64-linux-gnu-objdump";
const OBJCOPY: &str = "riscv64-linux-gnu-objcopy";
const READELF: &str = "riscv64-linux-gnu-readelf";
const REQUIRE_VAR: &str = "ADDR_TYPES_REQUIRE_QEMU";
/// Far above a run's real duration (well under a second): only a program
/// stuck in a loop gets there.
const QEMU_TIMEOUT: Duration = Duration::from_mins(1);

// --- Tools, and the SKIP rule -----------------------------------------------

/// `Ok` when every tool is there, else the list of what is missing.
fn tools() -> &'static Result<(), Vec<String>> {
    static TOOLS: OnceLock<Result<(), Vec<String>>> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let mut missing = Vec::new();
        for (tool, package) in [
            (QEMU_RV64, "qemu-system-misc"),
            (QEMU_RV32, "qemu-system-misc"),
            (OBJDUMP, "binutils-riscv64-linux-gnu"),
            (OBJCOPY, "binutils-riscv64-linux-gnu"),
            (READELF, "binutils-riscv64-linux-gnu"),
        ] {
            if !runs(Command::new(tool).arg("--version")) {
                missing.push(format!("{tool} (Debian package {package})"));
            }
        }
        for target in [RV64, RV32] {
            if !target_installed(target) {
                missing.push(format!("the {target} target (rustup target add {target})"));
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(missing)
        }
    })
}

fn runs(command: &mut Command) -> bool {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Whether the toolchain the bare-metal build will use has `target`'s
/// standard library: rustc prints a target-libdir even for a target that is
/// not installed, so look inside it.
fn target_installed(target: &str) -> bool {
    let Ok(output) = Command::new("rustc")
        .current_dir(programs_dir())
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

/// `true` when the test can run; `false` after printing `SKIP:` when a tool is
/// missing. Panics instead when `ADDR_TYPES_REQUIRE_QEMU=1`.
fn tools_present(test: &str) -> bool {
    let Err(missing) = tools() else {
        return true;
    };
    let missing = missing.join(", ");
    assert!(
        env::var(REQUIRE_VAR).as_deref() != Ok("1"),
        "{REQUIRE_VAR}=1, but the RISC-V proof cannot run; missing: {missing}"
    );
    say(&format!("SKIP: {test}: missing {missing}"));
    false
}

/// Writes a line to the real stderr: libtest captures `eprintln!` of passing
/// tests, and a SKIP or a measured exit code must be seen in CI's log.
fn say(line: &str) {
    writeln!(std::io::stderr(), "{line}").expect("stderr is writable");
}

// --- Building the programs ------------------------------------------------

/// tests/riscv: its own cargo workspace, for bare-metal targets only.
fn programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("riscv")
}

/// `<target dir>/riscv-qemu`, beside the host build, never inside it.
fn build_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is <target dir>/tmp")
        .join("riscv-qemu")
}

/// A bare-metal program: which binary, for which target, with which feature.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct Program {
    bin: &'static str,
    target: &'static str,
    feature: Option<&'static str>,
}

impl Program {
    fn name(self) -> String {
        let arch = self.target.split('-').next().expect("a target triple");
        match self.feature {
            Some(feature) => format!("{}-{arch}-{feature}", self.bin),
            None => format!("{}-{arch}", self.bin),
        }
    }
}

/// Builds `program` once per test run and returns its ELF.
///
/// Builds are serialized: the feature variants of one binary share cargo's
/// output path, so each ELF is copied to a path of its own before the next
/// build can overwrite it.
fn build(program: Program) -> PathBuf {
    static BUILT: Mutex<Option<HashMap<Program, PathBuf>>> = Mutex::new(None);
    let mut built = BUILT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(elf) = built.get_or_insert_with(HashMap::new).get(&program) {
        return elf.clone();
    }
    let target_dir = build_dir();
    let mut cargo = Command::new(env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")));
    cargo
        .current_dir(programs_dir())
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

// --- Running them ---------------------------------------------------------

/// Runs `elf` on QEMU `virt` in M-mode (`-bios none`) and returns QEMU's exit
/// status: what the program wrote to the SiFive test device.
fn run(qemu: &str, cpu: Option<&str>, elf: &Path) -> i32 {
    let mut command = Command::new(qemu);
    command
        .args(["-machine", "virt", "-bios", "none", "-nographic", "-kernel"])
        .arg(elf)
        .stdin(Stdio::null());
    if let Some(cpu) = cpu {
        command.args(["-cpu", cpu]);
    }
    let mut child = command.spawn().expect("QEMU starts");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for QEMU") {
            return status
                .code()
                .unwrap_or_else(|| panic!("QEMU was killed: {status}"));
        }
        if start.elapsed() > QEMU_TIMEOUT {
            child.kill().expect("stop QEMU");
            panic!("{} did not exit within {QEMU_TIMEOUT:?}", elf.display());
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Builds and runs `program` and asserts its exit code; says what it saw.
fn expect_exit(test: &str, program: Program, cpu: Option<&str>, expected: u8) {
    if !tools_present(test) {
        return;
    }
    let qemu = if program.target == RV64 {
        QEMU_RV64
    } else {
        QEMU_RV32
    };
    let elf = build(program);
    let code = run(qemu, cpu, &elf);
    let cpu = cpu.unwrap_or("default CPU");
    say(&format!(
        "riscv-qemu: {} on {qemu} ({cpu}): exit {code}, expected {expected}",
        program.name()
    ));
    assert_eq!(
        code,
        i32::from(expected),
        "{} on {qemu} ({cpu})",
        program.name()
    );
}

const FENCES_RV64: Program = Program {
    bin: "fences",
    target: RV64,
    feature: None,
};
const FENCES_RV32: Program = Program {
    bin: "fences",
    target: RV32,
    feature: None,
};
const fn gstage(feature: Option<&'static str>) -> Program {
    Program {
        bin: "gstage",
        target: RV64,
        feature,
    }
}

// --- Every fence executes, and traps without the H extension --------------

#[test]
fn fences_execute_on_rv64_with_the_h_extension() {
    expect_exit("fences_execute_on_rv64", FENCES_RV64, None, 0);
}

#[test]
fn fences_trap_on_rv64_without_the_h_extension() {
    expect_exit(
        "fences_trap_on_rv64",
        FENCES_RV64,
        Some("rv64,h=false"),
        exit_code::ILLEGAL_INSTRUCTION,
    );
}

#[test]
fn fences_execute_on_rv32_with_the_h_extension() {
    expect_exit("fences_execute_on_rv32", FENCES_RV32, None, 0);
}

#[test]
fn fences_trap_on_rv32_without_the_h_extension() {
    expect_exit(
        "fences_trap_on_rv32",
        FENCES_RV32,
        Some("rv32,h=false"),
        exit_code::ILLEGAL_INSTRUCTION,
    );
}

// --- A G-stage table walked by the hart, and its negative controls --------

#[test]
fn gstage_flush_invalidates_the_g_stage_with_the_spec_operands() {
    expect_exit("gstage", gstage(None), None, 0);
}

#[test]
fn gstage_control_without_flush_stays_stale() {
    expect_exit(
        "gstage_control_no_flush",
        gstage(Some("control-no-flush")),
        None,
        exit_code::STALE_AFTER_FLUSH,
    );
}

#[test]
fn gstage_control_with_hfence_vvma_executes_no_hfence_gvma() {
    expect_exit(
        "gstage_control_vvma",
        gstage(Some("control-vvma")),
        None,
        exit_code::NO_HFENCE_GVMA,
    );
}

#[test]
fn gstage_control_with_unshifted_operand_has_the_wrong_rs1() {
    expect_exit(
        "gstage_control_unshifted",
        gstage(Some("control-unshifted")),
        None,
        exit_code::WRONG_RS1,
    );
}

// --- Encodings, read back from the built programs -------------------------

/// One disassembled instruction: its raw bits and binutils' reading of them.
#[derive(Debug)]
struct Instruction {
    /// The instruction word as objdump prints it: 4 hex digits for a
    /// compressed instruction, 8 otherwise.
    hex: String,
    mnemonic: String,
    operands: Vec<String>,
}

impl Instruction {
    fn word(&self) -> Option<u32> {
        (self.hex.len() == 8)
            .then(|| u32::from_str_radix(&self.hex, 16).ok())
            .flatten()
    }
}

/// Disassembles `elf` with binutils into its functions' instructions.
///
/// The programs execute the H-extension fences under `.option arch, +h`, so
/// the ELF's ISA attribute (what objdump decodes by) lacks `h` and objdump
/// would print them as `.4byte`. A copy gets an ISA mapping symbol (RISC-V
/// ELF psABI: `$x<isa>`) declaring the attribute's ISA plus `h` from the start
/// of `.text`; nothing else changes.
fn disassemble(elf: &Path) -> HashMap<String, Vec<Instruction>> {
    let attributes = output(Command::new(READELF).arg("-A").arg(elf));
    let isa = attributes
        .lines()
        .find_map(|line| line.trim().strip_prefix("Tag_RISCV_arch: "))
        .expect("the ELF declares its ISA")
        .trim_matches('"');
    let mut annotated = elf.as_os_str().to_owned();
    annotated.push(".with-h");
    output(
        Command::new(OBJCOPY)
            .arg("--add-symbol")
            .arg(format!("$x{isa}_h1p0=.text:0,local"))
            .arg(elf)
            .arg(&annotated),
    );
    let listing = output(
        Command::new(OBJDUMP)
            .args(["--disassemble", "-M", "no-aliases"])
            .arg(&annotated),
    );
    parse_listing(&listing)
}

fn output(command: &mut Command) -> String {
    let output = command.output().expect("binutils runs");
    assert!(output.status.success(), "{command:?}: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Parses objdump's `--disassemble` listing: a `<name>:` header per symbol,
/// then `address:\thex\tmnemonic\toperands` lines.
fn parse_listing(listing: &str) -> HashMap<String, Vec<Instruction>> {
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
        let mnemonic = fields.next().unwrap_or_default().trim().to_owned();
        let operands = fields
            .next()
            .map(|operands| {
                // Drop objdump's `# <symbol>` annotations.
                let operands = operands.split('#').next().unwrap_or_default();
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

/// ABI names of x0..x31, as objdump prints them.
const REGISTERS: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
];

/// How a `fence_*` function of the `fences` program must pass its operand.
#[derive(Clone, Copy, Debug)]
enum Operand {
    /// rs1 = `x0`: all addresses.
    All,
    /// rs1 = the argument (in `a0`) as is.
    Address,
    /// rs1 = the argument shifted right by 2 (`hfence.gvma`).
    AddressShiftedRightBy2,
}

const fn mnemonic(kind: FenceKind) -> &'static str {
    match kind {
        FenceKind::SfenceVma => "sfence.vma",
        FenceKind::HfenceVvma => "hfence.vvma",
        FenceKind::HfenceGvma => "hfence.gvma",
    }
}

/// The fence `function` executes, checked three ways: the raw word decodes
/// (with the same decoder the G-stage trap handler uses) to `kind` with rs2 =
/// `x0`; binutils prints the same instruction; and rs1 holds what `operand`
/// says, traced back to the instruction that wrote it.
fn check_fence_function(
    functions: &HashMap<String, Vec<Instruction>>,
    function: &str,
    kind: FenceKind,
    operand: Operand,
) -> String {
    let body = functions
        .get(function)
        .unwrap_or_else(|| panic!("`{function}` is in the disassembly"));
    let fences: Vec<(usize, Fence)> = body
        .iter()
        .enumerate()
        .filter_map(|(i, insn)| Some((i, decode_fence(insn.word()?)?)))
        .collect();
    let [(at, fence)] = fences[..] else {
        panic!("`{function}` executes exactly one fence: {body:#?}");
    };
    let insn = &body[at];
    let rs1 = REGISTERS[usize::from(fence.rs1)];
    assert_eq!(fence.kind, kind, "`{function}`: {insn:?}");
    assert_eq!(fence.rs2, 0, "`{function}`: rs2 must be x0: {insn:?}");
    assert_eq!(insn.mnemonic, mnemonic(kind), "binutils agrees: {insn:?}");
    assert_eq!(insn.operands, [rs1, "zero"], "binutils agrees: {insn:?}");

    // The last instruction before the fence that writes rs1 (objdump lists
    // the destination first), if any.
    let writer = body[..at]
        .iter()
        .rev()
        .find(|insn| insn.operands.first().map(String::as_str) == Some(rs1));
    match operand {
        Operand::All => assert_eq!(rs1, "zero", "`{function}` flushes everything"),
        Operand::Address => {
            assert_eq!(rs1, "a0", "`{function}` passes its argument as is");
            assert!(writer.is_none(), "`{function}` changes a0: {writer:?}");
        }
        Operand::AddressShiftedRightBy2 => {
            let writer = writer.unwrap_or_else(|| panic!("`{function}` computes rs1: {body:#?}"));
            let shift = (writer.mnemonic.as_str(), &writer.operands[..]);
            let is_a0_shifted_by_2 = match shift {
                ("c.srli", [rd, amount]) => rd == "a0" && amount == "0x2",
                ("srli", [_, rs, amount]) => rs == "a0" && amount == "0x2",
                _ => false,
            };
            assert!(
                rs1 != "zero" && is_a0_shifted_by_2,
                "`{function}`: rs1 must be the argument (a0) shifted right by 2: {body:#?}"
            );
        }
    }
    format!("{function}: {:?} {}", fence.kind, insn_line(insn))
}

fn insn_line(insn: &Instruction) -> String {
    format!("{} {} {}", insn.hex, insn.mnemonic, insn.operands.join(","))
}

fn check_fence_encodings(test: &str, program: Program) {
    if !tools_present(test) {
        return;
    }
    let functions = disassemble(&build(program));
    let checks = [
        (
            "fence_gpa_one",
            FenceKind::HfenceGvma,
            Operand::AddressShiftedRightBy2,
        ),
        ("fence_gpa_all", FenceKind::HfenceGvma, Operand::All),
        ("fence_gva_one", FenceKind::HfenceVvma, Operand::Address),
        ("fence_gva_all", FenceKind::HfenceVvma, Operand::All),
        ("fence_host_one", FenceKind::SfenceVma, Operand::Address),
        ("fence_host_all", FenceKind::SfenceVma, Operand::All),
    ];
    for (function, kind, operand) in checks {
        let seen = check_fence_function(&functions, function, kind, operand);
        say(&format!("riscv-qemu: {}: {seen}", program.name()));
    }
    let shift = &functions["fence_gpa_one"];
    say(&format!(
        "riscv-qemu: {}: fence_gpa_one = {}",
        program.name(),
        shift.iter().map(insn_line).collect::<Vec<_>>().join("; ")
    ));
}

#[test]
fn fence_encodings_on_rv64() {
    check_fence_encodings("fence_encodings_on_rv64", FENCES_RV64);
}

#[test]
fn fence_encodings_on_rv32() {
    check_fence_encodings("fence_encodings_on_rv32", FENCES_RV32);
}

/// The trap handler's decoder against encodings from the privileged spec's
/// opcode table, independent of any tool.
#[test]
fn fence_decoder_reads_the_spec_encodings() {
    let fence = |kind, rs1, rs2| Some(Fence { kind, rs1, rs2 });
    // hfence.gvma a0, zero: 0110001 00000 01010 000 00000 1110011
    assert_eq!(
        decode_fence(0x6205_0073),
        fence(FenceKind::HfenceGvma, 10, 0)
    );
    // hfence.gvma zero, t1
    assert_eq!(
        decode_fence(0x6260_0073),
        fence(FenceKind::HfenceGvma, 0, 6)
    );
    assert_eq!(
        decode_fence(0x2205_0073),
        fence(FenceKind::HfenceVvma, 10, 0)
    );
    assert_eq!(decode_fence(0x1200_0073), fence(FenceKind::SfenceVma, 0, 0));
    // Not fences: mret, ecall, csrrw zero, mepc, a1 (funct3 = 1), and an
    // hfence.gvma with rd != 0.
    for word in [0x3020_0073, 0x0000_0073, 0x3415_9073, 0x6205_00f3] {
        assert_eq!(decode_fence(word), None, "{word:#010x}");
    }
}
