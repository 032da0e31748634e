//! A minimal EL2 runtime for QEMU's `virt` machine with
//! `virtualization=on`: the boot code, the exit through semihosting, the EL2
//! vectors, and [`guest_load`], which runs one load at EL1 and returns its
//! value to EL2.
//!
//! A program defines `#[no_mangle] extern "C" fn el2_main() -> !`; `_start`
//! calls it at EL2 with a stack, a zeroed `.bss` and `VBAR_EL2` set. EL2 runs
//! with its MMU off: every EL2 access is to physical memory (as Device
//! memory, so the target's `strict-align` matters).
#![no_std]

pub use aarch64_protocol::exit_code;
pub mod stage2;

use core::arch::{asm, global_asm};

/// Semihosting `SYS_EXIT`.
const SYS_EXIT: u64 = 0x18;
/// `ADP_Stopped_ApplicationExit`: with a code, QEMU exits with that status.
const ADP_STOPPED_APPLICATION_EXIT: u64 = 0x2_0026;

/// Ends the emulation: QEMU exits with status 0 for `Ok`, `code` for `Err`.
pub fn exit(result: Result<(), u8>) -> ! {
    let code = match result {
        Ok(()) => 0,
        // Code 0 would read as a pass.
        Err(0) => u64::from(exit_code::PANIC),
        Err(code) => u64::from(code),
    };
    let block = [ADP_STOPPED_APPLICATION_EXIT, code];
    // SAFETY: the semihosting call reads the two-word parameter block and
    // ends the emulation; nothing runs after it.
    unsafe {
        asm!(
            "hlt #0xf000",
            in("x0") SYS_EXIT,
            in("x1") block.as_ptr(),
            options(nostack),
        );
    }
    // Only reached without `-semihosting`.
    loop {
        core::hint::spin_loop();
    }
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
