//! Compile-fail and compile-pass tests of `#[address]` live in `tests/`.
//!
//! This library is the lint half of them: trybuild runs rustc only, so the
//! expansions below are what `cargo clippy --workspace --all-targets -- -D
//! warnings` checks against every rustc and clippy lint a strict user crate
//! may deny. It is `no_std` so it can also be linted for
//! `riscv64gc-unknown-none-elf`, where the `translates` impls exist.
#![no_std]
#![deny(warnings, unused_qualifications, missing_docs, unsafe_code)]
#![deny(rust_2018_idioms, unreachable_pub, missing_debug_implementations)]
#![deny(trivial_casts, trivial_numeric_casts, unused_results, dead_code)]
#![deny(clippy::all, clippy::pedantic)]

use addr_types::address;

/// Re-exports addr-types, as a kernel's own `mm` crate would.
pub mod reexport {
    pub use addr_types;
}

/// Every option, `crate` as a path.
#[address(
    prefix = "GPA",
    range = GuestPhysAddrRange,
    translates = "guest-physical",
    crate = crate::reexport::addr_types
)]
pub struct GuestPhysAddr(usize);

/// Every option, `crate` as a string, and a public field.
#[address(
    prefix = "GVA",
    range = GuestVirtAddrRange,
    translates = "guest-virtual",
    crate = "crate::reexport::addr_types"
)]
pub struct GuestVirtAddr(pub usize);

/// No option: the default prefix and runtime path, user derives and repr.
#[address]
#[derive(Clone, Copy, Hash)]
#[repr(transparent)]
pub struct HostVirtAddr(::core::primitive::usize);

/// Crate-visible, with a crate-visible field and the `sfence.vma` impl.
#[address(prefix = "HPA", range = HostPhysAddrRange, translates = "host-virtual")]
pub(crate) struct HostPhysAddr(pub(crate) usize);

/// Private and never used: an unused generated item would be `dead_code`.
#[address(prefix = "IOVA", range = IoVirtAddrRange)]
struct IoVirtAddr(usize);

/// Asks for serde: linted with `--features serde`, which turns on
/// addr-types' `serde` feature.
#[cfg(feature = "serde")]
#[address(prefix = "SER", range = SerdeAddrRange, translates = "host-virtual", serde)]
pub struct SerdeAddr(usize);
