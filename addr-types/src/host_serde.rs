//! serde for the host aliases, and what the `serde` feature does.
//!
//! With the feature, `#[address(serde)]` types and the guest types serialize
//! as a `"0x80000000"` string in human-readable formats (JSON, TOML,
//! YAML…) and as their integer in binary ones, and read back either (an
//! integer, or a hex or decimal string such as `"0x8000_0000"`).
//!
//! The host aliases are memory_addr's own types, which addr-types cannot
//! give serde impls (the orphan rule); `#[serde(with = …)]` the modules
//! [`phys`] and [`virt`] gives them the same representation, whatever
//! their generation (`ignore`: the crate's doctests have neither serde's
//! derive nor a format, which would also weigh on the demo's build;
//! tests/tests/serde.rs runs the same round trips):
//!
//! ```ignore
//! use addr_types::{gpa, hpa, GuestPhysAddr, HostPhysAddr};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, PartialEq, Serialize, Deserialize)]
//! struct Region {
//!     guest: GuestPhysAddr,
//!     #[serde(with = "addr_types::host_serde::phys")]
//!     host: HostPhysAddr,
//! }
//!
//! let region = Region { guest: gpa!(0x8000_0000), host: hpa!(0x9000_0000) };
//! let text = toml::to_string(&region).unwrap();
//! assert_eq!(text, "guest = \"0x80000000\"\nhost = \"0x90000000\"\n");
//! assert_eq!(toml::from_str::<Region>("guest = 0x8000_0000\nhost = \"2415919104\"").unwrap(), region);
//! ```
//!
//! Everything here is generic over the serializer only, never over the
//! address type: the type's name comes in as a `&'static str`, so N address
//! types share one copy of this code per format instead of N.

use core::fmt;

use ::serde::de::{self, Unexpected, Visitor};
use ::serde::{Deserializer, Serialize, Serializer};

use crate::__private::HexDigits;
use crate::parse::{parse_addr, ParseAddrError};

/// One `#[serde(with = …)]` module: `serialize`/`deserialize` generic over
/// the address type, so one module serves every generation's alias.
macro_rules! with_module {
    ($module:ident, $alias:literal, $what:literal) => {
        #[doc = concat!("`#[serde(with = \"addr_types::host_serde::", stringify!($module), "\")]` for a ", $what)]
        /// address of any generation (any `T: Copy + From<usize> + Into<usize>`).
        pub mod $module {
            use ::serde::{Deserializer, Serializer};

            /// Serializes as [`#[address(serde)]`](crate::address) types do.
            ///
            /// # Errors
            ///
            /// Only those of the serializer.
            pub fn serialize<T, S>(addr: &T, serializer: S) -> Result<S::Ok, S::Error>
            where
                T: Copy + Into<usize>,
                S: Serializer,
            {
                super::serialize_addr((*addr).into(), serializer)
            }

            /// Deserializes as [`#[address(serde)]`](crate::address) types do.
            ///
            /// # Errors
            ///
            /// When the input is no address.
            pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
            where
                T: From<usize>,
                D: Deserializer<'de>,
            {
                super::deserialize_addr(deserializer, $alias).map(T::from)
            }
        }
    };
}

with_module!(phys, "HostPhysAddr", "host physical");
with_module!(virt, "HostVirtAddr", "host virtual");

/// Serializes an address: `"0x8000_0000"`-style text (no `_`) in
/// human-readable formats, where the reader is a person and TOML only
/// promises integers up to `i64::MAX`; the integer in binary formats.
///
/// # Errors
///
/// Only those of the serializer.
#[doc(hidden)]
#[inline]
pub fn serialize_addr<S: Serializer>(addr: usize, serializer: S) -> Result<S::Ok, S::Error> {
    if serializer.is_human_readable() {
        let digits = HexDigits::lower(addr);
        let mut text = [0u8; 2 + HexDigits::MAX];
        text[..2].copy_from_slice(b"0x");
        let digits = digits.as_str().as_bytes();
        text[2..2 + digits.len()].copy_from_slice(digits);
        // ASCII by construction.
        match core::str::from_utf8(&text[..2 + digits.len()]) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => addr.serialize(serializer),
        }
    } else {
        addr.serialize(serializer)
    }
}

/// Deserializes the address type named `name` (used in error messages).
///
/// Human-readable formats accept an integer or a string of hex
/// (`"0x8000_0000"`) or decimal (`"2147483648"`) digits: those files are
/// written by hand, and hex is how addresses are written.
/// Binary formats read back the `u64` that [`serialize_addr`] wrote: most of
/// them cannot tell an integer from a string on their own
/// (`deserialize_any` is unsupported by bincode, postcard…).
///
/// # Errors
///
/// When the input is neither of the above, or does not fit in a `usize`.
#[doc(hidden)]
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
            ParseAddrError::TooLarge => invalid_string(v, &TooLarge(self.name)),
            _ => invalid_string(v, &self),
        })
    }
}

/// Error messages quote at most this many characters of the input: a
/// config value can be a whole file pasted in the wrong place.
const QUOTED_CHARS: usize = 64;

/// serde's "invalid value: string …" with the string cut to
/// [`QUOTED_CHARS`] characters and `…` if longer.
fn invalid_string<E: de::Error>(v: &str, expected: &dyn de::Expected) -> E {
    match v.char_indices().nth(QUOTED_CHARS) {
        None => E::invalid_value(Unexpected::Str(v), expected),
        Some((cut, _)) => E::custom(format_args!(
            "invalid value: string {:?}… ({} bytes), expected {}",
            &v[..cut],
            v.len(),
            expected
        )),
    }
}

/// The "expected …" of a well-formed address above `usize::MAX`.
struct TooLarge(&'static str);

impl de::Expected for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: at most {:#x} (usize::MAX)", self.0, usize::MAX)
    }
}
