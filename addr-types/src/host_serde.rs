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
    };
}

with_module!(phys, "HostPhysAddr", "host physical");
with_module!(virt, "HostVirtAddr", "host virtual");
