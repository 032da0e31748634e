//! Output on Bochs' port 0xE9, and the end of the run: a verdict line, then
//! Bochs' shutdown port.

use core::arch::asm;
use core::fmt;

/// Bochs' `port_e9_hack`: every byte written to port 0xE9 is printed.
pub struct PortE9;

impl fmt::Write for PortE9 {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for byte in s.bytes() {
            // SAFETY: an OUT to Bochs' debug port; no memory is touched.
            unsafe {
                asm!("out 0xe9, al", in("al") byte, options(nomem, nostack, preserves_flags));
            };
        }
        Ok(())
    }
}

/// `println!` on port 0xE9.
macro_rules! say {
    ($($arg:tt)*) => {{
        use core::fmt::Write as _;
        let _ = writeln!($crate::console::PortE9, $($arg)*);
    }};
}
pub(crate) use say;

/// Ends the emulation through Bochs' shutdown port (Bochs then exits with a
/// PANIC message and status 1: the host test judges by the printed lines).
pub fn shutdown() -> ! {
    for byte in b"Shutdown" {
        // SAFETY: OUTs to Bochs' shutdown port; nothing runs after the last.
        unsafe { asm!("out dx, al", in("dx") 0x8900_u16, in("al") *byte, options(nomem, nostack)) };
    }
    loop {
        // SAFETY: stops the CPU with interrupts off.
        unsafe { asm!("cli", "hlt", options(nomem, nostack)) };
    }
}

/// Prints `RESULT: FAIL (why)` and ends the run.
pub fn fail(why: fmt::Arguments<'_>) -> ! {
    say!("RESULT: FAIL ({why})");
    shutdown()
}

// Port I/O does not VM-exit here, so a panic of the code under test, in
// VMX non-root operation, ends the run the same way.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    fail(format_args!("panic: {}", info.message()))
}
