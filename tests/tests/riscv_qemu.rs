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
use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use riscv_protocol::encoding::{
    decode_csr, decode_fence, decode_hlv_d, instruction_length, CsrAccess, CsrOp, CsrSource, Fence,
    FenceKind, HGATP, SSTATUS,
};
use riscv_protocol::exit_code;
use support::bare_metal::{
    build, build_dir, output, parse_listing, run_emulator, say, Instruction, Program, Requirements,
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
/// status (what the program wrote to the SiFive test device) and what it
/// printed on the serial console, which goes to `console`.
fn run(qemu: &str, cpu: Option<&str>, elf: &Path, console: &Path) -> (i32, String) {
    let _ = fs::remove_file(console);
    let mut command = Command::new(qemu);
    command
        .args(["-machine", "virt", "-bios", "none", "-display", "none"])
        .arg("-serial")
        .arg(format!("file:{}", console.display()))
        .arg("-kernel")
        .arg(elf);
    if let Some(cpu) = cpu {
        command.args(["-cpu", cpu]);
    }
    let code = run_emulator(command);
    (code, fs::read_to_string(console).unwrap_or_default())
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
    let cpu_name = cpu.unwrap_or("default CPU");
    let console = build_dir("riscv-qemu").join("elf").join(format!(
        "{}-{}.console",
        program.name(),
        cpu_name.replace([' ', ','], "-")
    ));
    let (code, printed) = run(qemu, cpu, &elf, &console);
    let cpu = cpu_name;
    for line in printed.lines() {
        say(&format!("riscv-qemu: {}: {line}", program.name()));
    }
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
const fn nested_gstage(feature: Option<&'static str>) -> Program {
    Program {
        workspace: "riscv",
        bin: "nested-gstage",
        target: RV64,
        feature,
    }
}
const fn pervm(target: &'static str, feature: Option<&'static str>) -> Program {
    Program {
        workspace: "riscv",
        bin: "pervm",
        target,
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

// --- axvm 0.8's G-stage table (page-table-generic), and its controls ------

#[test]
fn nested_gstage_hook_invalidates_each_change_with_the_spec_operands() {
    expect_exit("nested_gstage", nested_gstage(None), None, 0);
}

#[test]
fn nested_gstage_control_without_flush_stays_stale() {
    expect_exit(
        "nested_gstage_control_no_flush",
        nested_gstage(Some("control-no-flush")),
        None,
        exit_code::STALE_AFTER_FLUSH,
    );
}

#[test]
fn nested_gstage_control_with_axvms_operandless_hfence_gvma_has_the_wrong_rs1() {
    expect_exit(
        "nested_gstage_control_axvm",
        nested_gstage(Some("control-axvm")),
        None,
        exit_code::WRONG_RS1,
    );
}

// --- Per-VM flushes, trapped and logged, and their controls ---------------

#[test]
fn pervm_flushes_name_the_vm_on_rv64() {
    expect_exit("pervm_rv64", pervm(RV64, None), None, 0);
}

#[test]
fn pervm_flushes_name_the_vm_on_rv32() {
    expect_exit("pervm_rv32", pervm(RV32, None), None, 0);
}

#[test]
fn pervm_control_context_free_flushes_every_vmid() {
    expect_exit(
        "pervm_control_context_free",
        pervm(RV64, Some("control-context-free")),
        None,
        exit_code::GVMA_WRONG_VMID,
    );
}

#[test]
fn pervm_control_vmid0_as_x0_flushes_every_vmid() {
    expect_exit(
        "pervm_control_vmid0_as_x0",
        pervm(RV64, Some("control-vmid0-as-x0")),
        None,
        exit_code::GVMA_WRONG_VMID,
    );
}

#[test]
fn pervm_control_vvma_without_hgatp_swap_flushes_the_loaded_vm() {
    expect_exit(
        "pervm_control_vvma_no_swap",
        pervm(RV64, Some("control-vvma-no-swap")),
        None,
        exit_code::NO_HGATP_SWAP,
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

/// The body of `function`, and the one fence in it (its index and decoding,
/// with the same decoder the trap handler uses).
fn the_one_fence<'a>(
    functions: &'a HashMap<String, Vec<Instruction>>,
    function: &str,
) -> (&'a [Instruction], usize, Fence) {
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
    (body, at, fence)
}

/// The last instruction of `code` that writes `register` (objdump lists the
/// destination first), if any.
fn last_writer<'a>(code: &'a [Instruction], register: &str) -> Option<&'a Instruction> {
    code.iter()
        .rev()
        .find(|insn| insn.operands.first().map(String::as_str) == Some(register))
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
    let (body, at, fence) = the_one_fence(functions, function);
    let insn = &body[at];
    let rs1 = REGISTERS[usize::from(fence.rs1)];
    assert_eq!(fence.kind, kind, "`{function}`: {insn:?}");
    assert_eq!(fence.rs2, 0, "`{function}`: rs2 must be x0: {insn:?}");
    assert_eq!(insn.mnemonic, mnemonic(kind), "binutils agrees: {insn:?}");
    assert_eq!(insn.operands, [rs1, "zero"], "binutils agrees: {insn:?}");

    let writer = last_writer(&body[..at], rs1);
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
    for (function, rs1, vmid) in [
        (
            "vm_gpa_one",
            Operand::AddressShiftedRightBy2,
            Vmid::Argument,
        ),
        (
            "vm_gpa_one_vmid0",
            Operand::AddressShiftedRightBy2,
            Vmid::Zero,
        ),
        ("vm_gpa_all_vmid0", Operand::All, Vmid::Zero),
    ] {
        let seen = check_gvma_names_the_vmid(&functions, function, rs1, vmid);
        say(&format!("riscv-qemu: {}: {seen}", program.name()));
    }
    let vmid_shift = if program.target == RV64 { 44 } else { 22 };
    for (function, rs1) in [
        ("vm_gva_one", Operand::Address),
        ("vm_gva_all", Operand::All),
    ] {
        check_hgatp_swap(&functions, function, rs1, vmid_shift);
    }
    for function in ["fence_gpa_one", "vm_gpa_one_vmid0", "vm_gva_one"] {
        say(&format!(
            "riscv-qemu: {}: {function} = {}",
            program.name(),
            functions[function]
                .iter()
                .map(Instruction::line)
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
}

/// Where a per-VM `hfence.gvma` gets its VMID from.
#[derive(Clone, Copy, Debug)]
enum Vmid {
    /// The `VmContext` argument.
    Argument,
    /// The constant 0: still a register (`x0` would mean every VMID),
    /// loaded with 0.
    Zero,
}

/// The one `hfence.gvma` of a per-VM function: rs2 is never `x0`, for VMID
/// 0 too; rs1 is as `operand` says.
fn check_gvma_names_the_vmid(
    functions: &HashMap<String, Vec<Instruction>>,
    function: &str,
    operand: Operand,
    vmid: Vmid,
) -> String {
    let (body, at, fence) = the_one_fence(functions, function);
    let insn = &body[at];
    let (rs1, rs2) = (
        REGISTERS[usize::from(fence.rs1)],
        REGISTERS[usize::from(fence.rs2)],
    );
    assert_eq!(fence.kind, FenceKind::HfenceGvma, "`{function}`: {insn:?}");
    assert_ne!(
        rs2, "zero",
        "`{function}`: rs2 = x0 flushes every VMID: {insn:?}"
    );
    assert_eq!(insn.mnemonic, "hfence.gvma", "binutils agrees: {insn:?}");
    assert_eq!(insn.operands, [rs1, rs2], "binutils agrees: {insn:?}");
    if let Operand::All = operand {
        assert_eq!(rs1, "zero", "`{function}` flushes every address");
    } else {
        let shifted_by_2 = last_writer(&body[..at], rs1).is_some_and(|writer| {
            match (writer.mnemonic.as_str(), &writer.operands[..]) {
                ("c.srli", [_, amount]) | ("srli", [_, _, amount]) => amount == "0x2",
                _ => false,
            }
        });
        assert!(
            rs1 != "zero" && shifted_by_2,
            "`{function}`: rs1 must be the GPA shifted right by 2: {body:#?}"
        );
    }
    if let Vmid::Zero = vmid {
        let loads_zero = last_writer(&body[..at], rs2).is_some_and(|writer| {
            match (writer.mnemonic.as_str(), &writer.operands[..]) {
                ("c.li", [_, value]) => value == "0",
                ("addi", [_, source, value]) => source == "zero" && value == "0",
                _ => false,
            }
        });
        assert!(
            loads_zero,
            "`{function}`: rs2 must be a register loaded with 0: {body:#?}"
        );
    }
    format!("{function}: {:?} {}", fence.kind, insn.line())
}

/// An instruction of a guest-virtual per-VM flush that the swap check reads.
#[derive(Clone, Copy, Debug)]
enum SwapStep {
    Csr(CsrAccess),
    Fence(Fence),
}

/// A guest-virtual per-VM flush is, in this order: S-mode interrupts masked
/// (`csrrci s, sstatus, 2`), `hgatp` swapped to the VMID shifted into place
/// (`csrrw saved, hgatp, t`, `t` = `vmid << shift`), one `hfence.vvma`
/// (rs1 as `operand` says, rs2 = `x0`), `hgatp` restored (`csrrw zero,
/// hgatp, saved`), and `sstatus.SIE` restored (`andi s, s, 2`, `csrrs zero,
/// sstatus, s`). Nothing else touches these CSRs.
fn check_hgatp_swap(
    functions: &HashMap<String, Vec<Instruction>>,
    function: &str,
    operand: Operand,
    vmid_shift: u32,
) {
    let body = &functions[function];
    let steps: Vec<(usize, SwapStep)> = body
        .iter()
        .enumerate()
        .filter_map(|(i, insn)| {
            let word = word(insn)?;
            let step = match (decode_fence(word), decode_csr(word)) {
                (Some(fence), _) => SwapStep::Fence(fence),
                (None, Some(access)) if [HGATP, SSTATUS].contains(&access.csr) => {
                    SwapStep::Csr(access)
                }
                _ => return None,
            };
            Some((i, step))
        })
        .collect();
    let [(_, SwapStep::Csr(mask)), (swap_at, SwapStep::Csr(swap)), (_, SwapStep::Fence(vvma)), (_, SwapStep::Csr(restore)), (unmask_at, SwapStep::Csr(unmask))] =
        steps[..]
    else {
        panic!("`{function}`: mask, swap, hfence.vvma, restore, unmask: {steps:#?}");
    };
    let CsrSource::Register(status) = unmask.source else {
        panic!("`{function}`: sstatus restored from a register: {unmask:?}");
    };
    let CsrSource::Register(target) = swap.source else {
        panic!("`{function}`: hgatp swapped from a register: {swap:?}");
    };
    let reg = |n: u8| REGISTERS[usize::from(n)];
    assert_eq!(
        (mask.op, mask.csr, mask.source),
        (CsrOp::Clear, SSTATUS, CsrSource::Immediate(2)),
        "`{function}` masks sstatus.SIE first"
    );
    assert_eq!(mask.rd, status, "`{function}` restores what it saved");
    assert!(status != 0 && swap.rd != 0 && target != 0, "{steps:#?}");
    assert_eq!((swap.op, swap.csr), (CsrOp::Write, HGATP), "{swap:?}");
    assert_eq!(vvma.kind, FenceKind::HfenceVvma, "{vvma:?}");
    assert_eq!(vvma.rs2, 0, "`{function}`: all ASIDs of the VM: {vvma:?}");
    match operand {
        Operand::All => assert_eq!(vvma.rs1, 0, "`{function}` flushes every address"),
        _ => assert_ne!(vvma.rs1, 0, "`{function}` flushes one address"),
    }
    assert_eq!(
        restore,
        CsrAccess {
            op: CsrOp::Write,
            csr: HGATP,
            rd: 0,
            source: CsrSource::Register(swap.rd)
        },
        "`{function}` writes the saved hgatp back"
    );
    assert_eq!((unmask.op, unmask.csr, unmask.rd), (CsrOp::Set, SSTATUS, 0));
    // The VMID is shifted into hgatp.VMID, with MODE = Bare.
    let shift = format!("{vmid_shift:#x}");
    let shifts_vmid = last_writer(&body[..swap_at], reg(target)).is_some_and(|writer| {
        match (writer.mnemonic.as_str(), &writer.operands[..]) {
            ("c.slli", [_, amount]) | ("slli", [_, _, amount]) => *amount == shift,
            _ => false,
        }
    });
    assert!(
        shifts_vmid,
        "`{function}`: hgatp = vmid << {vmid_shift}: {body:#?}"
    );
    // Only SIE is set back, not every bit that was read.
    let keeps_sie_only =
        last_writer(&body[..unmask_at], reg(status)).is_some_and(|writer| {
            match (writer.mnemonic.as_str(), &writer.operands[..]) {
                ("c.andi", [_, mask]) | ("andi", [_, _, mask]) => mask == "2",
                _ => false,
            }
        });
    assert!(
        keeps_sie_only,
        "`{function}`: sets sstatus.SIE only: {body:#?}"
    );
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

/// The Zicsr and `hlv.d` decoders the harness patches and emulates with,
/// against binutils 2.40's encodings (`riscv64-linux-gnu-as -march=rv64gc_h`).
#[test]
fn csr_and_hlv_decoders_read_the_spec_encodings() {
    let csr = |op, csr, rd, source| {
        Some(CsrAccess {
            op,
            csr,
            rd,
            source,
        })
    };
    // csrrw a5, hgatp, a4
    assert_eq!(
        decode_csr(0x6807_17f3),
        csr(CsrOp::Write, HGATP, 15, CsrSource::Register(14))
    );
    // csrw hgatp, a5 (csrrw zero, hgatp, a5)
    assert_eq!(
        decode_csr(0x6807_9073),
        csr(CsrOp::Write, HGATP, 0, CsrSource::Register(15))
    );
    // csrr a0, hgatp (csrrs a0, hgatp, zero): reads, never writes
    let read = decode_csr(0x6800_2573);
    assert_eq!(read, csr(CsrOp::Set, HGATP, 10, CsrSource::Register(0)));
    assert!(!read.is_some_and(|access| access.writes()));
    // csrrci a3, sstatus, 2; csrrs zero, sstatus, a3
    assert_eq!(
        decode_csr(0x1001_76f3),
        csr(CsrOp::Clear, SSTATUS, 13, CsrSource::Immediate(2))
    );
    assert_eq!(
        decode_csr(0x1006_a073),
        csr(CsrOp::Set, SSTATUS, 0, CsrSource::Register(13))
    );
    // csrrwi a1, hgatp, 5; csrrc t0, hgatp, t1
    assert_eq!(
        decode_csr(0x6802_d5f3),
        csr(CsrOp::Write, HGATP, 11, CsrSource::Immediate(5))
    );
    assert_eq!(
        decode_csr(0x6803_32f3),
        csr(CsrOp::Clear, HGATP, 5, CsrSource::Register(6))
    );
    // Not CSR accesses: hfence.vvma a0, zero; ecall; hlv.d a0, (a1).
    for word in [0x2205_0073, 0x0000_0073, 0x6c05_c573] {
        assert_eq!(decode_csr(word), None, "{word:#010x}");
    }
    assert_eq!(decode_hlv_d(0x6c05_c573), Some(10));
    // hlv.w a0, (a1) and hfence.gvma a0, a1 are not hlv.d.
    assert_eq!(decode_hlv_d(0x6805_c573), None);
    assert_eq!(decode_hlv_d(0x62b5_0073), None);
    // c.srli a0, 2 is 2 bytes; hfence.gvma's low halfword says 4.
    assert_eq!(instruction_length(0x8109), 2);
    assert_eq!(instruction_length(0x0073), 4);
}
