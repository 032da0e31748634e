//! The x86_64 proof (addr_types::arch::x86_64): builds `tests/x86_64`'s
//! program for `x86_64-unknown-none` and reads every VMX invalidation back
//! from its disassembly: the opcode bytes (INVEPT = 66 0F 38 80, INVVPID =
//! 66 0F 38 81, Intel SDM), the type in the register operand, and the
//! 16-byte descriptor the code stores before it, byte by byte, traced back
//! to the arguments, to zeros, or to the fields of a `VmContext`.
//!
//! Nothing here executes VMX code: no emulator at hand both runs it and
//! shows EPT staleness (QEMU TCG has no VMX; Bochs flushes on every VM entry
//! and exit). Needs the host's `objdump` (Debian `binutils`) and the rustup
//! target; without them each test prints `SKIP:` and passes, unless
//! `ADDR_TYPES_REQUIRE_QEMU=1`.

mod support {
    pub mod bare_metal;
}

use std::collections::HashMap;
use std::process::Command;
use std::sync::OnceLock;

use support::bare_metal::{build, output, parse_listing, say, Instruction, Program, Requirements};

const TARGET: &str = "x86_64-unknown-none";
const OBJDUMP: &str = "objdump";

const REQUIREMENTS: Requirements = Requirements {
    proof: "x86_64 encoding",
    tools: &[(OBJDUMP, "binutils")],
    files: &[],
    targets: &[TARGET],
    workspace: "x86_64",
};

fn tools_present(test: &str) -> bool {
    static CHECKED: OnceLock<Result<(), Vec<String>>> = OnceLock::new();
    REQUIREMENTS.present(CHECKED.get_or_init(|| REQUIREMENTS.check()), test)
}

const VMX: Program = Program {
    workspace: "x86_64",
    bin: "vmx",
    target: TARGET,
    feature: None,
};

fn disassemble() -> HashMap<String, Vec<Instruction>> {
    let elf = build(VMX);
    parse_listing(
        &output(
            Command::new(OBJDUMP)
                .args(["--disassemble", "-M", "intel"])
                .arg(elf),
        ),
        "#",
    )
}

/// The 64-bit register a register name is part of (`ecx`, `cx`, `cl` →
/// `rcx`; `r8d` → `r8`).
fn family(reg: &str) -> String {
    let legacy = [
        ("rax", ["eax", "ax", "al"]),
        ("rbx", ["ebx", "bx", "bl"]),
        ("rcx", ["ecx", "cx", "cl"]),
        ("rdx", ["edx", "dx", "dl"]),
        ("rsi", ["esi", "si", "sil"]),
        ("rdi", ["edi", "di", "dil"]),
    ];
    for (full, parts) in legacy {
        if reg == full || parts.contains(&reg) {
            return full.to_owned();
        }
    }
    reg.trim_end_matches(['d', 'w', 'b']).to_owned()
}

/// What one byte of a register or of a descriptor holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Byte {
    Zero,
    /// Byte `n` of the function's argument register.
    Arg(&'static str, usize),
    /// Byte `n` of the `VmContext` the first argument points to.
    Context(usize),
}

/// A `SIZE PTR [base+off]` memory operand: (size in bytes, base, offset).
fn memory_operand(operand: &str) -> Option<(usize, String, usize)> {
    let (size, rest) = operand.split_once(" PTR [")?;
    let size = match size {
        "BYTE" => 1,
        "WORD" => 2,
        "DWORD" => 4,
        "QWORD" => 8,
        "OWORD" | "XMMWORD" => 16,
        _ => return None,
    };
    let inside = rest.strip_suffix(']')?;
    let (base, offset) = match inside.split_once('+') {
        Some((base, offset)) => (
            base,
            usize::from_str_radix(offset.trim_start_matches("0x"), 16).ok()?,
        ),
        None => (inside, 0),
    };
    Some((size, base.to_owned(), offset))
}

/// A store to `SIZE PTR [base+offset]`, with what it stores if known.
struct Store {
    base: String,
    offset: usize,
    size: usize,
    bytes: Option<Vec<Byte>>,
}

/// The registers' contents, byte by byte, as far as the instructions before
/// an invalidation tell them: the argument registers at entry, zeros,
/// copies, and loads from the context the first argument points to. A
/// register written any other way is forgotten.
#[derive(Default)]
struct Registers(HashMap<String, [Byte; 8]>);

impl Registers {
    fn at_entry() -> Self {
        let mut regs = Self::default();
        for arg in ["rdi", "rsi"] {
            regs.0
                .insert(arg.to_owned(), std::array::from_fn(|i| Byte::Arg(arg, i)));
        }
        regs
    }

    fn get(&self, reg: &str) -> Option<[Byte; 8]> {
        self.0.get(&family(reg)).copied()
    }

    /// Steps over `insn`; `None` unless it is a store, else the store:
    /// (base, offset, size, the bytes stored if known).
    fn step(&mut self, insn: &Instruction) -> Option<Store> {
        let [dst, src] = &insn.operands[..] else {
            if let Some(dst) = insn.operands.first() {
                self.0.remove(&family(dst));
            }
            return None;
        };
        let mnemonic = insn.mnemonic.as_str();
        if let Some((size, base, offset)) = memory_operand(dst) {
            let bytes = match (mnemonic, src.as_str()) {
                ("mov", "0x0") => Some(vec![Byte::Zero; size]),
                ("mov", _) => self.get(src).map(|reg| reg[..size].to_vec()),
                _ => None,
            };
            return Some(Store {
                base,
                offset,
                size,
                bytes,
            });
        }
        let value = match (mnemonic, memory_operand(src)) {
            ("xor", None) if dst == src => Some([Byte::Zero; 8]),
            ("mov", None) if src == "0x0" => Some([Byte::Zero; 8]),
            ("mov", None) => self.get(src),
            // A load from the context: 4- and 8-byte loads fill the
            // register (zero-extended), movzx zero-extends.
            ("mov" | "movzx", Some((size, base, offset)))
                if family(&base) == "rdi"
                    && self.get("rdi") == Some(std::array::from_fn(|i| Byte::Arg("rdi", i)))
                    && (mnemonic == "movzx" || size >= 4) =>
            {
                Some(std::array::from_fn(|i| {
                    if i < size {
                        Byte::Context(offset + i)
                    } else {
                        Byte::Zero
                    }
                }))
            }
            _ => None,
        };
        match value {
            Some(value) => self.0.insert(family(dst), value),
            None => self.0.remove(&family(dst)),
        };
        None
    }
}

/// The VMX invalidation `function` executes: mnemonic, type and the 16
/// descriptor bytes it stored, traced back through the instructions before.
fn check_vmx_function(
    functions: &HashMap<String, Vec<Instruction>>,
    function: &str,
    mnemonic: &str,
    ty: u64,
    descriptor: &[Byte; 16],
) -> String {
    let body = functions
        .get(function)
        .unwrap_or_else(|| panic!("`{function}` is in the disassembly"));
    let at: Vec<usize> = body
        .iter()
        .enumerate()
        .filter(|(_, insn)| ["invept", "invvpid", "invlpg"].contains(&insn.mnemonic.as_str()))
        .map(|(i, _)| i)
        .collect();
    let [at] = at[..] else {
        panic!("`{function}` executes exactly one invalidation: {body:#?}");
    };
    let insn = &body[at];
    assert_eq!(insn.mnemonic, mnemonic, "`{function}`: {}", insn.line());

    // Opcode: 66 [REX] 0F 38 80 (INVEPT) or 81 (INVVPID), a ModRM memory
    // operand.
    let bytes: Vec<u8> = insn
        .hex
        .split_whitespace()
        .map(|byte| u8::from_str_radix(byte, 16).expect("hex bytes"))
        .collect();
    let opcode = if mnemonic == "invept" { 0x80 } else { 0x81 };
    let skip_rex = usize::from(bytes.get(1).is_some_and(|b| b & 0xf0 == 0x40));
    assert_eq!(bytes[0], 0x66, "`{function}`: {}", insn.line());
    assert_eq!(
        bytes[1 + skip_rex..4 + skip_rex],
        [0x0f, 0x38, opcode],
        "`{function}`: {}",
        insn.line()
    );

    // The type register: 64-bit, and the value last written to it.
    let [ty_reg, desc] = &insn.operands[..] else {
        panic!("`{function}`: two operands: {}", insn.line());
    };
    assert!(
        ty_reg.starts_with('r'),
        "`{function}`: 64-bit type register"
    );
    let writes = |reg: &str, insn: &Instruction| {
        insn.operands
            .first()
            .is_some_and(|dst| family(dst) == family(reg))
    };
    let ty_writer = body[..at]
        .iter()
        .rev()
        .find(|insn| writes(ty_reg, insn))
        .unwrap_or_else(|| panic!("`{function}` sets the type: {body:#?}"));
    let seen_ty = match (ty_writer.mnemonic.as_str(), &ty_writer.operands[..]) {
        ("xor", [a, b]) if a == b => 0,
        ("mov", [_, imm]) => u64::from_str_radix(imm.trim_start_matches("0x"), 16)
            .unwrap_or_else(|_| panic!("`{function}`: type from {}", ty_writer.line())),
        _ => panic!("`{function}`: type from {}", ty_writer.line()),
    };
    assert_eq!(seen_ty, ty, "`{function}`: the type");

    // The descriptor: the stores to [base .. base+16) before the
    // instruction, replayed in order.
    let (size, base, offset) = memory_operand(desc).expect("a memory operand");
    assert_eq!((size, offset), (16, 0), "`{function}`: {}", insn.line());
    let mut regs = Registers::at_entry();
    let mut stored: [Option<Byte>; 16] = Default::default();
    for insn in &body[..at] {
        let Some(store) = regs.step(insn) else {
            continue;
        };
        if store.base != base || store.offset >= 16 {
            continue;
        }
        let bytes = store
            .bytes
            .filter(|_| store.offset + store.size <= 16)
            .unwrap_or_else(|| panic!("`{function}`: unexpected store {}", insn.line()));
        for (slot, byte) in stored[store.offset..].iter_mut().zip(bytes) {
            *slot = Some(byte);
        }
    }
    let stored: Vec<Byte> = stored
        .into_iter()
        .map(|byte| byte.unwrap_or_else(|| panic!("`{function}` stores all 16 bytes: {body:#?}")))
        .collect();
    assert_eq!(stored, descriptor, "`{function}`: the descriptor");
    format!("{function}: type {ty}, {}", insn.line())
}

/// 16 bytes of descriptor: `first` for bytes 0..8, `second` for 8..16.
fn descriptor(first: [Byte; 8], second: [Byte; 8]) -> [Byte; 16] {
    std::array::from_fn(|i| if i < 8 { first[i] } else { second[i - 8] })
}

fn zeros() -> [Byte; 8] {
    [Byte::Zero; 8]
}

fn arg(reg: &'static str) -> [Byte; 8] {
    std::array::from_fn(|i| Byte::Arg(reg, i))
}

/// The VPID (2 bytes of the first argument), then reserved zeros.
fn vpid() -> [Byte; 8] {
    std::array::from_fn(|i| {
        if i < 2 {
            Byte::Arg("rdi", i)
        } else {
            Byte::Zero
        }
    })
}

/// The EPTP of the `VmContext` (`#[repr(C)]`: bytes 0..8).
fn context_eptp() -> [Byte; 8] {
    std::array::from_fn(Byte::Context)
}

/// The VPID of the `VmContext` (bytes 8..10), then reserved zeros.
fn context_vpid() -> [Byte; 8] {
    std::array::from_fn(|i| {
        if i < 2 {
            Byte::Context(8 + i)
        } else {
            Byte::Zero
        }
    })
}

#[test]
fn invept_and_invvpid_encodings_types_and_descriptors() {
    if !tools_present("invept_and_invvpid_encodings") {
        return;
    }
    let functions = disassemble();
    let all = descriptor(zeros(), zeros());
    let checks = [
        // INVEPT: the EPTP in bits 63:0, 127:64 zero.
        (
            "invept_single",
            "invept",
            1,
            descriptor(arg("rdi"), zeros()),
        ),
        ("invept_all", "invept", 2, all),
        // INVVPID: the VPID in bits 15:0, 63:16 zero, the address in 127:64.
        (
            "invvpid_individual",
            "invvpid",
            0,
            descriptor(vpid(), arg("rsi")),
        ),
        ("invvpid_single", "invvpid", 1, descriptor(vpid(), zeros())),
        ("invvpid_all", "invvpid", 2, all),
        // The trait paths: all-context, whatever the address.
        ("flush_gpa_one", "invept", 2, all),
        ("flush_gpa_all", "invept", 2, all),
        ("flush_gva_one", "invvpid", 2, all),
        ("flush_gva_all", "invvpid", 2, all),
        // One VM: its EPTP and VPID, read from the context.
        (
            "vm_flush_guest_physical",
            "invept",
            1,
            descriptor(context_eptp(), zeros()),
        ),
        (
            "vm_flush_guest_physical_all",
            "invept",
            1,
            descriptor(context_eptp(), zeros()),
        ),
        (
            "vm_flush_guest_virtual",
            "invvpid",
            0,
            descriptor(context_vpid(), arg("rsi")),
        ),
        (
            "vm_flush_guest_virtual_all",
            "invvpid",
            1,
            descriptor(context_vpid(), zeros()),
        ),
    ];
    for (function, mnemonic, ty, descriptor) in checks {
        let seen = check_vmx_function(&functions, function, mnemonic, ty, &descriptor);
        say(&format!("x86_64-encoding: {seen}"));
    }
}

#[test]
fn host_flushes_are_invlpg_and_a_cr3_reload() {
    if !tools_present("host_flush_encodings") {
        return;
    }
    let functions = disassemble();
    let lines = |function: &str| -> Vec<String> {
        functions[function]
            .iter()
            .map(|insn| {
                format!("{} {}", insn.mnemonic, insn.operands.join(","))
                    .trim_end()
                    .to_owned()
            })
            .collect()
    };
    // The argument itself is the address invalidated.
    assert_eq!(lines("flush_host_one"), ["invlpg BYTE PTR [rdi]", "ret"]);
    let all = lines("flush_host_all");
    let [read, write, ret] = &all[..] else {
        panic!("`flush_host_all`: {all:#?}");
    };
    let reg = read
        .strip_prefix("mov ")
        .and_then(|ops| ops.strip_suffix(",cr3"))
        .unwrap_or_else(|| panic!("reads cr3: {all:#?}"));
    assert_eq!(write, &format!("mov cr3,{reg}"), "writes it back");
    assert_eq!(ret, "ret");
    say(&format!("x86_64-encoding: flush_host_all: {all:?}"));
}
