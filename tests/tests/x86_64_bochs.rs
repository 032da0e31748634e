//! The x86_64 run-time proof (addr_types::arch::x86_64): boots
//! `tests/x86_64`'s `vmexits` image on Bochs, whose CPU model has VMX. The
//! flushes run in VMX non-root operation; every INVEPT, INVVPID, INVLPG and
//! MOV to CR3 VM-exits to the image's harness, which checks the instruction,
//! its type and its 16-byte descriptor against what each flush must execute
//! and prints `RESULT: PASS` or `RESULT: FAIL` on Bochs' port 0xE9.
//!
//! Bochs cannot show EPT staleness through memory (it flushes its TLB on
//! every VM entry and exit), so this checks the instruction instead, as the
//! RISC-V proof checks the trapped `hfence.gvma`. Each negative control
//! swaps one piece of the code under test and must fail exactly its cases:
//! upstream's INVLPG for guest physical addresses, the tgoskits tree's axvm EPT hook on
//! a page-table-generic EPT, per-VM flushes that drop a VMfail the harness
//! injects.
//!
//! Needs `bochs` (Debian `bochs`, with `bochsbios` and `vgabios`), the host's
//! `objcopy` (Debian `binutils`) and the rustup target; without them each
//! test prints `SKIP:` and passes, unless `ADDR_TYPES_REQUIRE_QEMU=1`.

mod support {
    pub mod bare_metal;
}

use std::fs::{self, File};
use std::path::Path;
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use support::bare_metal::{build, output, run_emulator, say, Program, Requirements};

const TARGET: &str = "x86_64-unknown-none";
const BOCHS: &str = "bochs";
const OBJCOPY: &str = "objcopy";
const BIOS: &str = "/usr/share/bochs/BIOS-bochs-latest";
const VGA_BIOS: &str = "/usr/share/vgabios/vgabios.bin";

const REQUIREMENTS: Requirements = Requirements {
    proof: "x86_64 Bochs",
    tools: &[(BOCHS, "bochs"), (OBJCOPY, "binutils")],
    files: &[(BIOS, "bochsbios"), (VGA_BIOS, "vgabios")],
    targets: &[TARGET],
    workspace: "x86_64",
};

fn tools_present(test: &str) -> bool {
    static CHECKED: OnceLock<Result<(), Vec<String>>> = OnceLock::new();
    REQUIREMENTS.present(CHECKED.get_or_init(|| REQUIREMENTS.check()), test)
}

const fn vmexits(feature: Option<&'static str>) -> Program {
    Program {
        workspace: "x86_64",
        bin: "vmexits",
        target: TARGET,
        feature,
    }
}

/// The disk's geometry in `bochsrc`: 2 cylinders × 16 heads × 63 sectors.
const DISK_SECTORS: usize = 2 * 16 * 63;
/// What the boot sector loads after itself: 128 sectors.
const LOADED_SECTORS: usize = 128;

/// Boots `program` on Bochs and returns what it printed on port 0xE9.
fn boot(program: Program) -> String {
    // Bochs' display (RFB, no client) listens on a fixed port: one at a time.
    static BOCHS_LOCK: Mutex<()> = Mutex::new(());
    let elf = build(program);
    let dir = elf.with_extension("bochs");
    fs::create_dir_all(&dir).expect("create the Bochs directory");
    let image = dir.join("image.bin");
    output(
        Command::new(OBJCOPY)
            .args(["-O", "binary"])
            .arg(&elf)
            .arg(&image),
    );
    let mut disk = fs::read(&image).expect("read the image");
    assert!(
        disk.len() <= (1 + LOADED_SECTORS) * 512,
        "the image outgrew what the boot sector loads: {} bytes",
        disk.len()
    );
    disk.resize(DISK_SECTORS * 512, 0);
    let disk_path = dir.join("disk.img");
    fs::write(&disk_path, disk).expect("write the disk image");
    let config = dir.join("bochsrc");
    fs::write(&config, bochsrc(&disk_path, &dir.join("bochs.log"))).expect("write bochsrc");
    // Bochs' debugger is compiled in: `c` lets the simulation run.
    let commands = dir.join("commands");
    fs::write(&commands, "c\n").expect("write the debugger commands");
    let stdout = dir.join("stdout.txt");

    let _one_at_a_time = BOCHS_LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut command = Command::new(BOCHS);
    command
        .arg("-q")
        .arg("-f")
        .arg(&config)
        .arg("-rc")
        .arg(&commands)
        .current_dir(&dir)
        .stdout(File::create(&stdout).expect("create the output file"))
        .stderr(File::create(dir.join("stderr.txt")).expect("create the error file"));
    // The image ends through Bochs' shutdown port, which Bochs reports as a
    // PANIC with status 1: the printed result is what counts.
    let status = run_emulator(command);
    let printed = fs::read_to_string(&stdout).expect("read Bochs' output");
    assert!(
        printed.contains("RESULT:"),
        "no result from {} (Bochs exit {status}); see {}",
        program.name(),
        dir.display()
    );
    printed
}

fn bochsrc(disk: &Path, log: &Path) -> String {
    format!(
        "megs: 32
romimage: file={BIOS}
vgaromimage: file={VGA_BIOS}
cpu: model=corei7_haswell_4770, count=1, ips=50000000, reset_on_triple_fault=0
ata0-master: type=disk, path=\"{}\", mode=flat, cylinders=2, heads=16, spt=63
boot: disk
display_library: rfb, options=\"timeout=0\"
speaker: enabled=0
sound: driver=dummy
port_e9_hack: enabled=1
log: {}
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
",
        disk.display(),
        log.display()
    )
}

/// The harness's verdict on each case: (case, its line), and the result
/// line.
struct Verdicts<'a> {
    cases: Vec<(&'a str, &'a str)>,
    result: Option<&'a str>,
}

impl<'a> Verdicts<'a> {
    fn read(printed: &'a str, run: &str) -> Self {
        let mut cases = Vec::new();
        let mut result = None;
        for line in printed.lines() {
            if line.starts_with("RESULT: ") {
                result = Some(line);
            } else if line.ends_with(": ok") || line.ends_with(": WRONG") {
                let (case, _) = line.split_once(": ").expect("a case name");
                cases.push((case, line));
            } else {
                continue;
            }
            say(&format!("x86_64-bochs{run}: {line}"));
        }
        Self { cases, result }
    }

    /// The cases the harness found wrong, in order.
    fn wrong(&self) -> Vec<&'a str> {
        self.cases
            .iter()
            .filter(|(_, line)| line.ends_with(": WRONG"))
            .map(|(case, _)| *case)
            .collect()
    }

    /// The line of `case`.
    fn line(&self, case: &str) -> &'a str {
        self.cases
            .iter()
            .find(|(name, _)| *name == case)
            .unwrap_or_else(|| panic!("no line for `{case}`"))
            .1
    }
}

/// How many cases the harness runs (tests/x86_64/src/vmexits/cases.rs).
const CASES: usize = 34;

#[test]
fn every_flush_executes_its_instruction_in_vmx_non_root_operation() {
    if !tools_present("x86_64_bochs") {
        return;
    }
    let printed = boot(vmexits(None));
    let verdicts = Verdicts::read(&printed, "");
    assert_eq!(verdicts.result, Some("RESULT: PASS"), "{printed}");
    assert_eq!(verdicts.cases.len(), CASES, "one line per case: {printed}");
    assert_eq!(verdicts.wrong(), Vec::<&str>::new(), "{printed}");
    // The harness compares each exit with the case's expectation; these
    // lines show that what it compared is what the issue asks for.
    for line in [
        "GuestPhysAddr::flush_tlb(Some): INVEPT type 2 descriptor [0x0, 0x0]: ok",
        "EPT map of a 4 KiB page: INVEPT type 2 descriptor [0x0, 0x0] with the EPT mapping 0x80001000 to 0x601000: ok",
        "EPT remap_page: INVEPT type 2 descriptor [0x0, 0x0] with the EPT mapping 0x80001000 to 0x602000: ok",
        "EPT unmap: INVEPT type 2 descriptor [0x0, 0x0] with 0x80001000 unmapped in the EPT: ok",
        "EPT map without flush, then VmContext::flush_guest_physical_range: INVEPT type 1 descriptor [0x100001e, 0x0] with the EPT mapping 0xa0003000 to 0x3003000, returned Ok: ok",
        "VmContext::flush_guest_physical: INVEPT type 1 descriptor [0x100001e, 0x0], returned Ok: ok",
        "VmContext::flush_guest_virtual: INVVPID type 0 descriptor [0x102, 0xffff800000403000], returned Ok: ok",
        "VmContext::flush_guest_virtual_range of 512 pages: INVVPID type 0 descriptor [0x102, 0xffff800000403000]; INVVPID type 0 descriptor [0x102, 0xffff800000404000]; INVVPID type 0 descriptor [0x102, 0xffff800000405000]; INVVPID type 0 descriptor [0x102, 0xffff800000406000]; …; INVVPID type 0 descriptor [0x102, 0xffff800000602000] (512 exits), returned Ok: ok",
        "VmContext::flush_guest_virtual_range of 513 pages: INVVPID type 1 descriptor [0x102, 0x0], returned Ok: ok",
        "VmContext::flush_guest_virtual_range, reversed: nothing, returned Ok: ok",
        "VmContext::flush_guest_virtual_all: INVVPID type 1 descriptor [0x102, 0x0], returned Ok: ok",
        "VMfailValid at page 2 of 3 of flush_guest_virtual_range: INVVPID type 0 descriptor [0x102, 0xffff800000403000]; INVVPID type 0 descriptor [0x102, 0xffff800000404000], returned Err(VmFail::Valid): ok",
    ] {
        let (case, _) = line.split_once(": ").expect("a case name");
        assert_eq!(verdicts.line(case), line, "{printed}");
    }
}

/// Boots the image with the control `feature` and requires the harness to
/// fail exactly `wrong`'s cases, each line holding the given fragments (what
/// was executed or returned instead).
fn control_fails_exactly(feature: &'static str, wrong: &[(&str, &[&str])]) {
    if !tools_present(&format!("x86_64_bochs_{feature}")) {
        return;
    }
    let printed = boot(vmexits(Some(feature)));
    let verdicts = Verdicts::read(&printed, &format!(" ({feature})"));
    let cases: Vec<&str> = wrong.iter().map(|(case, _)| *case).collect();
    assert_eq!(verdicts.wrong(), cases, "{printed}");
    for (case, fragments) in wrong {
        let line = verdicts.line(case);
        for fragment in *fragments {
            assert!(line.contains(fragment), "`{fragment}` in: {line}");
        }
    }
    let result = format!("RESULT: FAIL ({} wrong)", wrong.len());
    assert_eq!(verdicts.result, Some(result.as_str()), "{printed}");
}

/// Upstream axaddrspace's x86_64 flush of guest physical addresses
/// (`x86::tlb::flush`, an INVLPG; `flush_all`, a CR3 reload): the harness
/// sees those instructions where an INVEPT must be, and fails.
#[test]
fn control_with_upstream_invlpg_is_rejected() {
    const ALL_EPT: &str = "(expected INVEPT type 2 descriptor [0x0, 0x0])";
    control_fails_exactly(
        "control-invlpg",
        &[
            (
                "GuestPhysAddr::flush_tlb(Some)",
                &["(Some): INVLPG 0x80203000 ", ALL_EPT],
            ),
            (
                "GuestPhysAddr::flush_tlb(None)",
                &["(None): MOV to CR3 ", ALL_EPT],
            ),
        ],
    );
}

/// the tgoskits tree's axvm EPT hook (`flush_nested_page_table`: INVLPG of the GPA, a CR3
/// reload for all) on the same page-table-generic EPT: the harness sees
/// them where an INVEPT must be, at every change, and fails.
#[test]
fn control_with_axvm_ept_hook_is_rejected() {
    const ALL_EPT: &str = "(expected INVEPT type 2 descriptor [0x0, 0x0])";
    control_fails_exactly(
        "control-axvm-ept-flush",
        &[
            (
                "EPT map of a 4 KiB page",
                &["page: INVLPG 0x80001000 with ", ALL_EPT],
            ),
            (
                "EPT map of a 2 MiB block",
                &["block: INVLPG 0x40200000 with ", ALL_EPT],
            ),
            (
                "EPT remap_page",
                &["remap_page: INVLPG 0x80001000 with ", ALL_EPT],
            ),
            ("EPT unmap", &["unmap: INVLPG 0x80001000 with ", ALL_EPT]),
            (
                "EPT map_region of 64 pages (one flush of all)",
                &["all): MOV to CR3 with ", ALL_EPT],
            ),
        ],
    );
}

/// Per-VM flushes behind a wrapper that drops the VMfail (and walks a range
/// page by page regardless): the harness injects a VMfail and fails when
/// the code reports `Ok`.
#[test]
fn control_that_ignores_vmfail_is_rejected() {
    const OK: &str = ", returned Ok (expected ";
    control_fails_exactly(
        "control-ignore-vmfail",
        &[
            ("VMfailValid from flush_guest_physical", &[OK]),
            ("VMfailInvalid from flush_guest_physical_range", &[OK]),
            ("VMfailValid from flush_guest_virtual", &[OK]),
            ("VMfailInvalid from flush_guest_virtual_all", &[OK]),
            (
                "VMfailValid at page 2 of 3 of flush_guest_virtual_range",
                // It went on past the page that failed.
                &["[0x102, 0xffff800000405000], returned Ok (expected "],
            ),
        ],
    );
}
