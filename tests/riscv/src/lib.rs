//! A minimal M-mode runtime for QEMU's `virt` machine started with
//! `-bios none`: the boot code, the exit through the SiFive test device, and
//! the trap handler the fence tests rely on.
//!
//! A program defines `#[no_mangle] extern "C" fn hart_main() -> !`; `_start`
//! calls it in M-mode with a stack, a zeroed `.bss` and `mtvec` set.
//!
//! The trap handler ends the program with the trap's `mcause` (see
//! [`exit_code`]), with one exception: an illegal-instruction trap from S-mode
//! on `hfence.gvma` (what `mstatus.TVM = 1` makes of every HS-mode
//! `hfence.gvma`). That one is recorded with its operands (see
//! [`take_trapped_gvma`]), performed for real as a full `hfence.gvma`, and
//! stepped over, so the code under test runs on as if it had executed it.
#![no_std]

pub use riscv_protocol::{encoding, exit_code};

use core::arch::{asm, global_asm};
use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use encoding::{decode_fence, FenceKind};

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

/// An `hfence.gvma` that trapped from HS-mode under `mstatus.TVM = 1`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrappedGvma {
    /// The rs1 register number; 0 (`x0`) means "all guest physical addresses".
    pub rs1: u8,
    /// The value of rs1 (0 for `x0`).
    pub rs1_value: usize,
    /// The rs2 register number; 0 (`x0`) means "all VMIDs".
    pub rs2: u8,
}

/// The `hfence.gvma`s trapped since the last [`take_trapped_gvma`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrappedLog {
    /// How many trapped, including any beyond the [`LOG_CAPACITY`] kept.
    pub count: usize,
    /// The first `min(count, LOG_CAPACITY)` of them.
    pub first: [TrappedGvma; LOG_CAPACITY],
}

/// How many trapped `hfence.gvma`s the log keeps; a test expects one.
pub const LOG_CAPACITY: usize = 4;

// The log is written by the trap handler and read by the interrupted code on
// the same hart, so relaxed atomics suffice: the trap is synchronous, and the
// fence's `asm!` is a compiler barrier for memory.
static TRAPPED_COUNT: AtomicUsize = AtomicUsize::new(0);
static TRAPPED_RS1: [AtomicU8; LOG_CAPACITY] = [const { AtomicU8::new(0) }; LOG_CAPACITY];
static TRAPPED_RS1_VALUE: [AtomicUsize; LOG_CAPACITY] =
    [const { AtomicUsize::new(0) }; LOG_CAPACITY];
static TRAPPED_RS2: [AtomicU8; LOG_CAPACITY] = [const { AtomicU8::new(0) }; LOG_CAPACITY];

/// Returns the `hfence.gvma`s trapped since the last call and empties the log.
pub fn take_trapped_gvma() -> TrappedLog {
    let count = TRAPPED_COUNT.swap(0, Ordering::Relaxed);
    let mut first = [TrappedGvma::default(); LOG_CAPACITY];
    for (i, entry) in first.iter_mut().enumerate().take(count) {
        *entry = TrappedGvma {
            rs1: TRAPPED_RS1[i].load(Ordering::Relaxed),
            rs1_value: TRAPPED_RS1_VALUE[i].load(Ordering::Relaxed),
            rs2: TRAPPED_RS2[i].load(Ordering::Relaxed),
        };
    }
    TrappedLog { count, first }
}

fn record_trapped_gvma(trapped: TrappedGvma) {
    let i = TRAPPED_COUNT.fetch_add(1, Ordering::Relaxed);
    if i < LOG_CAPACITY {
        TRAPPED_RS1[i].store(trapped.rs1, Ordering::Relaxed);
        TRAPPED_RS1_VALUE[i].store(trapped.rs1_value, Ordering::Relaxed);
        TRAPPED_RS2[i].store(trapped.rs2, Ordering::Relaxed);
    }
}

/// The interrupted hart's integer registers, saved by `hart_trap_vector`:
/// `x[n]` is register `xn` (`x[0]` is stored as 0).
#[repr(C)]
struct TrapFrame {
    x: [usize; 32],
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
const MSTATUS_MPP_SHIFT: u32 = 11;
const PRIV_S: usize = 1;

/// Called by `hart_trap_vector` for every trap, in M-mode.
#[no_mangle]
extern "C" fn hart_handle_trap(frame: &mut TrapFrame) {
    let mcause = read_csr!("mcause");
    let mepc = read_csr!("mepc");
    let from_s_mode = (read_csr!("mstatus") >> MSTATUS_MPP_SHIFT) & 0b11 == PRIV_S;
    if mcause == MCAUSE_ILLEGAL_INSTRUCTION && from_s_mode {
        let fence = decode_fence(instruction_at(mepc));
        if let Some(fence) = fence.filter(|f| f.kind == FenceKind::HfenceGvma) {
            record_trapped_gvma(TrappedGvma {
                rs1: fence.rs1,
                rs1_value: frame.x[usize::from(fence.rs1)],
                rs2: fence.rs2,
            });
            // What the trapped instruction was asked to do, and more.
            addr_types::arch::riscv::hfence_gvma_all();
            // SAFETY: resumes after the 4-byte instruction (`hfence.gvma`
            // has no compressed form).
            unsafe { asm!("csrw mepc, {0}", in(reg) mepc + 4, options(nomem, nostack)) };
            return;
        }
    }
    exit(Err(trap_exit_code(mcause)));
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
