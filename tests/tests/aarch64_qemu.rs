//! The aarch64 proof on an emulated CPU (tests/aarch64/README.md): builds the
//! bare-metal programs of `tests/aarch64` for
//! `aarch64-unknown-none-softfloat`, runs them under QEMU's `virt` machine at
//! EL2, and checks their exit codes and their disassembly.
//!
//! Needs `qemu-system-aarch64` (Debian `qemu-system-arm`),
//! `aarch64-linux-gnu-objdump` (Debian `binutils-aarch64-linux-gnu`) and the
//! rustup target. Without them each test prints `SKIP:` and passes, unless
//! `ADDR_TYPES_REQUIRE_QEMU=1`, which turns a missing tool into a failure
//! (CI sets it).

mod support {
    pub mod bare_metal;
}

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use aarch64_protocol::exit_code;
use support::bare_metal::{
    build, output, parse_listing, run_emulator, say, Instruction, Program, Requirements,
};

const TARGET: &str = "aarch64-unknown-none-softfloat";
const QEMU: &str = "qemu-system-aarch64";
const OBJDUMP: &str = "aarch64-linux-gnu-objdump";

// --- Tools, and the SKIP rule -----------------------------------------------

const REQUIREMENTS: Requirements = Requirements {
    proof: "aarch64",
    tools: &[
        (QEMU, "qemu-system-arm"),
        (OBJDUMP, "binutils-aarch64-linux-gnu"),
    ],
    files: &[],
    targets: &[TARGET],
    workspace: "aarch64",
};

/// `true` when the test can run; `false` after printing `SKIP:` when a tool is
/// missing. Panics instead when `ADDR_TYPES_REQUIRE_QEMU=1`.
fn tools_present(test: &str) -> bool {
    static CHECKED: OnceLock<Result<(), Vec<String>>> = OnceLock::new();
    REQUIREMENTS.present(CHECKED.get_or_init(|| REQUIREMENTS.check()), test)
}

// --- Running them -------------------------------------------------------------

/// Runs `elf` on QEMU `virt` (at EL2 with `virtualization`) and returns
/// QEMU's exit status: the program's semihosting `SYS_EXIT` code.
fn run(elf: &Path, virtualization: bool) -> i32 {
    let machine = if virtualization {
        "virt,virtualization=on"
    } else {
        "virt"
    };
    let mut command = Command::new(QEMU);
    // `-nic none`: `virt` adds a virtio NIC by default, whose option ROM
    // (efi-virtio.rom) comes from ipxe-qemu, a package Debian only
    // recommends; without it QEMU refuses to start.
    command
        .args([
            "-M",
            machine,
            "-cpu",
            "cortex-a57",
            "-nographic",
            "-nic",
            "none",
        ])
        .args(["-semihosting", "-kernel"])
        .arg(elf);
    run_emulator(command)
}

const fn program(bin: &'static str, feature: Option<&'static str>) -> Program {
    Program {
        workspace: "aarch64",
        bin,
        target: TARGET,
        feature,
    }
}

const FLUSHES: Program = program("flushes", None);

/// Builds and runs `program` and asserts its exit code; says what it saw.
fn expect_exit(test: &str, program: Program, virtualization: bool, expected: u8) {
    if !tools_present(test) {
        return;
    }
    let code = run(&build(program), virtualization);
    let outcome = if program.bin == "stage2" {
        format!(" ({})", describe(code))
    } else {
        String::new()
    };
    say(&format!(
        "aarch64-qemu: {} (virtualization={virtualization}): exit {code}{outcome}, expected {expected}",
        program.name(),
    ));
    assert_eq!(code, i32::from(expected), "{}", program.name());
}

/// The stage-2 outcome table of an exit code, for the log.
fn describe(code: i32) -> String {
    let Some(stale) = u8::try_from(code)
        .ok()
        .and_then(|code| code.checked_sub(exit_code::STALE_BASE))
        .filter(|stale| *stale < 16)
        .or((code == 0).then_some(0))
    else {
        return "not a stage-2 outcome".to_owned();
    };
    let cases = [
        ("A one", exit_code::STALE_A_ONE),
        ("A all", exit_code::STALE_A_ALL),
        ("B one", exit_code::STALE_B_ONE),
        ("B all", exit_code::STALE_B_ALL),
    ];
    cases
        .iter()
        .map(|(case, bit)| {
            let outcome = if stale & bit == 0 { "fresh" } else { "STALE" };
            format!("{case}: {outcome}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every case of the stage-2 run.
const ALL_CASES: u8 = exit_code::STALE_A_ONE
    | exit_code::STALE_A_ALL
    | exit_code::STALE_B_ONE
    | exit_code::STALE_B_ALL;

/// The exit code of a stage-2 run whose stale cases are `stale`.
const fn stale(stale: u8) -> u8 {
    exit_code::STALE_BASE | stale
}

#[test]
fn flushes_execute_at_el2() {
    expect_exit("flushes_execute_at_el2", FLUSHES, true, 0);
}

/// The programs can tell they were not started at EL2 (without it, the
/// flushes would be UNDEFINED): the harness can fail.
#[test]
fn flushes_refuse_to_run_below_el2() {
    expect_exit(
        "flushes_refuse_to_run_below_el2",
        FLUSHES,
        false,
        exit_code::NOT_AT_EL2,
    );
}

#[test]
fn stage2_flush_reads_fresh_in_both_modes() {
    expect_exit("stage2", program("stage2", None), true, 0);
}

#[test]
fn stage2_control_without_flush_stays_stale() {
    expect_exit(
        "stage2_control_no_flush",
        program("stage2", Some("control-no-flush")),
        true,
        stale(ALL_CASES),
    );
}

/// Upstream axaddrspace's `tlbi vae2is, <raw GPA>` / `tlbi alle2is`: EL2's
/// own regime, so nothing of the guest's is invalidated.
#[test]
fn stage2_control_with_upstream_vae2is_stays_stale() {
    expect_exit(
        "stage2_control_vae2is",
        program("stage2", Some("control-vae2is")),
        true,
        stale(ALL_CASES),
    );
}

/// The IPA unshifted: `vmalle1is` still drops mode A's combined entry, but
/// mode B's cached stage-2 translation of the table page survives.
#[test]
fn stage2_control_with_unshifted_ipa_stays_stale_in_mode_b() {
    expect_exit(
        "stage2_control_unshifted",
        program("stage2", Some("control-unshifted")),
        true,
        stale(exit_code::STALE_B_ONE),
    );
}

/// `vmalle1is` alone: no stage-2 invalidation, so mode B stays stale.
#[test]
fn stage2_control_with_vmalle1is_only_stays_stale_in_mode_b() {
    expect_exit(
        "stage2_control_vmalle1is_only",
        program("stage2", Some("control-vmalle1is-only")),
        true,
        stale(exit_code::STALE_B_ONE | exit_code::STALE_B_ALL),
    );
}

/// `ipas2e1is` alone: the combined stage 1+2 entries survive it.
#[test]
fn stage2_control_with_ipas2e1is_only_stays_stale() {
    expect_exit(
        "stage2_control_ipas2e1is_only",
        program("stage2", Some("control-ipas2e1is-only")),
        true,
        stale(exit_code::STALE_A_ONE | exit_code::STALE_B_ONE),
    );
}

// --- Encodings, read back from the built program ----------------------------

/// The TLBI operations the flushes use, as `SYS #op1, C8, Cm, #op2, Xt`
/// (Arm ARM, "TLB maintenance instructions"): name, op1, CRm, op2.
const TLBI: [(&str, u32, u32, u32); 6] = [
    ("ipas2e1is", 4, 0, 1),
    ("vmalls12e1is", 4, 3, 6),
    ("vmalle1is", 0, 3, 0),
    ("vaae1is", 0, 3, 3),
    ("vmalle1", 0, 7, 0),
    ("vae2is", 4, 3, 1),
];

/// The encoding of `tlbi <op>, X<rt>` (`rt` = 31 for the forms without a
/// register), computed from [`TLBI`].
fn tlbi_encoding(op: &str, rt: u32) -> u32 {
    let &(_, op1, crm, op2) = TLBI
        .iter()
        .find(|(name, ..)| *name == op)
        .unwrap_or_else(|| panic!("`{op}` is in the TLBI table"));
    0xd508_0000 | op1 << 16 | 8 << 12 | crm << 8 | op2 << 5 | rt
}

/// What a flush function must be, one instruction per line; `Xt` stands for
/// the register the TLBI takes, the same everywhere it appears.
const EXPECTED: [(&str, &[&str]); 6] = [
    (
        "flush_gpa_one",
        &[
            "lsr Xt,x0,#12",
            "dsb ishst",
            "tlbi ipas2e1is,Xt",
            "dsb ish",
            "tlbi vmalle1is",
            "dsb ish",
            "isb",
            "ret",
        ],
    ),
    (
        "flush_gpa_all",
        &["dsb ishst", "tlbi vmalls12e1is", "dsb ish", "isb", "ret"],
    ),
    (
        "flush_gva_one",
        &[
            "ubfx Xt,x0,#12,#44",
            "dsb ishst",
            "tlbi vaae1is,Xt",
            "dsb ish",
            "isb",
            "ret",
        ],
    ),
    (
        "flush_gva_all",
        &["dsb ishst", "tlbi vmalle1is", "dsb ish", "isb", "ret"],
    ),
    (
        "flush_host_one",
        &[
            "ubfx Xt,x0,#12,#44",
            "dsb ishst",
            "tlbi vaae1is,Xt",
            "dsb sy",
            "isb",
            "ret",
        ],
    ),
    (
        "flush_host_all",
        &["dsb ishst", "tlbi vmalle1", "dsb sy", "isb", "ret"],
    ),
];

fn disassemble(elf: &Path) -> HashMap<String, Vec<Instruction>> {
    parse_listing(
        &output(Command::new(OBJDUMP).arg("--disassemble").arg(elf)),
        "//",
    )
}

/// `mnemonic op,op,...` as [`EXPECTED`] writes it.
fn normalized(insn: &Instruction) -> String {
    if insn.operands.is_empty() {
        insn.mnemonic.clone()
    } else {
        format!("{} {}", insn.mnemonic, insn.operands.join(","))
    }
}

/// Checks `function` against its expected lines, and each TLBI's raw
/// encoding against [`tlbi_encoding`]; returns the listing for the log.
fn check_flush_function(
    functions: &HashMap<String, Vec<Instruction>>,
    function: &str,
    expected: &[&str],
) -> String {
    let body = functions
        .get(function)
        .unwrap_or_else(|| panic!("`{function}` is in the disassembly"));
    let lines: Vec<String> = body.iter().map(normalized).collect();
    // The TLBI's register, if it takes one: what `Xt` names.
    let xt = body
        .iter()
        .filter(|insn| insn.mnemonic == "tlbi")
        .find_map(|insn| insn.operands.get(1).cloned());
    if let Some(xt) = &xt {
        assert!(
            xt.starts_with('x') && xt != "xzr",
            "`{function}`: the TLBI operand is a general register: {lines:#?}"
        );
    }
    let expected: Vec<String> = expected
        .iter()
        .map(|line| match &xt {
            Some(xt) => line.replace("Xt", xt),
            None => (*line).to_owned(),
        })
        .collect();
    assert_eq!(lines, expected, "`{function}`");
    for insn in body.iter().filter(|insn| insn.mnemonic == "tlbi") {
        let rt = insn
            .operands
            .get(1)
            .map_or(31, |reg| reg[1..].parse().expect("an x register"));
        let word = u32::from_str_radix(&insn.hex, 16).expect("a 32-bit word");
        assert_eq!(
            word,
            tlbi_encoding(&insn.operands[0], rt),
            "`{function}`: binutils and the Arm ARM agree on {}",
            insn.line(),
        );
    }
    format!("{function}: {}", lines.join("; "))
}

#[test]
fn flush_encodings() {
    if !tools_present("flush_encodings") {
        return;
    }
    let functions = disassemble(&build(FLUSHES));
    for (function, expected) in EXPECTED {
        let seen = check_flush_function(&functions, function, expected);
        say(&format!("aarch64-qemu: {seen}"));
    }
}

/// The control that stands for upstream's mistake really executes
/// `tlbi vae2is` with the raw address, so its staleness is that mistake's.
#[test]
fn upstream_control_executes_vae2is_with_the_raw_address() {
    if !tools_present("upstream_control_encoding") {
        return;
    }
    let functions = disassemble(&build(program("stage2", Some("control-vae2is"))));
    let tlbis: Vec<String> = functions
        .values()
        .flatten()
        .filter(|insn| insn.mnemonic == "tlbi")
        .map(normalized)
        .collect();
    assert!(
        tlbis.iter().any(|tlbi| tlbi.starts_with("tlbi vae2is,x")),
        "{tlbis:#?}"
    );
    assert!(
        tlbis.iter().any(|tlbi| tlbi == "tlbi alle2is"),
        "{tlbis:#?}"
    );
    assert!(
        !tlbis.iter().any(|tlbi| tlbi.starts_with("tlbi ipas2e1is")),
        "the upstream control must not invalidate stage 2: {tlbis:#?}"
    );
}
