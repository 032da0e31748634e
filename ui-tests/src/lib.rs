//! Strict lints: a user crate that denies the strictest rustc and clippy
//! lints sees none of them fire on the expansion. trybuild runs rustc only,
//! so this library is where they are checked: `cargo clippy --workspace
//! --all-targets -- -D warnings` lints the expansions below, and CI lints it
//! again for `riscv64gc-unknown-none-elf`, where the `translates` impls
//! exist (it is `no_std` for that). The compile-fail and compile-pass cases
//! of `#[address]` are in `tests/`.
#![no_std]
#![deny(warnings, unused_qualifications, missing_docs, unsafe_code)]
#![deny(rust_2018_idioms, unreachable_pub, missing_debug_implementations)]
#![deny(
    trivial_casts,
    trivial_numeric_casts,
    unused_results,
    dead_code,
    deprecated
)]
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

/// Deprecated, with every option: the lint is for the type's users, and
/// never fires on the expansion, even where `deprecated` is denied.
#[deprecated = "use `GuestPhysAddr`"]
#[address(prefix = "OLD", range = OldAddrRange, translates = "guest-physical")]
pub struct OldAddr(usize);

/// Deprecated below the attribute, and with lints of its own.
#[address(prefix = "OLDER", range = OlderAddrRange)]
#[deprecated]
#[deny(missing_docs, clippy::pedantic)]
#[warn(unreachable_pub)]
pub struct OlderAddr(usize);
