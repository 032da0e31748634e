//! How every address type prints: `Display` as `0x1abc`, `Debug` and
//! `LowerHex` as `PREFIX:0x1abc`, `UpperHex` as `PREFIX:0x1ABC`, with the
//! formatter's width, fill and alignment. One non-generic copy for every
//! type keeps each expansion small.

use core::fmt;

/// The hex digits of an address, without `0x`, on the stack: formatting
/// and serialization need no allocator.
pub(crate) struct HexDigits {
    buf: [u8; Self::MAX],
    start: usize,
}

impl HexDigits {
    /// The most digits a `usize` has.
    pub(crate) const MAX: usize = usize::BITS as usize / 4;

    /// `addr` in lowercase hex.
    #[must_use]
    pub(crate) fn lower(addr: usize) -> Self {
        Self::new(addr, b"0123456789abcdef")
    }

    /// `addr` in uppercase hex.
    #[must_use]
    pub(crate) fn upper(addr: usize) -> Self {
        Self::new(addr, b"0123456789ABCDEF")
    }

    fn new(mut addr: usize, alphabet: &[u8; 16]) -> Self {
        let mut digits = Self {
            buf: [b'0'; Self::MAX],
            start: Self::MAX,
        };
        loop {
            digits.start -= 1;
            digits.buf[digits.start] = alphabet[addr % 16];
            addr /= 16;
            if addr == 0 {
                return digits;
            }
        }
    }

    /// The digits, at least one.
    #[must_use]
    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[self.start..]).unwrap_or("0")
    }
}

/// `Display` of every address type: `0x1abc`.
///
/// Width, fill and alignment apply to the whole text as for a `str`
/// (default: left); the `0` flag pads the digits with zeros after `0x` up
/// to the width, as for `{:#010x}` on an integer; `#`, `+` and precision
/// are ignored, so an address is never cut and `{:#?}` of a struct keeps
/// it on one line.
///
/// # Errors
///
/// Only those of the formatter's sink.
pub fn fmt_display(f: &mut fmt::Formatter<'_>, addr: usize) -> fmt::Result {
    pad(f, "", HexDigits::lower(addr).as_str())
}

/// `Debug` and `LowerHex` of every address type: `PREFIX:0x1abc`, what
/// `def_usize_addr_formatter! { T = "PREFIX:{}"; }` prints, padded as
/// [`fmt_display`] says. One non-generic function for all types keeps the
/// per-type expansion small.
///
/// # Errors
///
/// Only those of the formatter's sink.
pub fn fmt_lower_hex(f: &mut fmt::Formatter<'_>, prefix: &str, addr: usize) -> fmt::Result {
    pad(f, prefix, HexDigits::lower(addr).as_str())
}

/// `UpperHex` of every address type: `PREFIX:0x1ABC`.
///
/// # Errors
///
/// Only those of the formatter's sink.
pub fn fmt_upper_hex(f: &mut fmt::Formatter<'_>, prefix: &str, addr: usize) -> fmt::Result {
    pad(f, prefix, HexDigits::upper(addr).as_str())
}

/// Any address printed as the `#[address]` types print theirs: the host
/// aliases of every generation, `usize`, or another crate's address type.
///
/// `{}` prints `0x1abc`, as the guest types' `Display`; `{:?}` and `{:x}`
/// print `PREFIX:0x1abc` and `{:X}` `PREFIX:0x1ABC`, as their `Debug`,
/// `LowerHex` and `UpperHex`, with the prefix of
/// [`with_prefix`](Self::with_prefix) (none by default: `0x1abc`). Width,
/// fill and alignment apply to the whole text, as for a `str`; the `0` flag
/// pads the digits after `0x` (`{:012}` is `0x0000001000`); `#`, `+` and
/// precision change nothing. memory_addr's own `Debug` of a host address
/// ignores the width: a table that mixes guest and host addresses aligns
/// only through this.
///
/// ```
/// use addr_types::{gpa, hpa, HexAddr};
///
/// let (guest, host) = (gpa!(0x8000_0000), hpa!(0x4020_0000));
/// assert_eq!(format!("{guest:>12}|{:>12}|", HexAddr::new(host)), "  0x80000000|  0x40200000|");
/// let host = HexAddr::new(host).with_prefix("HPA");
/// assert_eq!(format!("{guest:<16?}|{host:<16?}|"), "GPA:0x80000000  |HPA:0x40200000  |");
/// assert_eq!(format!("{host:X} {host:016}"), "HPA:0x40200000 0x00000040200000");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[must_use = "a `HexAddr` prints nothing until it is formatted"]
pub struct HexAddr {
    addr: usize,
    prefix: &'static str,
}

impl HexAddr {
    /// `addr`, to be printed with no prefix.
    #[inline]
    pub fn new<A: Into<usize>>(addr: A) -> Self {
        Self {
            addr: addr.into(),
            prefix: "",
        }
    }

    /// The same address, with `prefix` and `:` before the `0x` of `{:?}`,
    /// `{:x}` and `{:X}` (`{}` stays bare, as the guest types' `Display`).
    #[inline]
    pub const fn with_prefix(self, prefix: &'static str) -> Self {
        Self {
            addr: self.addr,
            prefix,
        }
    }

    /// The address.
    #[inline]
    #[must_use]
    pub const fn as_usize(self) -> usize {
        self.addr
    }
}

impl fmt::Display for HexAddr {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_display(f, self.addr)
    }
}

impl fmt::Debug for HexAddr {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_lower_hex(f, self.prefix, self.addr)
    }
}

impl fmt::LowerHex for HexAddr {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_lower_hex(f, self.prefix, self.addr)
    }
}

impl fmt::UpperHex for HexAddr {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_upper_hex(f, self.prefix, self.addr)
    }
}

/// Writes `prefix:0xdigits` (or `0xdigits` for an empty prefix) padded to
/// the formatter's width, without building the text first.
fn pad(f: &mut fmt::Formatter<'_>, prefix: &str, digits: &str) -> fmt::Result {
    use fmt::Write as _;

    let separator = if prefix.is_empty() { "" } else { ":" };
    let len = prefix.chars().count() + separator.len() + 2 + digits.len();
    let padding = f.width().unwrap_or(0).saturating_sub(len);
    if f.sign_aware_zero_pad() {
        f.write_str(prefix)?;
        f.write_str(separator)?;
        f.write_str("0x")?;
        for _ in 0..padding {
            f.write_char('0')?;
        }
        return f.write_str(digits);
    }
    let (before, after) = match f.align() {
        None | Some(fmt::Alignment::Left) => (0, padding),
        Some(fmt::Alignment::Right) => (padding, 0),
        Some(fmt::Alignment::Center) => (padding / 2, padding - padding / 2),
    };
    let fill = f.fill();
    for _ in 0..before {
        f.write_char(fill)?;
    }
    f.write_str(prefix)?;
    f.write_str(separator)?;
    f.write_str("0x")?;
    f.write_str(digits)?;
    for _ in 0..after {
        f.write_char(fill)?;
    }
    Ok(())
}
