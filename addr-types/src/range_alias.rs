//! The `range = R` alias of `#[address]`, per generation: with the
//! generation's feature on, the alias of its public module's `AddrRange`;
//! with it off, the `compile_error!` the expansion hands over, which says
//! what to write. Only addr-types knows which of its features are on, and
//! the macro must not guess (the default generation never depends on them).

#[cfg(feature = "ax-memory-addr-07")]
#[doc(hidden)]
#[macro_export]
macro_rules! __range_alias_ax_memory_addr_07 {
    ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
        $(#[$attr])* $vis type $alias = $crate::ax_memory_addr_07::AddrRange<$ty>;
    };
}

#[cfg(not(feature = "ax-memory-addr-07"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __range_alias_ax_memory_addr_07 {
    ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
        ::core::compile_error! { $feature_off }
    };
}

#[cfg(feature = "ax-memory-addr-06")]
#[doc(hidden)]
#[macro_export]
macro_rules! __range_alias_ax_memory_addr_06 {
    ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
        $(#[$attr])* $vis type $alias = $crate::ax_memory_addr_06::AddrRange<$ty>;
    };
}

#[cfg(not(feature = "ax-memory-addr-06"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __range_alias_ax_memory_addr_06 {
    ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
        ::core::compile_error! { $feature_off }
    };
}

#[cfg(feature = "memory-addr-04")]
#[doc(hidden)]
#[macro_export]
macro_rules! __range_alias_memory_addr_04 {
    ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
        $(#[$attr])* $vis type $alias = $crate::memory_addr_04::AddrRange<$ty>;
    };
}

#[cfg(not(feature = "memory-addr-04"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __range_alias_memory_addr_04 {
    ($(#[$attr:meta])* $vis:vis type $alias:ident = $ty:ident, $feature_off:literal) => {
        ::core::compile_error! { $feature_off }
    };
}
