//! How every address type is written and read by serde: the `serde`
//! feature's one core, shared by the guest types, every `#[address(serde)]`
//! type and the `host_serde` modules.
//!
//! Everything here is generic over the serializer only, never over the
//! address type: the type's name comes in as a `&'static str`, so N address
//! types share one copy of this code per format instead of N.
//!
//! Without the feature only [`__impl_serde`]'s error variant is compiled.

/// Called by `#[address(serde)]` expansions, whose `serde` is `$flag`:
/// without the `serde` feature, an error at that `serde`.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_serde {
    ($ty:ident, $flag:ident, $serializer:ident, $deserializer:ident) => {
        ::core::compile_error! {
            "`#[address(serde)]` needs the `serde` feature of addr-types: add `features = [\"serde\"]` to its dependency"
        }
    };
}

/// With the `serde` feature: `Serialize`/`Deserialize` impls whose bodies
/// are one call each into [`serialize_addr`]/[`deserialize_addr`], shared by
/// every address type. serde is named through `$crate`, so the user's crate
/// needs no serde dependency of its own, and a renamed addr-types still
/// resolves. `$flag` is the `serde` of `#[address(serde)]`.
///
/// The caller names the parameters (`$serializer`, `$deserializer`): a
/// unit struct, const or static of a parameter's name at the call site
/// would turn it into a refutable pattern, and `#[address]` shadows the
/// names it binds, so it alone must choose them.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_serde {
    ($ty:ident, $flag:ident, $serializer:ident, $deserializer:ident) => {
        #[automatically_derived]
        impl $crate::__private::serde::Serialize for $ty {
            #[inline]
            fn serialize<S>(
                &self,
                $serializer: S,
            ) -> ::core::result::Result<
                <S as $crate::__private::serde::Serializer>::Ok,
                <S as $crate::__private::serde::Serializer>::Error,
            >
            where
                S: $crate::__private::serde::Serializer,
            {
                $crate::__private::serialize_addr(self.0, $serializer)
            }
        }

        #[automatically_derived]
        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            #[inline]
            fn deserialize<D>(
                $deserializer: D,
            ) -> ::core::result::Result<
                Self,
                <D as $crate::__private::serde::Deserializer<'de>>::Error,
            >
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                ::core::result::Result::map(
                    $crate::__private::deserialize_addr($deserializer, ::core::stringify!($ty)),
                    Self,
                )
            }
        }
    };
}

#[cfg(feature = "serde")]
pub use self::codec::{deserialize_addr, serialize_addr};

#[cfg(feature = "serde")]
mod codec {
    use ::core::fmt;

    use ::serde::de::{self, Unexpected, Visitor};
    use ::serde::{Deserializer, Serialize, Serializer};

    use crate::fmt::HexDigits;
    use crate::parse::{parse_usize, ParseAddrError};

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
            parse_usize(v).map_err(|error| match error {
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
}
