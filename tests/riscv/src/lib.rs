//! A minimal M-mode runtime for QEMU's `virt` machine started with
//! `-bios none`: the boot code, the exit through the SiFive test device, a
//! console, and the trap handler the fence tests rely on.
//!
//! A program defines `#[no_mangle] extern "C" fn hart_main() -> !`; `_start`
//! calls it in M-mode with a stack, a zeroed `.bss` and `mtvec` set.
//!
//! The trap handler ends the program with the trap's `mcause` (see
//! [`exit_code`]), except for the instructions it watches, which it records
//! in the [`trap_log`], performs for real and steps over, so the code under
//! test runs on as if it had executed them:
//!
//! - `hfence.gvma` from HS-mode, which traps under `mstatus.TVM = 1`;
//! - `hgatp` accesses and `hfence.vvma` in the [`code_under_test`], made to
//!   trap by patching them (QEMU 7.2 traps neither); an `hgatp` access
//!   that traps by itself (QEMU 8 and later, under TVM) is handled the same;
//! - with [`hypervisor::read_guest`], a guest-page fault of its `hlv.d`.
#![no_std]

pub mod code_under_test;
pub mod console;
#[cfg(target_arch = "riscv64")]
pub mod g_stage;
pub mod hypervisor;
pub mod trap_log;

pub use riscv_protocol::{encoding, exit_code};

use core::arch::{asm, global_asm};

use encoding::{decode_csr, decode_fence, decode_hlv_d, CsrAccess, CsrOp, CsrSource, FenceKind};
use trap_log::Trapped;

/// Address of the SiFive test ("finisher") device of QEMU `virt`.
const TEST_DEVICE: usize = 0x10_0000;
const TEST_PASS: u32 = 0x5555;
const TEST_FAIL: u32 = 0x3333;

/// Ends the emulation: QEMU exits with status 0 for `Ok`, `code` for `Err`.
pub fn exit(result: Result<(), u8>) -> ! {
    let value = match result {
        Ok(()) => TEST_PASS,
        // Code 0 would read as a pass: report it as an unexplained trap.
        Err(0) => TEST_FAIL | u32::from(exit_code::OTHER_TRAP) << 16,
        Err(code) => TEST_FAIL | u32::from(code) << 16,
    };
    // SAFETY: the test device is MMIO at this address on QEMU `virt`; the
    // store ends the emulation, so nothing runs after it.
    unsafe { (TEST_DEVICE as *mut u32).write_volatile(value) };
    // Only reached if the machine has no test device (not QEMU `virt`).
    loop {
        core::hint::spin_loop();
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    exit(Err(exit_code::PANIC))
}

/// Lets S- and U-mode (and the G-stage page-table walk) access all memory:
/// with no PMP entry, the privileged spec denies every access below M-mode.
pub fn allow_all_memory_below_m_mode() {
    // SAFETY: PMP entry 0 = all of memory, RWX, NAPOT (`A = 3`): widens
    // access for lower modes and never restricts M-mode.
    unsafe {
        asm!(
            "csrw pmpaddr0, {all}",
            "csrw pmpcfg0, {rwx_napot}",
            all = in(reg) usize::MAX,
            rwx_napot = in(reg) 0x1f,
            options(nostack),
        );
    }
}

/// The interrupted hart's integer registers, saved by `hart_trap_vector`:
/// `x[n]` is register `xn` (`x[0]` is stored as 0).
#[repr(C)]
struct TrapFrame {
    x: [usize; 32],
}

impl TrapFrame {
    fn get(&self, register: u8) -> usize {
        self.x[usize::from(register)]
    }

    fn set(&mut self, register: u8, value: usize) {
        if register != 0 {
            self.x[usize::from(register)] = value;
        }
    }
}

macro_rules! read_csr {
    ($csr:literal) => {{
        let value: usize;
        // SAFETY: reading an M-mode CSR has no side effect; the handler runs
        // in M-mode.
        unsafe { asm!(concat!("csrr {0}, ", $csr), out(reg) value, options(nomem, nostack)) };
        value
    }};
}

const MCAUSE_ILLEGAL_INSTRUCTION: usize = 2;
const MCAUSE_LOAD_GUEST_PAGE_FAULT: usize = 21;
const MSTATUS_SIE: usize = 1 << 1;
const MSTATUS_MPP_SHIFT: u32 = 11;
const PRIV_S: usize = 1;

/// Called by `hart_trap_vector` for every trap, in M-mode.
#[no_mangle]
extern "C" fn hart_handle_trap(frame: &mut TrapFrame) {
    let mcause = read_csr!("mcause");
    let mepc = read_csr!("mepc");
    let mstatus = read_csr!("mstatus");
    let from_s_mode = (mstatus >> MSTATUS_MPP_SHIFT) & 0b11 == PRIV_S;
    let handled = from_s_mode
        && match mcause {
            MCAUSE_ILLEGAL_INSTRUCTION => {
                let word =
                    code_under_test::original_at(mepc).unwrap_or_else(|| instruction_at(mepc));
                perform(word, frame, mstatus & MSTATUS_SIE != 0)
            }
            MCAUSE_LOAD_GUEST_PAGE_FAULT => decode_hlv_d(instruction_at(mepc))
                .is_some_and(|rd| hypervisor::take_expected_fault(|| frame.set(rd, 0))),
            _ => false,
        };
    if !handled {
        exit(Err(trap_exit_code(mcause)));
    }
    // SAFETY: resumes after the 4-byte instruction (none of those handled
    // has a compressed form).
    unsafe { asm!("csrw mepc, {0}", in(reg) mepc + 4, options(nomem, nostack)) };
}

/// Performs a watched instruction for the code under test and logs it;
/// `false` if `word` is not one.
fn perform(word: u32, frame: &mut TrapFrame, interrupts_enabled: bool) -> bool {
    if let Some(fence) = decode_fence(word) {
        let trapped = match fence.kind {
            FenceKind::HfenceGvma => Trapped::HfenceGvma {
                rs1: fence.rs1,
                rs1_value: frame.get(fence.rs1),
                rs2: fence.rs2,
                rs2_value: frame.get(fence.rs2),
            },
            FenceKind::HfenceVvma => Trapped::HfenceVvma {
                rs1: fence.rs1,
                rs1_value: frame.get(fence.rs1),
                rs2: fence.rs2,
                vmid: hypervisor::hgatp_vmid(read_csr!("hgatp")),
            },
            FenceKind::SfenceVma => return false,
        };
        trap_log::record(trapped);
        // What the trapped instruction was asked to do, and more: in M-mode,
        // each acts on the VMID in hgatp, as in HS-mode.
        addr_types::arch::riscv::hfence_gvma_all();
        addr_types::arch::riscv::hfence_vvma_all();
        return true;
    }
    match decode_csr(word) {
        Some(access) if access.csr == encoding::HGATP => {
            emulate_hgatp_access(access, frame, interrupts_enabled);
            true
        }
        _ => false,
    }
}

/// Executes a Zicsr instruction on `hgatp` on behalf of the interrupted code.
fn emulate_hgatp_access(access: CsrAccess, frame: &mut TrapFrame, interrupts_enabled: bool) {
    let old = read_csr!("hgatp");
    let operand = match access.source {
        CsrSource::Register(rs1) => frame.get(rs1),
        CsrSource::Immediate(zimm) => usize::from(zimm),
    };
    if access.writes() {
        let value = match access.op {
            CsrOp::Write => operand,
            CsrOp::Set => old | operand,
            CsrOp::Clear => old & !operand,
        };
        trap_log::record(Trapped::HgatpWrite {
            value,
            interrupts_enabled,
        });
        // SAFETY: the interrupted code asked for this write; M-mode does it.
        unsafe { asm!("csrw hgatp, {0}", in(reg) value, options(nomem, nostack)) };
    }
    frame.set(access.rd, old);
}

/// An exception's `mcause`, or [`exit_code::OTHER_TRAP`] for exception 0 and
/// for interrupts (their `mcause` has the top bit set, so it is not a `u8`).
fn trap_exit_code(mcause: usize) -> u8 {
    match u8::try_from(mcause) {
        Ok(code @ 1..=exit_code::UNEXPECTED_TRAP_MAX) => code,
        _ => exit_code::OTHER_TRAP,
    }
}

/// The 32-bit instruction at `pc`, read as two halfwords: with the C
/// extension, instructions are only 2-byte aligned.
fn instruction_at(pc: usize) -> u32 {
    let pc = pc as *const u16;
    // SAFETY: `pc` is the `mepc` of a trap on an instruction, so it points to
    // code in RAM, readable by M-mode; both halfwords belong to the 4-byte
    // instruction whose decode is attempted.
    let (low, high) = unsafe { (pc.read_volatile(), pc.add(1).read_volatile()) };
    u32::from(low) | u32::from(high) << 16
}

// `_start` runs in M-mode at the ELF entry; `hart_trap_vector` saves every
// integer register on the interrupted code's stack (no red zone on RISC-V),
// calls `hart_handle_trap` with them and restores them, `mepc` included.
#[cfg(target_arch = "riscv64")]
macro_rules! with_xlen {
    ($asm:ident) => {
        $asm! { "sd", "ld", "8" }
    };
}
#[cfg(target_arch = "riscv32")]
macro_rules! with_xlen {
    ($asm:ident) => {
        $asm! { "sw", "lw", "4" }
    };
}
macro_rules! runtime_asm {
    ($store:literal, $load:literal, $xlen:literal) => {
        global_asm!(concat!(
            "
            .section .text.entry, \"ax\", @progbits
            .global _start
            _start:
                la sp, _stack_top
                la t0, hart_trap_vector
                csrw mtvec, t0
                la t0, _bss_start
                la t1, _bss_end
            1:
                bgeu t0, t1, 2f
                sb zero, 0(t0)
                addi t0, t0, 1
                j 1b
            2:
                call hart_main
            3:
                j 3b

            .section .text.hart_trap_vector, \"ax\", @progbits
            .balign 4
            .global hart_trap_vector
            hart_trap_vector:
                addi sp, sp, -32 * ", $xlen, "
                .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
                ", $store, " x\\n, \\n * ", $xlen, "(sp)
                .endr
                ", $store, " zero, 0(sp)
                addi t0, sp, 32 * ", $xlen, "
                ", $store, " t0, 2 * ", $xlen, "(sp)
                mv a0, sp
                call hart_handle_trap
                .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
                ", $load, " x\\n, \\n * ", $xlen, "(sp)
                .endr
                addi sp, sp, 32 * ", $xlen, "
                mret
            "
        ));
    };
}
with_xlen!(runtime_asm);
