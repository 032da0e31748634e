//! Reading an address from text: `FromStr` of every address type, and the
//! strings the `serde` feature accepts.

use core::fmt;

/// Why a string is not an address: the error of every address type's
/// `FromStr`.
///
/// ```
/// use addr_types::{GuestPhysAddr, ParseAddrError};
///
/// assert_eq!("0x8000_0000".parse::<GuestPhysAddr>(), Ok(addr_types::gpa!(0x8000_0000)));
/// assert_eq!("GPA:0x1000".parse::<GuestPhysAddr>(), Err(ParseAddrError::Malformed));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseAddrError {
    /// Not `0x` followed by hex digits, nor decimal digits (`_` allowed
    /// among the digits in both).
    Malformed,
    /// A well-formed integer above `usize::MAX`.
    TooLarge,
}

impl fmt::Display for ParseAddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Malformed => {
                "invalid address: expected `0x` and hex digits, or decimal digits (`_` allowed)"
            }
            Self::TooLarge => "invalid address: larger than `usize::MAX`",
        })
    }
}

// `core::error::Error` is Rust 1.81; the ax-memory-addr generations need
// 1.85 anyway (their crates are edition 2024), while the seed era alone
// builds with 1.71.
#[cfg(any(feature = "ax-memory-addr-07", feature = "ax-memory-addr-06"))]
impl core::error::Error for ParseAddrError {}

/// Reads any address type from text with the grammar and errors of the
/// `#[address]` types' `FromStr`: the host aliases of every generation,
/// `usize`, or another crate's address type.
///
/// `0x` followed by hex digits, or decimal digits, with `_` allowed among
/// them as in Rust integer literals (`0x8000_0000`, `2_147_483_648`). No
/// sign, no whitespace, no other prefix: a typo in a VM config or on a
/// command line should be an error, not a surprising address.
///
/// ```
/// use addr_types::{hpa, parse_addr, HostPhysAddr, ParseAddrError};
///
/// assert_eq!(parse_addr::<HostPhysAddr>("0x4020_0000"), Ok(hpa!(0x4020_0000)));
/// assert_eq!(parse_addr::<usize>("4096"), Ok(0x1000));
/// assert_eq!(parse_addr::<HostPhysAddr>("PA:0x1000"), Err(ParseAddrError::Malformed));
/// ```
///
/// # Errors
///
/// [`ParseAddrError::Malformed`] for anything else, checked before
/// [`ParseAddrError::TooLarge`] (a well-formed number above `usize::MAX`).
#[inline]
pub fn parse_addr<A: From<usize>>(text: &str) -> Result<A, ParseAddrError> {
    parse_usize(text).map(A::from)
}

/// [`parse_addr`]'s one non-generic body, which every address type shares.
pub(crate) fn parse_usize(text: &str) -> Result<usize, ParseAddrError> {
    let (digits, radix) = match text.strip_prefix("0x") {
        Some(hex) => (hex, 16),
        // As in Rust, a decimal literal starts with a digit: `_1` is not one.
        None if text.starts_with(|c: char| c.is_ascii_digit()) => (text, 10),
        None => return Err(ParseAddrError::Malformed),
    };
    // Validate everything before computing, so a malformed string is reported
    // as malformed even when its digits so far already overflow.
    let well_formed = digits.chars().all(|c| c == '_' || c.is_digit(radix))
        && digits.chars().any(|c| c.is_digit(radix));
    if !well_formed {
        return Err(ParseAddrError::Malformed);
    }
    digits
        .chars()
        .filter_map(|c| c.to_digit(radix))
        .try_fold(0usize, |addr, digit| {
            addr.checked_mul(radix as usize)?
                .checked_add(digit as usize)
        })
        .ok_or(ParseAddrError::TooLarge)
}
