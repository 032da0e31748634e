//! Text out through QEMU `virt`'s NS16550 UART, which the host test
//! captures (`-serial file:…`) and prints: the trap-log excerpts in CI's log.

use core::fmt::{self, Write};

/// The UART's registers on QEMU `virt`.
const UART: usize = 0x1000_0000;
/// Line status register: bit 5, the transmit holding register is empty.
const LSR: usize = 5;
const LSR_THR_EMPTY: u8 = 1 << 5;

struct Uart;

impl Write for Uart {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        for byte in text.bytes() {
            // SAFETY: the UART is MMIO at this address on QEMU `virt`, which
            // needs no set-up to transmit; M- and HS-mode run untranslated.
            unsafe {
                while ((UART + LSR) as *const u8).read_volatile() & LSR_THR_EMPTY == 0 {}
                (UART as *mut u8).write_volatile(byte);
            }
        }
        Ok(())
    }
}

/// Writes `args` and a newline.
pub fn line(args: fmt::Arguments<'_>) {
    // The UART never fails.
    let _ = writeln!(Uart, "{args}");
}

/// `say!("…", …)`: one line on the console.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::console::line(::core::format_args!($($arg)*))
    };
}
