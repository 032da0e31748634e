//! The x86_64 run-time proof (addr_types::arch::x86_64): boots
//! `tests/x86_64`'s `vmexits` image on Bochs, whose CPU model has VMX. The
//! flushes run in VMX non-root operation; every INVEPT, INVVPID, INVLPG and
//! MOV to CR3 VM-exits to the image's harness, which checks the instruction,
//! its type and its 16-byte descriptor against what each flush must execute
//! and prints `RESULT: PASS` or `RESULT: FAIL` on Bochs' port 0xE9.
//!
//! Bochs cannot show EPT staleness through memory (it flushes its TLB on
//! every VM entry and exit), so this checks the instruction instead, as the
//! RISC-V proof checks the trapped `hfence.gvma`. The negative control swaps
//! in upstream's INVLPG for guest physical addresses and must fail.
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

/// The harness's lines: what each flush executed, and the result.
fn harness_lines(printed: &str) -> Vec<&str> {
    printed
        .lines()
        .filter(|line| {
            line.contains(": ")
                && (line.ends_with(": ok")
                    || line.ends_with(": WRONG")
                    || line.starts_with("RESULT"))
        })
        .collect()
}

#[test]
fn every_flush_executes_its_instruction_in_vmx_non_root_operation() {
    if !tools_present("x86_64_bochs") {
        return;
    }
    let printed = boot(vmexits(None));
    let lines = harness_lines(&printed);
    for line in &lines {
        say(&format!("x86_64-bochs: {line}"));
    }
    assert_eq!(lines.last(), Some(&"RESULT: PASS"), "{printed}");
    assert_eq!(
        lines.iter().filter(|line| line.ends_with(": ok")).count(),
        11,
        "one line per flush: {printed}"
    );
}

/// Upstream axaddrspace's x86_64 flush of guest physical addresses
/// (`x86::tlb::flush`, an INVLPG; `flush_all`, a CR3 reload): the harness
/// sees those instructions where an INVEPT must be, and fails.
#[test]
fn control_with_upstream_invlpg_is_rejected() {
    if !tools_present("x86_64_bochs_control_invlpg") {
        return;
    }
    let printed = boot(vmexits(Some("control-invlpg")));
    let lines = harness_lines(&printed);
    for line in &lines {
        say(&format!("x86_64-bochs (control-invlpg): {line}"));
    }
    assert!(
        lines.iter().any(|line| line
            .starts_with("GuestPhysAddr::flush_tlb(Some): INVLPG 0x80203000 ")
            && line.ends_with(": WRONG")),
        "{printed}"
    );
    assert!(
        lines.iter().any(
            |line| line.starts_with("GuestPhysAddr::flush_tlb(None): MOV to CR3 ")
                && line.ends_with(": WRONG")
        ),
        "{printed}"
    );
    assert_eq!(lines.last(), Some(&"RESULT: FAIL (2 wrong)"), "{printed}");
}
