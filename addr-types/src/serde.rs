//! The bodies of the `Serialize`/`Deserialize` impls that
//! `__private::impl_serde!` gives every address type (feature `serde`).
//!
//! Everything here is generic over the serializer only, never over the
//! address type: the type's name comes in as a `&'static str`, so N address
//! types share one copy of this code per format instead of N.

use core::fmt;

use ::serde::de::{self, Unexpected, Visitor};
use ::serde::{Deserializer, Serialize, Serializer};

/// Serializes an address exactly as the `usize` it wraps: a config that
/// stored a plain `usize` reads back unchanged after the switch to a typed
/// address, and binary formats see the same bytes.
///
/// # Errors
///
/// Only those of the serializer.
#[inline]
pub fn serialize_addr<S: Serializer>(addr: usize, serializer: S) -> Result<S::Ok, S::Error> {
    addr.serialize(serializer)
}

/// Deserializes the address type named `name` (used in error messages).
///
/// Human-readable formats (JSON, TOML, YAML…) accept an integer or a string
/// of hex (`"0x8000_0000"`) or decimal (`"2147483648"`) digits: those files
/// are written by hand, hex is how addresses are written, and TOML only
/// promises integers up to `i64::MAX`.
/// Binary formats read back the `u64` that [`serialize_addr`] wrote: most of
/// them cannot tell an integer from a string on their own
/// (`deserialize_any` is unsupported by bincode, postcard…).
///
/// # Errors
///
/// When the input is neither of the above, or does not fit in a `usize`.
#[inline]
pub fn deserialize_addr<'de, D: Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
) -> Result<usize, D::Error> {
    let visitor = AddrVisitor { name };
    if deserializer.is_human_readable() {
        deserializer.deserialize_any(visitor)
    } else {
        deserializer.deserialize_u64(visitor)
    }
}

/// Accepts what [`deserialize_addr`] documents; its [`Visitor::expecting`]
/// is the "expected …" half of serde's "invalid type/value" messages.
struct AddrVisitor {
    name: &'static str,
}

impl Visitor<'_> for AddrVisitor {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: an unsigned integer, or a string of hex (\"0x8000_0000\") or decimal \
             (\"2147483648\") digits",
            self.name
        )
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        usize::try_from(v)
            .map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &TooLarge(self.name)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<usize, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::invalid_value(Unexpected::Signed(v), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        parse_addr(v).map_err(|error| match error {
            ParseAddrError::Malformed => E::invalid_value(Unexpected::Str(v), &self),
            ParseAddrError::TooLarge => E::invalid_value(Unexpected::Str(v), &TooLarge(self.name)),
        })
    }
}

/// The "expected …" of a well-formed address above `usize::MAX`.
struct TooLarge(&'static str);

impl de::Expected for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: at most {:#x} (usize::MAX)", self.0, usize::MAX)
    }
}

/// Why a string is not an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ParseAddrError {
    /// Not a hex or decimal integer literal.
    Malformed,
    /// A well-formed integer above `usize::MAX`.
    TooLarge,
}

/// Parses `0x` followed by hex digits, or decimal digits, with `_` allowed
/// among them as in Rust integer literals (`0x8000_0000`, `2_147_483_648`). No sign, no whitespace, no other prefix: a typo in a
/// VM config should be an error, not a surprising address.
fn parse_addr(text: &str) -> Result<usize, ParseAddrError> {
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

#[cfg(test)]
mod tests {
    extern crate std;

    use std::format;
    use std::string::ToString;

    use super::{parse_addr, ParseAddrError};

    #[test]
    fn hex_and_decimal_with_or_without_underscores() {
        assert_eq!(parse_addr("0x8000_0000"), Ok(0x8000_0000));
        assert_eq!(parse_addr("0x80000000"), Ok(0x8000_0000));
        assert_eq!(parse_addr("0xDEAD_beef"), Ok(0xdead_beef));
        assert_eq!(parse_addr("2147483648"), Ok(0x8000_0000));
        assert_eq!(parse_addr("2_147_483_648"), Ok(0x8000_0000));
        assert_eq!(parse_addr("0"), Ok(0));
        assert_eq!(parse_addr("0x0"), Ok(0));
        // Rust accepts these literals too.
        assert_eq!(parse_addr("0x_1000"), Ok(0x1000));
        assert_eq!(parse_addr("1000_"), Ok(1000));
        assert_eq!(parse_addr("007"), Ok(7));
    }

    #[test]
    fn the_whole_usize_range() {
        assert_eq!(parse_addr(&format!("{:#x}", usize::MAX)), Ok(usize::MAX));
        assert_eq!(parse_addr(&usize::MAX.to_string()), Ok(usize::MAX));
    }

    #[test]
    fn above_usize_max_is_too_large() {
        let one_more = u128::try_from(usize::MAX).unwrap() + 1;
        assert_eq!(
            parse_addr(&format!("{one_more:#x}")),
            Err(ParseAddrError::TooLarge)
        );
        assert_eq!(
            parse_addr(&one_more.to_string()),
            Err(ParseAddrError::TooLarge)
        );
        assert_eq!(
            parse_addr("0xffff_ffff_ffff_ffff_ffff_ffff"),
            Err(ParseAddrError::TooLarge)
        );
    }

    #[test]
    fn malformed_strings() {
        for text in [
            "",
            "0x",
            "0x_",
            "_",
            "_1",
            "x10",
            "0X10",
            "0b101",
            "0o17",
            "-1",
            "+1",
            " 1",
            "1 ",
            "0x 1",
            "1.0",
            "1e3",
            "0xg",
            "12a",
            "0x8000_zz00",
            "GPA:0x1000",
            "0x1000\n",
            "\u{0661}",
        ] {
            assert_eq!(parse_addr(text), Err(ParseAddrError::Malformed), "{text:?}");
        }
    }

    #[test]
    fn malformed_wins_over_too_large() {
        let text = format!("0x{}z", "f".repeat(40));
        assert_eq!(parse_addr(&text), Err(ParseAddrError::Malformed));
    }
}
