//! How every address type and range is written and read by serde: the
//! `serde` feature's one core, shared by the guest types, every
//! `#[address(serde)]` type and the `serde_field` modules.
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
pub use self::codec::{
    deserialize_addr, deserialize_option_addr, deserialize_option_range, deserialize_range,
    serialize_addr, serialize_option_addr, serialize_option_range, serialize_range,
};

#[cfg(feature = "serde")]
mod codec {
    use ::core::fmt;

    use ::serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Unexpected, Visitor};
    use ::serde::ser::SerializeTuple;
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

    /// An address on its way out: what [`serialize_addr`] writes, as a value
    /// that tuples and `Some` can hold.
    struct AddrOut(usize);

    impl Serialize for AddrOut {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_addr(self.0, serializer)
        }
    }

    /// An address on its way in: what [`deserialize_addr`] reads, as a seed
    /// that sequences, maps and `Some` can hand a deserializer to.
    #[derive(Clone, Copy)]
    struct AddrSeed {
        name: &'static str,
    }

    impl<'de> DeserializeSeed<'de> for AddrSeed {
        type Value = usize;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
            deserialize_addr(deserializer, self.name)
        }
    }

    /// `None` as serde's none, `Some(addr)` as [`serialize_addr`] writes
    /// `addr`.
    ///
    /// # Errors
    ///
    /// Only those of the serializer.
    #[doc(hidden)]
    pub fn serialize_option_addr<S: Serializer>(
        addr: Option<usize>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match addr {
            None => serializer.serialize_none(),
            Some(addr) => serializer.serialize_some(&AddrOut(addr)),
        }
    }

    /// What [`serialize_option_addr`] writes (and `null`, or a missing
    /// field with `#[serde(default)]`, for `None`).
    ///
    /// # Errors
    ///
    /// As [`deserialize_addr`].
    #[doc(hidden)]
    pub fn deserialize_option_addr<'de, D: Deserializer<'de>>(
        deserializer: D,
        name: &'static str,
    ) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_option(OptionVisitor(AddrSeed { name }))
    }

    /// `None`, or the value of the seed it holds.
    struct OptionVisitor<T>(T);

    impl<'de, T: DeserializeSeed<'de> + Expecting> Visitor<'de> for OptionVisitor<T> {
        type Value = Option<T::Value>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("nothing, or ")?;
            self.0.expecting(f)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            self.0.deserialize(deserializer).map(Some)
        }
    }

    /// The "expected …" of a seed, for [`OptionVisitor`].
    trait Expecting {
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
    }

    impl Expecting for AddrSeed {
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            AddrVisitor { name: self.name }.expecting(f)
        }
    }

    impl Expecting for RangeSeed {
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            RangeVisitor {
                name: self.name,
                human_readable: true,
            }
            .expecting(f)
        }
    }

    /// Serializes `[start, end)`: `"0x80000000..0x88000000"` in
    /// human-readable formats, the two integers (a 2-tuple) in binary ones.
    /// The ends are written as they are, even when `start > end`: only
    /// reading checks them, so that what was written reads back or fails
    /// loudly.
    ///
    /// # Errors
    ///
    /// Only those of the serializer.
    #[doc(hidden)]
    pub fn serialize_range<S: Serializer>(
        (start, end): (usize, usize),
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(&format_args!("{start:#x}..{end:#x}"))
        } else {
            let mut tuple = serializer.serialize_tuple(2)?;
            tuple.serialize_element(&AddrOut(start))?;
            tuple.serialize_element(&AddrOut(end))?;
            tuple.end()
        }
    }

    /// Deserializes a range of the address type named `name`, as
    /// `(start, end)` with `start <= end`.
    ///
    /// Human-readable formats accept a `"start..end"` string, each end as
    /// [`deserialize_addr`] reads a string (`"0x8000_0000..0x8800_0000"`),
    /// or a `{ start, end }` map whose values are addresses; binary formats
    /// read the 2-tuple [`serialize_range`] wrote.
    ///
    /// # Errors
    ///
    /// When the input is none of the above, an end is no address, or
    /// `start > end`.
    #[doc(hidden)]
    pub fn deserialize_range<'de, D: Deserializer<'de>>(
        deserializer: D,
        name: &'static str,
    ) -> Result<(usize, usize), D::Error> {
        RangeSeed { name }.deserialize(deserializer)
    }

    /// `None` as serde's none, `Some(range)` as [`serialize_range`] writes
    /// it.
    ///
    /// # Errors
    ///
    /// Only those of the serializer.
    #[doc(hidden)]
    pub fn serialize_option_range<S: Serializer>(
        range: Option<(usize, usize)>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        /// A range on its way out, for `Some`.
        struct RangeOut((usize, usize));

        impl Serialize for RangeOut {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_range(self.0, serializer)
            }
        }

        match range {
            None => serializer.serialize_none(),
            Some(range) => serializer.serialize_some(&RangeOut(range)),
        }
    }

    /// What [`serialize_option_range`] writes.
    ///
    /// # Errors
    ///
    /// As [`deserialize_range`].
    #[doc(hidden)]
    pub fn deserialize_option_range<'de, D: Deserializer<'de>>(
        deserializer: D,
        name: &'static str,
    ) -> Result<Option<(usize, usize)>, D::Error> {
        deserializer.deserialize_option(OptionVisitor(RangeSeed { name }))
    }

    /// A range of the address type named `name`, on its way in.
    #[derive(Clone, Copy)]
    struct RangeSeed {
        name: &'static str,
    }

    impl<'de> DeserializeSeed<'de> for RangeSeed {
        type Value = (usize, usize);

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            let name = self.name;
            let (start, end) = if deserializer.is_human_readable() {
                deserializer.deserialize_any(RangeVisitor {
                    name,
                    human_readable: true,
                })?
            } else {
                deserializer.deserialize_tuple(
                    2,
                    RangeVisitor {
                        name,
                        human_readable: false,
                    },
                )?
            };
            if start > end {
                return Err(de::Error::custom(format_args!(
                    "invalid {name} range {start:#x}..{end:#x}: its start is above its end"
                )));
            }
            Ok((start, end))
        }
    }

    /// Accepts what [`deserialize_range`] documents.
    struct RangeVisitor {
        name: &'static str,
        human_readable: bool,
    }

    /// The keys of a range written as a map.
    enum End {
        Start,
        End,
    }

    impl<'de> de::Deserialize<'de> for End {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            /// Reads a key, by name.
            struct EndVisitor;

            impl Visitor<'_> for EndVisitor {
                type Value = End;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("`start` or `end`")
                }

                fn visit_str<E: de::Error>(self, v: &str) -> Result<End, E> {
                    match v {
                        "start" => Ok(End::Start),
                        "end" => Ok(End::End),
                        _ => Err(unknown_key(v)),
                    }
                }
            }

            deserializer.deserialize_identifier(EndVisitor)
        }
    }

    /// serde's "unknown field" with the key cut as [`invalid_string`] cuts.
    fn unknown_key<E: de::Error>(key: &str) -> E {
        const KEYS: &[&str] = &["start", "end"];
        match key.char_indices().nth(QUOTED_CHARS) {
            None => E::unknown_field(key, KEYS),
            Some((cut, _)) => E::custom(format_args!(
                "unknown field {:?}… ({} bytes), expected `start` or `end`",
                &key[..cut],
                key.len()
            )),
        }
    }

    impl<'de> Visitor<'de> for RangeVisitor {
        type Value = (usize, usize);

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            if self.human_readable {
                write!(
                    f,
                    "a {} range: a string such as \"0x80000000..0x88000000\", or a map with \
                     `start` and `end`",
                    self.name
                )
            } else {
                write!(f, "a {} range: its start and end", self.name)
            }
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let ends = v
                .split_once("..")
                .map(|(start, end)| (parse_usize(start), parse_usize(end)));
            let malformed = Err(ParseAddrError::Malformed);
            match ends {
                Some((Ok(start), Ok(end))) => Ok((start, end)),
                // As for one address, a malformed end wins over a too large one.
                Some((start, end)) if start != malformed && end != malformed => {
                    Err(invalid_string(v, &TooLarge(self.name)))
                }
                _ => Err(invalid_string(v, &self)),
            }
        }

        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
            let seed = AddrSeed { name: self.name };
            let (mut start, mut end) = (None, None);
            while let Some(key) = map.next_key::<End>()? {
                let (slot, field) = match key {
                    End::Start => (&mut start, "start"),
                    End::End => (&mut end, "end"),
                };
                if slot.is_some() {
                    return Err(de::Error::duplicate_field(field));
                }
                *slot = Some(map.next_value_seed(seed)?);
            }
            Ok((
                start.ok_or_else(|| de::Error::missing_field("start"))?,
                end.ok_or_else(|| de::Error::missing_field("end"))?,
            ))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            // Human-readable formats take the two documented forms only.
            if self.human_readable {
                return Err(de::Error::invalid_type(Unexpected::Seq, &self));
            }
            let seed = AddrSeed { name: self.name };
            let start = seq
                .next_element_seed(seed)?
                .ok_or_else(|| de::Error::invalid_length(0, &self))?;
            let end = seq
                .next_element_seed(seed)?
                .ok_or_else(|| de::Error::invalid_length(1, &self))?;
            Ok((start, end))
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
