//! The aarch64 proof on an emulated CPU (tests/aarch64/README.md): builds the
//! bare-metal programs of `tests/aarch64` for
//! `aarch64-unknown-none-softfloat`, runs them under QEMU's `virt` machine at
//! EL2, and checks their reports, their exit codes and their disassembly.
//!
//! Two builds serve every run: `flushes`, and `stage2`, whose suite each run
//! names on QEMU's command line (`-append`).
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
use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use aarch64_protocol::exit_code;
use aarch64_protocol::report::{
    Hook, Suite, FRESH, HOOK_CASES, NOT_AVAILABLE, PER_VM_CASES, RANGE_CASES, RANGE_TLBI, RESTORED,
    RESTORED_VALUE, STALE, USED,
};
use support::bare_metal::{
    build, build_dir, output, parse_listing, run_emulator, say, Instruction, Program, Requirements,
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

const fn program(bin: &'static str) -> Program {
    Program {
        workspace: "aarch64",
        bin,
        target: TARGET,
        feature: None,
    }
}

const FLUSHES: Program = program("flushes");
const STAGE2: Program = program("stage2");

/// The emulated CPU: whether it has FEAT_TLBIRANGE is what tells them apart
/// here (QEMU 7.2: ID_AA64ISAR0_EL1.TLB is 2 on `max`, 0 on cortex-a57).
#[derive(Clone, Copy, Debug)]
enum Cpu {
    CortexA57,
    Max,
}

impl Cpu {
    fn name(self) -> &'static str {
        match self {
            Self::CortexA57 => "cortex-a57",
            Self::Max => "max",
        }
    }
}

/// What a run ended with.
#[derive(Debug)]
struct Run {
    /// QEMU's exit status: the program's semihosting `SYS_EXIT` code.
    code: i32,
    /// The program's `key: value` lines, in order.
    report: Vec<(String, String)>,
}

/// Runs `elf` on QEMU `virt` (at EL2 with `virtualization`), with `suite`
/// on its command line.
fn run(elf: &Path, virtualization: bool, cpu: Cpu, suite: Option<Suite>) -> Run {
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
            cpu.name(),
            "-nographic",
            "-nic",
            "none",
        ])
        .args(["-semihosting", "-kernel"])
        .arg(elf);
    if let Some(suite) = suite {
        command.args(["-append", suite.argument()]);
    }
    // The semihosting console is QEMU's standard error: a file per run,
    // read once QEMU has exited.
    let reports = build_dir("aarch64-qemu").join("reports");
    fs::create_dir_all(&reports).expect("create the report directory");
    let name = elf.file_name().expect("an ELF file").to_string_lossy();
    let argument = suite.map_or("none", Suite::argument).replace('=', "-");
    let path = reports.join(format!("{name}-{}-{argument}.txt", cpu.name()));
    command.stderr(fs::File::create(&path).expect("create the report file"));
    let code = run_emulator(command);
    let text = fs::read_to_string(&path).expect("read the report");
    // QEMU's own messages (warnings) name the binary; they stay in the
    // report, so an unexpected one shows in the comparison.
    let report = text
        .lines()
        .map(|line| match line.split_once(": ") {
            Some((key, value)) => (key.to_owned(), value.to_owned()),
            None => (line.to_owned(), String::new()),
        })
        .collect();
    Run { code, report }
}

/// Runs `program` with `suite` and asserts its exit code; says what it saw.
fn expect_exit(
    test: &str,
    program: Program,
    cpu: Cpu,
    suite: Option<Suite>,
    expected: u8,
) -> Option<Run> {
    if !tools_present(test) {
        return None;
    }
    let run = run(&build(program), true, cpu, suite);
    let argument = suite.map_or("", Suite::argument);
    say(&format!(
        "aarch64-qemu: {} {argument} (-cpu {}): exit {}, expected {expected}",
        program.name(),
        cpu.name(),
        run.code,
    ));
    for (key, value) in &run.report {
        say(&format!("aarch64-qemu:     {key}: {value}"));
    }
    assert_eq!(run.code, i32::from(expected), "{test}: {run:?}");
    Some(run)
}

/// Runs `suite` of the stage-2 program and requires `expected`, line for
/// line.
fn expect_report(test: &str, cpu: Cpu, suite: Suite, expected: &[(String, String)]) {
    if let Some(run) = expect_exit(test, STAGE2, cpu, Some(suite), 0) {
        assert_eq!(run.report, expected, "{test}");
    }
}

/// `cases` in order, each [`STALE`] if named in `stale`, else [`FRESH`].
fn outcomes(cases: &[&str], stale: &[&str]) -> Vec<(String, String)> {
    for case in stale {
        assert!(cases.contains(case), "`{case}` is one of {cases:?}");
    }
    cases
        .iter()
        .map(|case| {
            let outcome = if stale.contains(case) { STALE } else { FRESH };
            ((*case).to_owned(), outcome.to_owned())
        })
        .collect()
}

fn line(key: &str, value: &str) -> (String, String) {
    (key.to_owned(), value.to_owned())
}

// --- The programs run at EL2, and know when they do not -----------------------

/// Every flush, per-VM ones included, for the loaded VM and another: none
/// faults, each per-VM one restores VTTBR_EL2 and DAIF.
#[test]
fn flushes_execute_at_el2_without_range_tlbi() {
    expect_exit("flushes_cortex_a57", FLUSHES, Cpu::CortexA57, None, 0);
}

/// The same where the range flushes execute `tlbi ripas2e1is`.
#[test]
fn flushes_execute_at_el2_with_range_tlbi() {
    expect_exit("flushes_max", FLUSHES, Cpu::Max, None, 0);
}

/// The programs can tell they were not started at EL2 (without it, the
/// flushes would be UNDEFINED): the harness can fail.
#[test]
fn flushes_refuse_to_run_below_el2() {
    if !tools_present("flushes_below_el2") {
        return;
    }
    let run = run(&build(FLUSHES), false, Cpu::CortexA57, None);
    say(&format!("aarch64-qemu: flushes at EL1: exit {}", run.code));
    assert_eq!(run.code, i32::from(exit_code::NOT_AT_EL2));
}

/// Each suite's command-line word names it and no other.
#[test]
fn suites_round_trip_through_the_command_line() {
    let suites = Hook::ALL.map(Suite::Hook).into_iter().chain([
        Suite::PerVm,
        Suite::ControlNoVttbrRestore,
        Suite::ControlNoDaifRestore,
        Suite::Ranges,
    ]);
    for suite in suites {
        let command_line = format!("/path/to/stage2 {}", suite.argument());
        assert_eq!(Suite::parse(&command_line), Some(suite));
    }
    assert_eq!(Suite::parse("/path/to/stage2"), None);
    assert_eq!(Suite::parse("/path/to/stage2 hook=axvm2"), None);
}

// --- The page-table-generic stage-2 table and its flush hook ------------------

fn expect_hook(hook: Hook, stale: &[&str]) {
    let test = format!("stage2_hook_{}", hook.name());
    expect_report(
        &test,
        Cpu::CortexA57,
        Suite::Hook(hook),
        &outcomes(&HOOK_CASES, stale),
    );
}

/// The README's one line, `GuestPhysAddr::flush_tlb_from(vaddr)`, as the
/// table's hook: every change the table makes reads fresh.
#[test]
fn stage2_addr_types_hook_reads_fresh() {
    expect_hook(Hook::AddrTypes, &[]);
}

/// axvm's body in the tgoskits tree, `tlbi vae2is, <raw GPA>` / `tlbi alle2is`: EL2's own
/// regime, so nothing of the guest's is invalidated.
#[test]
fn stage2_axvm_hook_stays_stale() {
    expect_hook(Hook::Axvm, &HOOK_CASES);
}

/// axvm 0.8.x's body on crates.io, `tlbi alle1is`: every VMID's EL1&0
/// entries, stage 2 included. Fresh, as it must be; what it costs is every
/// other VM's TLB on every change, which no single-VM read can show.
#[test]
fn stage2_axvm_crate_hook_reads_fresh() {
    expect_hook(Hook::AxvmCrate, &[]);
}

#[test]
fn stage2_without_flush_stays_stale() {
    expect_hook(Hook::NoFlush, &HOOK_CASES);
}

/// The IPA unshifted: `vmalle1is` still drops mode A's combined entry, but
/// mode B's cached stage-2 translation of the table page survives.
#[test]
fn stage2_unshifted_ipa_stays_stale_in_mode_b() {
    expect_hook(Hook::Unshifted, &["B remap", "B unmap"]);
}

/// `vmalle1is` alone: no stage-2 invalidation, so mode B stays stale.
#[test]
fn stage2_vmalle1is_only_stays_stale_in_mode_b() {
    expect_hook(Hook::Vmalle1isOnly, &["B remap", "B unmap", "B all"]);
}

/// `ipas2e1is` alone: the combined stage 1+2 entries survive it.
#[test]
fn stage2_ipas2e1is_only_leaves_combined_entries() {
    expect_hook(
        Hook::Ipas2e1isOnly,
        &["A remap", "A unmap", "B remap", "B unmap"],
    );
}

// --- One VM at a time -----------------------------------------------------------

/// Each `VmContext` flush of the loaded VM turns its stale read fresh; VM 1's
/// page flushed while VM 2 is loaded reads fresh; every flush restores.
/// (QEMU drops every guest entry on a VMID change, so the second can only
/// read fresh here: the disassembly test checks the switch.)
#[test]
fn per_vm_flushes_read_fresh_and_restore() {
    let mut expected = outcomes(&PER_VM_CASES, &[]);
    expected.push(line(RESTORED, RESTORED_VALUE));
    expect_report("per_vm", Cpu::CortexA57, Suite::PerVm, &expected);
}

/// The restore check fails on a flush that leaves VTTBR_EL2 switched.
#[test]
fn per_vm_restore_check_catches_a_switched_vttbr() {
    expect_exit(
        "per_vm_control_vttbr",
        STAGE2,
        Cpu::CortexA57,
        Some(Suite::ControlNoVttbrRestore),
        exit_code::VTTBR_NOT_RESTORED,
    );
}

/// The restore check fails on a flush that leaves IRQ and FIQ masked.
#[test]
fn per_vm_restore_check_catches_masked_interrupts() {
    expect_exit(
        "per_vm_control_daif",
        STAGE2,
        Cpu::CortexA57,
        Some(Suite::ControlNoDaifRestore),
        exit_code::DAIF_NOT_RESTORED,
    );
}

// --- Ranges ---------------------------------------------------------------------

fn expect_ranges(test: &str, cpu: Cpu, range_tlbi: &str) {
    let mut expected = vec![line(RANGE_TLBI, range_tlbi)];
    expected.extend(outcomes(
        &RANGE_CASES,
        &["gpa one page short", "gva one page short"],
    ));
    expect_report(test, cpu, Suite::Ranges, &expected);
}

/// `-cpu max` has FEAT_TLBIRANGE: the range flush takes the range-TLBI path
/// (two pages are one `ripas2e1is`, which alone must make them fresh, since
/// `vmalle1is` does not reach mode B's cached stage-2 entries) and reads
/// fresh; a range one page short leaves that page stale.
#[test]
fn range_flushes_use_range_tlbi_on_max() {
    expect_ranges("ranges_max", Cpu::Max, USED);
}

/// cortex-a57 has no FEAT_TLBIRANGE: page by page, then the whole VMID; a
/// `ripas2e1is` there would end the run with an EL2 exception.
#[test]
fn range_flushes_go_page_by_page_on_cortex_a57() {
    expect_ranges("ranges_cortex_a57", Cpu::CortexA57, NOT_AVAILABLE);
}

// --- Encodings, read back from the built programs -----------------------------

/// The TLBI operations the flushes and the controls use, as
/// `SYS #op1, C8, Cm, #op2, Xt` (Arm ARM, "TLB maintenance instructions"):
/// name, op1, CRm, op2.
const TLBI: [(&str, u32, u32, u32); 8] = [
    ("ipas2e1is", 4, 0, 1),
    ("ripas2e1is", 4, 0, 2),
    ("vmalls12e1is", 4, 3, 6),
    ("vmalle1is", 0, 3, 0),
    ("vaae1is", 0, 3, 3),
    ("vmalle1", 0, 7, 0),
    ("vae2is", 4, 3, 1),
    ("alle2is", 4, 3, 0),
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

/// Every TLBI of `body` is the word [`tlbi_encoding`] computes.
fn check_tlbi_words(function: &str, body: &[Instruction]) {
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
}

fn disassemble(elf: &Path) -> HashMap<String, Vec<Instruction>> {
    parse_listing(
        &output(Command::new(OBJDUMP).arg("--disassemble").arg(elf)),
        "//",
    )
}

/// `mnemonic op,op,...`, with a branch target `<function+0x1c>` written
/// `@n`: the index of its instruction counted from `start`.
fn normalized(insn: &Instruction, start: usize) -> String {
    let operands: Vec<String> = insn
        .operands
        .iter()
        .map(|operand| {
            // A target inside the function: `<function+0x1c>`.
            let offset = operand
                .split_once(" <")
                .and_then(|(_, target)| target.trim_end_matches('>').split_once("+0x"))
                .map(|(_, hex)| usize::from_str_radix(hex, 16).expect("hex"));
            match offset {
                Some(offset) => format!("@{}", (offset / 4).wrapping_sub(start)),
                None => operand.clone(),
            }
        })
        .collect();
    if operands.is_empty() {
        insn.mnemonic.clone()
    } else {
        format!("{} {}", insn.mnemonic, operands.join(","))
    }
}

/// Whether `actual` is `pattern` with each placeholder (`X` and a lowercase
/// letter) standing for a register, the same one wherever it appears
/// (`bound` holds what each stands for so far).
fn match_line(pattern: &str, actual: &str, bound: &mut HashMap<char, String>) -> bool {
    let (mut p, mut a) = (pattern.chars().peekable(), actual);
    while let Some(c) = p.next() {
        if c == 'X' && p.peek().is_some_and(char::is_ascii_lowercase) {
            let name = p.next().expect("peeked");
            let end = a
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(a.len());
            let (register, rest) = a.split_at(end);
            let is_register = register
                .strip_prefix('x')
                .is_some_and(|n| n.parse::<u8>().is_ok_and(|n| n < 31));
            if !is_register || bound.entry(name).or_insert_with(|| register.to_owned()) != register
            {
                return false;
            }
            a = rest;
        } else {
            let Some(rest) = a.strip_prefix(c) else {
                return false;
            };
            a = rest;
        }
    }
    a.is_empty()
}

/// Whether the instructions of `body` from `start` on begin with
/// `pattern`.
fn matches_at(body: &[Instruction], start: usize, pattern: &[&str]) -> bool {
    matches_with(body, start, pattern, HashMap::new())
}

/// [`matches_at`], with some placeholders bound beforehand.
fn matches_with(
    body: &[Instruction],
    start: usize,
    pattern: &[&str],
    mut bound: HashMap<char, String>,
) -> bool {
    body.len() >= start + pattern.len()
        && pattern
            .iter()
            .enumerate()
            .all(|(i, line)| match_line(line, &normalized(&body[start + i], start), &mut bound))
}

/// The switch to a VM and back, around `sequence`: IRQ and FIQ masked,
/// VTTBR_EL2 saved and replaced, `isb`; then the saved VTTBR_EL2 back,
/// `isb`, DAIF back.
fn switched(sequence: &[&'static str]) -> Vec<&'static str> {
    let mut lines = vec![
        "mrs Xd,daif",
        "msr daifset,#0x3",
        "mrs Xs,vttbr_el2",
        "msr vttbr_el2,Xv",
        "isb",
    ];
    lines.extend_from_slice(sequence);
    lines.extend(["msr vttbr_el2,Xs", "isb", "msr daif,Xd"]);
    lines
}

const GPA_ONE: &[&str] = &[
    "dsb ishst",
    "tlbi ipas2e1is,Xo",
    "dsb ish",
    "tlbi vmalle1is",
    "dsb ish",
    "isb",
];
const GPA_ALL: &[&str] = &["dsb ishst", "tlbi vmalls12e1is", "dsb ish", "isb"];
const GVA_ONE: &[&str] = &["dsb ishst", "tlbi vaae1is,Xo", "dsb ish", "isb"];
const GVA_ALL: &[&str] = &["dsb ishst", "tlbi vmalle1is", "dsb ish", "isb"];
/// The range TLBIs (`Xr` of them, read from `Xp`), then `Xn` single pages
/// from page number `Xq`; the `@n` count from the block's first line.
const GPA_RANGE: &[&str] = &[
    "dsb ishst",
    "cbz Xr,@11",
    "ldr Xo,[Xp],#8",
    "tlbi ripas2e1is,Xo",
    "subs Xr,Xr,#0x1",
    "b.ne @7",
    "cbz Xn,@16",
    "tlbi ipas2e1is,Xq",
    "add Xq,Xq,#0x1",
    "subs Xn,Xn,#0x1",
    "b.ne @12",
    "dsb ish",
    "tlbi vmalle1is",
    "dsb ish",
    "isb",
];
/// `Xn` pages from VA `Xa`, each operand VA\[55:12\].
const GVA_PAGES: &[&str] = &[
    "dsb ishst",
    "ubfx Xo,Xa,#12,#44",
    "tlbi vaae1is,Xo",
    "add Xa,Xa,#0x1,lsl #12",
    "subs Xn,Xn,#0x1",
    "b.ne @6",
    "dsb ish",
    "isb",
];

const HOST_ONE: &[&str] = &["dsb ishst", "tlbi vaae1is,Xo", "dsb sy", "isb"];
const HOST_ALL: &[&str] = &["dsb ishst", "tlbi vmalle1", "dsb sy", "isb"];

/// A whole context-free flush function: the operand (if any) from the
/// address in x0, the sequence, `ret`.
fn plain(operand: Option<&'static str>, sequence: &[&'static str]) -> Vec<&'static str> {
    let mut lines: Vec<&str> = operand.into_iter().collect();
    lines.extend_from_slice(sequence);
    lines.push("ret");
    lines
}

fn function<'a>(functions: &'a HashMap<String, Vec<Instruction>>, name: &str) -> &'a [Instruction] {
    functions
        .get(name)
        .unwrap_or_else(|| panic!("`{name}` is in the disassembly"))
}

fn listing(body: &[Instruction]) -> String {
    body.iter()
        .map(|insn| normalized(insn, 0))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Checks that `body` is exactly `expected` (with `bound` placeholders
/// fixed beforehand), and its TLBI words; says what it saw.
fn check_whole(name: &str, body: &[Instruction], expected: &[&str], bound: HashMap<char, String>) {
    assert!(
        body.len() == expected.len() && matches_with(body, 0, expected, bound),
        "`{name}`: {}",
        listing(body)
    );
    check_tlbi_words(name, body);
    say(&format!("aarch64-qemu: {name}: {}", listing(body)));
}

/// The matcher can fail: a placeholder stands for one register throughout,
/// a register only, and text outside placeholders must be equal.
#[test]
fn the_listing_matcher_rejects_what_differs() {
    let mut bound = HashMap::new();
    assert!(match_line(
        "msr vttbr_el2,Xv",
        "msr vttbr_el2,x8",
        &mut bound
    ));
    assert!(match_line("ldr Xo,[Xv],#8", "ldr x12,[x8],#8", &mut bound));
    assert!(!match_line(
        "msr vttbr_el2,Xv",
        "msr vttbr_el2,x9",
        &mut bound
    ));
    let mut fresh = HashMap::new();
    assert!(!match_line(
        "tlbi ipas2e1is,Xo",
        "tlbi ipas2e1is,xzr",
        &mut fresh
    ));
    assert!(!match_line(
        "tlbi ipas2e1is,Xo",
        "tlbi ipas2e1is,#0x1",
        &mut fresh
    ));
    assert!(!match_line("dsb ish", "dsb ishst", &mut fresh));
    assert!(!match_line("dsb ishst", "dsb ish", &mut fresh));
}

#[test]
fn context_free_flush_encodings() {
    if !tools_present("flush_encodings") {
        return;
    }
    let functions = disassemble(&build(FLUSHES));
    let context_free: [(&str, Vec<&str>); 6] = [
        ("flush_gpa_one", plain(Some("lsr Xo,x0,#12"), GPA_ONE)),
        ("flush_gpa_all", plain(None, GPA_ALL)),
        ("flush_gva_one", plain(Some("ubfx Xo,x0,#12,#44"), GVA_ONE)),
        ("flush_gva_all", plain(None, GVA_ALL)),
        (
            "flush_host_one",
            plain(Some("ubfx Xo,x0,#12,#44"), HOST_ONE),
        ),
        ("flush_host_all", plain(None, HOST_ALL)),
    ];
    for (name, expected) in context_free {
        check_whole(name, function(&functions, name), &expected, HashMap::new());
    }
}

/// A whole per-VM function: the operand (if any) from the address in x1,
/// then the switched sequence, which loads the context (in x0, the VTTBR_EL2
/// value itself) into VTTBR_EL2.
fn whole(operand: Option<&'static str>, sequence: &[&'static str]) -> Vec<&'static str> {
    let mut lines = Vec::new();
    lines.extend(operand);
    lines.extend(switched(sequence));
    lines.push("ret");
    lines
}

/// Each per-VM flush, exactly: the single-address and "all" ones whole;
/// the range ones as their switched blocks (each exactly one of the
/// expected ones, every expected one once) with no TLB maintenance,
/// barrier or system-register write outside them (the planning code
/// around them reads ID_AA64ISAR0_EL1 and VTCR_EL2 only).
#[test]
fn per_vm_flush_encodings() {
    if !tools_present("per_vm_flush_encodings") {
        return;
    }
    let functions = disassemble(&build(FLUSHES));
    let exact: [(&str, Vec<&str>); 4] = [
        ("vm_flush_gpa_one", whole(Some("lsr Xo,x1,#12"), GPA_ONE)),
        ("vm_flush_gpa_all", whole(None, GPA_ALL)),
        (
            "vm_flush_gva_one",
            whole(Some("ubfx Xo,x1,#12,#44"), GVA_ONE),
        ),
        ("vm_flush_gva_all", whole(None, GVA_ALL)),
    ];
    for (name, expected) in exact {
        let context = HashMap::from([('v', "x0".to_owned())]);
        check_whole(name, function(&functions, name), &expected, context);
    }
    let blocks: [(&str, [Vec<&str>; 2]); 2] = [
        (
            "vm_flush_gpa_range",
            [switched(GPA_RANGE), switched(GPA_ALL)],
        ),
        (
            "vm_flush_gva_range",
            [switched(GVA_PAGES), switched(GVA_ALL)],
        ),
    ];
    for (name, expected) in blocks {
        let body = function(&functions, name);
        let mut found = vec![0; expected.len()];
        let mut i = 0;
        while i < body.len() {
            if body[i].mnemonic == "mrs" && body[i].operands.get(1).is_some_and(|r| r == "daif") {
                let block = expected
                    .iter()
                    .position(|block| matches_at(body, i, block))
                    .unwrap_or_else(|| {
                        panic!(
                            "`{name}`: a switch at {i} of no expected form: {}",
                            listing(body)
                        )
                    });
                found[block] += 1;
                i += expected[block].len();
                continue;
            }
            let insn = &body[i];
            let writes_state = matches!(
                insn.mnemonic.as_str(),
                "tlbi" | "dsb" | "isb" | "msr" | "sys"
            ) || insn
                .operands
                .iter()
                .any(|operand| operand.contains("vttbr"));
            assert!(!writes_state, "`{name}`: {} outside a switch", insn.line());
            i += 1;
        }
        assert_eq!(found, [1, 1], "`{name}`: {}", listing(body));
        check_tlbi_words(name, body);
        say(&format!("aarch64-qemu: {name}: {}", listing(body)));
    }
}

/// The control that stands for axvm's mistake really executes its body:
/// `tlbi vae2is` with the raw address (the hook's argument register, not
/// shifted) and `tlbi alle2is`, each followed by `dsb sy; isb`.
#[test]
fn axvm_control_executes_vae2is_with_the_raw_address() {
    if !tools_present("axvm_control_encoding") {
        return;
    }
    let functions = disassemble(&build(STAGE2));
    let (_, body) = functions
        .iter()
        .find(|(name, _)| name.contains("AxvmFlush") && name.contains("FlushHook"))
        .expect("the axvm hook is a function of its own");
    // `Option<VirtAddr>` arrives as (discriminant, address) in (x0, x1).
    let expected = [
        "cmp x0,#0x1",
        "b.ne @6",
        "tlbi vae2is,x1",
        "dsb sy",
        "isb",
        "ret",
        "tlbi alle2is",
        "dsb sy",
        "isb",
        "ret",
    ];
    check_whole("axvm's hook", body, &expected, HashMap::new());
}
