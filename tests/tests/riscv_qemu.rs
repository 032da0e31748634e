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

mod support {
    pub mod bare_metal;
}

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use riscv_protocol::encoding::{decode_fence, Fence, FenceKind};
use riscv_protocol::exit_code;
use support::bare_metal::{
    build, output, parse_listing, run_emulator, say, Instruction, Program, Requirements,
};

const RV64: &str = "riscv64gc-unknown-none-elf";
const RV32: &str = "riscv32imac-unknown-none-elf";
const QEMU_RV64: &str = "qemu-system-riscv64";
const QEMU_RV32: &str = "qemu-system-riscv32";
const OBJDUMP: &str = "riscv64-linux-gnu-objdump";
const OBJCOPY: &str = "riscv64-linux-gnu-objcopy";
const READELF: &str = "riscv64-linux-gnu-readelf";

// --- Tools, and the SKIP rule -----------------------------------------------

const REQUIREMENTS: Requirements = Requirements {
    proof: "RISC-V",
    tools: &[
        (QEMU_RV64, "qemu-system-misc"),
        (QEMU_RV32, "qemu-system-misc"),
        (OBJDUMP, "binutils-riscv64-linux-gnu"),
        (OBJCOPY, "binutils-riscv64-linux-gnu"),
        (READELF, "binutils-riscv64-linux-gnu"),
    ],
    files: &[],
    targets: &[RV64, RV32],
    workspace: "riscv",
};

/// `true` when the test can run; `false` after printing `SKIP:` when a tool is
/// missing. Panics instead when `ADDR_TYPES_REQUIRE_QEMU=1`.
fn tools_present(test: &str) -> bool {
    static CHECKED: OnceLock<Result<(), Vec<String>>> = OnceLock::new();
    REQUIREMENTS.present(CHECKED.get_or_init(|| REQUIREMENTS.check()), test)
}

// --- Running them ---------------------------------------------------------

/// Runs `elf` on QEMU `virt` in M-mode (`-bios none`) and returns QEMU's exit
/// status: what the program wrote to the SiFive test device.
fn run(qemu: &str, cpu: Option<&str>, elf: &Path) -> i32 {
    let mut command = Command::new(qemu);
    command
        .args(["-machine", "virt", "-bios", "none", "-nographic", "-kernel"])
        .arg(elf);
    if let Some(cpu) = cpu {
        command.args(["-cpu", cpu]);
    }
    run_emulator(command)
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
    workspace: "riscv",
    bin: "fences",
    target: RV64,
    feature: None,
};
const FENCES_RV32: Program = Program {
    workspace: "riscv",
    bin: "fences",
    target: RV32,
    feature: None,
};
const fn gstage(feature: Option<&'static str>) -> Program {
    Program {
        workspace: "riscv",
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

/// The 32-bit word of a non-compressed instruction.
fn word(insn: &Instruction) -> Option<u32> {
    (insn.hex.len() == 8)
        .then(|| u32::from_str_radix(&insn.hex, 16).ok())
        .flatten()
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
    parse_listing(&listing, "#")
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
        .filter_map(|(i, insn)| Some((i, decode_fence(word(insn)?)?)))
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
    format!("{function}: {:?} {}", fence.kind, insn.line())
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
    // ax-page-table-multiarch 0.8's `SvVirtAddr`, a second trait, exists on
    // riscv64 only, as the first.
    let current_generation = [
        (
            "fence_gpa_one_pt08",
            FenceKind::HfenceGvma,
            Operand::AddressShiftedRightBy2,
        ),
        ("fence_gpa_all_pt08", FenceKind::HfenceGvma, Operand::All),
        (
            "fence_gva_one_pt08",
            FenceKind::HfenceVvma,
            Operand::Address,
        ),
        ("fence_gva_all_pt08", FenceKind::HfenceVvma, Operand::All),
    ];
    let rv64_only: &[_] = if program.target == RV64 {
        &current_generation
    } else {
        &[]
    };
    for &(function, kind, operand) in checks.iter().chain(rv64_only) {
        let seen = check_fence_function(&functions, function, kind, operand);
        say(&format!("riscv-qemu: {}: {seen}", program.name()));
    }
    let shift = &functions["fence_gpa_one"];
    say(&format!(
        "riscv-qemu: {}: fence_gpa_one = {}",
        program.name(),
        shift
            .iter()
            .map(Instruction::line)
            .collect::<Vec<_>>()
            .join("; ")
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
