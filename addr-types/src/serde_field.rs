//! `#[serde(with = …)]` modules for the fields the `serde` feature cannot
//! give impls to: the host aliases, the range aliases, and `Option`s of
//! them, of every generation.
//!
//! With the feature, `#[address(serde)]` types and the guest types
//! serialize as a `"0x80000000"` string in human-readable formats (JSON,
//! TOML, YAML…) and as their integer in binary ones, and read back either
//! (an integer, or a hex or decimal string such as `"0x8000_0000"`).
//!
//! The host aliases are memory_addr's own types and the range aliases its
//! `AddrRange`, to which addr-types cannot add serde impls (the orphan
//! rule). These modules give them the same representation, whatever their
//! generation:
//!
//! | field | `#[serde(with = …)]` | human-readable | binary |
//! |---|---|---|---|
//! | `HostPhysAddr`, `HostVirtAddr` | [`phys`], [`virt`] | `"0x90000000"` | the integer |
//! | `GuestPhysAddrRange`, any `AddrRange<A>` | [`range`] | `"0x80000000..0x88000000"`; also reads `{ start = …, end = … }` | two integers |
//! | `Option<…>` of each | [`option_phys`], [`option_virt`], [`option_range`] | `null` or as above (add `#[serde(default)]` to allow a missing field) | as above |
//!
//! A range whose start is above its end is rejected when read; every error
//! quotes at most 64 characters of the input.
//!
//! (`ignore`: the crate's doctests have neither serde's derive nor a
//! format, which would also weigh on the demo's build; tests/tests/serde.rs
//! runs the same round trips.)
//!
//! ```ignore
//! use addr_types::{gpa, gpa_range, hpa, GuestPhysAddr, GuestPhysAddrRange, HostPhysAddr};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, PartialEq, Serialize, Deserialize)]
//! struct Region {
//!     #[serde(with = "addr_types::serde_field::range")]
//!     guest: GuestPhysAddrRange,
//!     #[serde(with = "addr_types::serde_field::option_phys", default)]
//!     host: Option<HostPhysAddr>,
//! }
//!
//! let region = Region { guest: gpa_range!(0x8000_0000..0x8800_0000), host: Some(hpa!(0x9000_0000)) };
//! let text = toml::to_string(&region).unwrap();
//! assert_eq!(text, "guest = \"0x80000000..0x88000000\"\nhost = \"0x90000000\"\n");
//! let read = "guest = { start = 0x8000_0000, end = 0x8800_0000 }";
//! assert_eq!(toml::from_str::<Region>(read).unwrap(), Region { host: None, ..region });
//! ```

use ::serde::{Deserializer, Serializer};

use crate::range::sealed::Sealed;
use crate::serde_repr;
use crate::AddrRangeExt;

/// The `#[serde(with = …)]` module of an address, and of an `Option` of
/// one: `serialize`/`deserialize` generic over the address type, so one
/// module serves every generation's alias.
macro_rules! address_modules {
    ($module:ident, $option:ident, $alias:literal, $what:literal) => {
        #[doc = concat!("`#[serde(with = \"addr_types::serde_field::", stringify!($module), "\")]` for a ", $what)]
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
                crate::serde_repr::serialize_addr((*addr).into(), serializer)
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
                crate::serde_repr::deserialize_addr(deserializer, $alias).map(T::from)
            }
        }

        #[doc = concat!("`#[serde(with = \"addr_types::serde_field::", stringify!($option), "\")]` for an `Option` of a ", $what)]
        /// address of any generation: `None` is `null` (a missing field too,
        #[doc = concat!("with `#[serde(default)]`), `Some` as [`", stringify!($module), "`](crate::serde_field::", stringify!($module), ").")]
        pub mod $option {
            use ::serde::{Deserializer, Serializer};

            /// Serializes `None` as serde's none, `Some` as
            #[doc = concat!("[`", stringify!($module), "::serialize`](super::", stringify!($module), "::serialize).")]
            ///
            /// # Errors
            ///
            /// Only those of the serializer.
            #[allow(clippy::ref_option)] // The signature `#[serde(with)]` calls.
            pub fn serialize<T, S>(addr: &Option<T>, serializer: S) -> Result<S::Ok, S::Error>
            where
                T: Copy + Into<usize>,
                S: Serializer,
            {
                crate::serde_repr::serialize_option_addr(addr.map(Into::into), serializer)
            }

            /// Deserializes what `serialize` writes.
            ///
            /// # Errors
            ///
            /// When the input is neither nothing nor an address.
            pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
            where
                T: From<usize>,
                D: Deserializer<'de>,
            {
                crate::serde_repr::deserialize_option_addr(deserializer, $alias)
                    .map(|addr| addr.map(T::from))
            }
        }
    };
}

address_modules!(phys, option_phys, "HostPhysAddr", "host physical");
address_modules!(virt, option_virt, "HostVirtAddr", "host virtual");

/// The name of a range's address type in error messages: the last segment
/// of its path (`GuestPhysAddr`, `PhysAddr`, `usize`).
fn addr_name<R: AddrRangeExt>() -> &'static str {
    let path = core::any::type_name::<R::Addr>();
    let path = path.split('<').next().unwrap_or(path);
    path.rsplit("::").next().unwrap_or(path)
}

/// `#[serde(with = "addr_types::serde_field::range")]` for the range
/// aliases of every generation, and any `AddrRange<A>` of an address type
/// `A`: `"0x80000000..0x88000000"` in human-readable formats (which also
/// read `{ start = …, end = … }`, each end an address as the guest types
/// read one), two integers in binary ones.
pub mod range {
    use super::{addr_name, serde_repr, AddrRangeExt, Deserializer, Serializer};

    /// Serializes `range` as the module says, its ends as they are.
    ///
    /// # Errors
    ///
    /// Only those of the serializer.
    pub fn serialize<R, S>(range: &R, serializer: S) -> Result<S::Ok, S::Error>
    where
        R: AddrRangeExt,
        S: Serializer,
    {
        serde_repr::serialize_range(range.to_ends(), serializer)
    }

    /// Deserializes what the module says.
    ///
    /// # Errors
    ///
    /// When the input is no range, an end is no address or is above
    /// `usize::MAX`, or the start is above the end.
    pub fn deserialize<'de, R, D>(deserializer: D) -> Result<R, D::Error>
    where
        R: AddrRangeExt,
        D: Deserializer<'de>,
    {
        let (start, end) = serde_repr::deserialize_range(deserializer, addr_name::<R>())?;
        Ok(R::from_ends(start, end))
    }
}

/// `#[serde(with = "addr_types::serde_field::option_range")]` for an
/// `Option` of a range: `None` is `null` (a missing field too, with
/// `#[serde(default)]`), `Some` as [`range`].
pub mod option_range {
    use super::{addr_name, serde_repr, AddrRangeExt, Deserializer, Sealed, Serializer};

    /// Serializes `None` as serde's none, `Some` as [`range::serialize`](super::range::serialize).
    ///
    /// # Errors
    ///
    /// Only those of the serializer.
    #[allow(clippy::ref_option)] // The signature `#[serde(with)]` calls.
    pub fn serialize<R, S>(range: &Option<R>, serializer: S) -> Result<S::Ok, S::Error>
    where
        R: AddrRangeExt,
        S: Serializer,
    {
        serde_repr::serialize_option_range(range.map(Sealed::to_ends), serializer)
    }

    /// Deserializes what `serialize` writes.
    ///
    /// # Errors
    ///
    /// As [`range::deserialize`](super::range::deserialize), unless the
    /// input is nothing.
    pub fn deserialize<'de, R, D>(deserializer: D) -> Result<Option<R>, D::Error>
    where
        R: AddrRangeExt,
        D: Deserializer<'de>,
    {
        let ends = serde_repr::deserialize_option_range(deserializer, addr_name::<R>())?;
        Ok(ends.map(|(start, end)| R::from_ends(start, end)))
    }
}
