//! A minimal EL2 runtime for QEMU's `virt` machine with
//! `virtualization=on`: the boot code, the semihosting console, command line
//! and exit, the EL2 vectors, and [`guest_load`], which runs one load at EL1
//! and returns its value to EL2; [`frames`] and [`machine`] hold what the
//! stage-2 program builds on.
//!
//! A program defines `#[no_mangle] extern "C" fn el2_main() -> !`; `_start`
//! calls it at EL2 with a stack, a zeroed `.bss` and `VBAR_EL2` set. EL2 runs
//! with its MMU off: every EL2 access is to physical memory (as Device
//! memory, so the target's `strict-align` matters).
#![no_std]

pub use aarch64_protocol::{exit_code, report};
pub mod frames;
pub mod machine;

use core::arch::{asm, global_asm};

/// Semihosting `SYS_WRITE0`: prints a NUL-terminated string.
const SYS_WRITE0: u64 = 0x04;
/// Semihosting `SYS_GET_CMDLINE`: the command line QEMU was given.
const SYS_GET_CMDLINE: u64 = 0x15;
/// Semihosting `SYS_EXIT`.
const SYS_EXIT: u64 = 0x18;
/// `ADP_Stopped_ApplicationExit`: with a code, QEMU exits with that status.
const ADP_STOPPED_APPLICATION_EXIT: u64 = 0x2_0026;

/// Semihosting call `operation` with parameter `parameter` (Arm's
/// "Semihosting for AArch32 and AArch64": `hlt #0xf000`, W0 and X1); its
/// result.
fn semihosting(operation: u64, parameter: usize) -> u64 {
    let result;
    // SAFETY: QEMU performs the call: it reads (for SYS_GET_CMDLINE, also
    // writes) the memory `parameter` names, as each caller arranges, and
    // returns in x0.
    unsafe {
        asm!(
            "hlt #0xf000",
            inout("x0") operation => result,
            in("x1") parameter,
            options(nostack),
        );
    }
    result
}

/// Ends the emulation: QEMU exits with status 0 for `Ok`, `code` for `Err`.
pub fn exit(result: Result<(), u8>) -> ! {
    let code = match result {
        Ok(()) => 0,
        // Code 0 would read as a pass.
        Err(0) => u64::from(exit_code::PANIC),
        Err(code) => u64::from(code),
    };
    let block = [ADP_STOPPED_APPLICATION_EXIT, code];
    semihosting(SYS_EXIT, block.as_ptr() as usize);
    // Only reached without `-semihosting`.
    loop {
        core::hint::spin_loop();
    }
}

/// Prints `text` on the semihosting console (QEMU's standard error).
pub fn print(text: &str) {
    let mut buffer = [0u8; 128];
    for chunk in text.as_bytes().chunks(buffer.len() - 1) {
        buffer[..chunk.len()].copy_from_slice(chunk);
        buffer[chunk.len()] = 0;
        semihosting(SYS_WRITE0, buffer.as_ptr() as usize);
    }
}

/// Prints one line of the report: `key: value`.
pub fn report_line(key: &str, value: &str) {
    for part in [key, ": ", value, "\n"] {
        print(part);
    }
}

/// The command line QEMU passes (the kernel's path, then `-append`'s
/// text), read into `buffer`; `None` when it does not fit or is not UTF-8.
pub fn command_line(buffer: &mut [u8]) -> Option<&str> {
    let mut block = [buffer.as_mut_ptr() as usize, buffer.len()];
    if semihosting(SYS_GET_CMDLINE, block.as_mut_ptr() as usize) != 0 {
        return None;
    }
    core::str::from_utf8(buffer.get(..block[1])?).ok()
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    exit(Err(exit_code::PANIC))
}

/// The current exception level, 0..=3.
#[must_use]
pub fn current_el() -> u64 {
    let el: u64;
    // SAFETY: reading CurrentEL has no side effect.
    unsafe { asm!("mrs {0}, CurrentEL", out(reg) el, options(nomem, nostack, preserves_flags)) };
    (el >> 2) & 0b11
}

/// What ended a guest access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuestExit {
    /// x0 at the exception: the loaded value when the guest reached its `hvc`.
    pub x0: u64,
    /// ESR_EL2 of the exception.
    pub esr: u64,
}

/// ESR_EL2.EC of an `hvc` from AArch64.
const EC_HVC64: u64 = 0x16;
/// ESR_EL2.EC of a data abort from a lower exception level.
const EC_DATA_ABORT_LOWER: u64 = 0x24;

/// What a guest read saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuestRead {
    /// The load completed with this value.
    Value(u64),
    /// The load (or the stage-1 walk it needed) took a data abort to EL2:
    /// nothing is mapped there at stage 2.
    Abort,
}

/// [`guest_load`], with a data abort as a result of its own.
///
/// # Errors
///
/// [`exit_code::GUEST_EXCEPTION`] for any other exception.
pub fn guest_read(va: usize) -> Result<GuestRead, u8> {
    match guest_load(va) {
        Ok(value) => Ok(GuestRead::Value(value)),
        Err(esr) if esr >> 26 == EC_DATA_ABORT_LOWER => Ok(GuestRead::Abort),
        Err(_) => Err(exit_code::GUEST_EXCEPTION),
    }
}
/// SPSR_EL2 for EL1h with D, A, I and F masked.
const SPSR_EL1H_MASKED: u64 = 0x3c5;

/// Loads the doubleword at `va` at EL1 (through whatever EL1 translation
/// regime EL2 has configured) and returns it.
///
/// # Errors
///
/// The ESR_EL2 of the exception when the load did not complete (a stage-1
/// or stage-2 abort).
pub fn guest_load(va: usize) -> Result<u64, u64> {
    let exit = run_guest_load(va);
    if exit.esr >> 26 == EC_HVC64 {
        Ok(exit.x0)
    } else {
        Err(exit.esr)
    }
}

fn run_guest_load(va: usize) -> GuestExit {
    let (x0, esr): (u64, u64);
    // SAFETY: `eret` enters `el2_guest_load` at EL1 with x0 = `va`; it loads
    // through EL1's translation and executes `hvc`, or faults: either way
    // the EL2 vector (`el2_vectors`, lower EL entries) reads ESR_EL2 into x1
    // and branches to x9, label 2 below. EL1 touches x0 only; EL2's stack
    // pointer and every other register are as they were.
    unsafe {
        asm!(
            "adr x9, 2f",
            "msr elr_el2, {entry}",
            "msr spsr_el2, {spsr}",
            "eret",
            "2:",
            entry = in(reg) el2_guest_load as *const () as usize,
            spsr = in(reg) SPSR_EL1H_MASKED,
            inout("x0") va => x0,
            out("x1") esr,
            out("x9") _,
        );
    }
    GuestExit { x0, esr }
}

extern "C" {
    /// EL1 code: `ldr x0, [x0]; hvc #0`.
    fn el2_guest_load();
}

/// Called by the EL2 vectors for an exception taken from EL2 itself.
#[no_mangle]
extern "C" fn el2_unexpected_exception() -> ! {
    exit(Err(exit_code::EL2_EXCEPTION))
}

// `_start` runs at EL2 at the ELF entry. The vector table has 16 entries of
// 0x80 bytes: the first eight (exceptions from EL2) end the program, the
// last eight (from EL1/EL0) hand ESR_EL2 to `run_guest_load`'s label.
global_asm!(
    "
    .section .text.entry, \"ax\", @progbits
    .global _start
    _start:
        ldr x0, =_stack_top
        mov sp, x0
        // Below EL2, VBAR_EL2 is UNDEFINED: leave it, el2_main reports it.
        mrs x0, CurrentEL
        cmp x0, #(2 << 2)
        b.ne 4f
        ldr x0, =el2_vectors
        msr vbar_el2, x0
        isb
    4:
        ldr x0, =_bss_start
        ldr x1, =_bss_end
    1:
        cmp x0, x1
        b.hs 2f
        str xzr, [x0], #8
        b 1b
    2:
        bl el2_main
    3:
        b 3b

    .section .text.el2_guest_load, \"ax\", @progbits
    .balign 4
    .global el2_guest_load
    el2_guest_load:
        ldr x0, [x0]
        hvc #0

    .section .text.el2_vectors, \"ax\", @progbits
    .balign 2048
    .global el2_vectors
    el2_vectors:
    .rept 8
        .balign 128
        b el2_unexpected_exception
    .endr
    .rept 8
        .balign 128
        mrs x1, esr_el2
        br x9
    .endr
    "
);
