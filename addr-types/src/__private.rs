//! What the `#[address]` expansion and the shorthand macros call. Not a
//! public API: names and signatures may change in any release.

use core::fmt;

pub use crate::__impl_address_kind as impl_address_kind;
pub use crate::__impl_serde as impl_serde;

/// The `const` bodies of `gpa_range!`/`gva_range!` for one generation:
/// memory_addr's `va_range!` behaviour, with its message.
#[cfg(any(feature = "ax-memory-addr-07", feature = "memory-addr-04"))]
macro_rules! const_ranges {
    () => {
        /// The body of `gpa_range!`.
        ///
        /// # Panics
        ///
        /// If `range.start > range.end`.
        #[track_caller]
        #[must_use]
        pub const fn gpa_range(range: core::ops::Range<usize>) -> AddrRange<crate::GuestPhysAddr> {
            assert!(
                range.start <= range.end,
                "invalid address range in `gpa_range!`"
            );
            AddrRange {
                start: crate::GuestPhysAddr::from_usize(range.start),
                end: crate::GuestPhysAddr::from_usize(range.end),
            }
        }

        /// The body of `gva_range!`.
        ///
        /// # Panics
        ///
        /// If `range.start > range.end`.
        #[track_caller]
        #[must_use]
        pub const fn gva_range(range: core::ops::Range<usize>) -> AddrRange<crate::GuestVirtAddr> {
            assert!(
                range.start <= range.end,
                "invalid address range in `gva_range!`"
            );
            AddrRange {
                start: crate::GuestVirtAddr::from_usize(range.start),
                end: crate::GuestVirtAddr::from_usize(range.end),
            }
        }
    };
}

/// What the `range =` alias of a type names, per generation, the
/// `SvVirtAddr` trait its page tables take on riscv64, and the bodies of
/// the range macros.
#[cfg(feature = "ax-memory-addr-07")]
pub mod ax_memory_addr_07 {
    pub use ax_memory_addr::AddrRange;
    #[cfg(target_arch = "riscv64")]
    pub use ax_page_table_multiarch::riscv::SvVirtAddr;

    const_ranges!();
}

/// As [`ax_memory_addr_07`], for the seed era.
#[cfg(feature = "memory-addr-04")]
pub mod memory_addr_04 {
    pub use memory_addr::AddrRange;
    #[cfg(target_arch = "riscv64")]
    pub use page_table_multiarch::riscv::SvVirtAddr;

    const_ranges!();
}

/// The 4K helpers of the generated `const` methods: memory_addr's, written
/// out so that the guest types need no generation at all.
#[inline]
#[must_use]
pub const fn align_down_4k(addr: usize) -> usize {
    addr & !(crate::PAGE_SIZE_4K - 1)
}

/// See [`align_down_4k`]; overflows (a panic in debug builds) past the last
/// page, as memory_addr's does.
#[inline]
#[must_use]
pub const fn align_up_4k(addr: usize) -> usize {
    (addr + crate::PAGE_SIZE_4K - 1) & !(crate::PAGE_SIZE_4K - 1)
}

/// See [`align_down_4k`].
#[inline]
#[must_use]
pub const fn align_offset_4k(addr: usize) -> usize {
    addr & (crate::PAGE_SIZE_4K - 1)
}

/// See [`align_down_4k`].
#[inline]
#[must_use]
pub const fn is_aligned_4k(addr: usize) -> bool {
    align_offset_4k(addr) == 0
}

/// Called by every expansion with an address kind: [`FlushTlb`] on the
/// architectures that have its instructions, and the riscv64 `SvVirtAddr`
/// of every enabled generation, which forwards to it.
///
/// [`FlushTlb`]: crate::FlushTlb
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_address_kind {
    ($ty:ident, $kind:ident) => {
        #[cfg(any(
            target_arch = "riscv32",
            target_arch = "riscv64",
            target_arch = "aarch64",
            target_arch = "x86_64",
        ))]
        #[automatically_derived]
        impl $crate::FlushTlb for $ty {
            #[inline]
            fn flush_tlb(addr: ::core::option::Option<Self>) {
                $crate::__private::flush::$kind(match addr {
                    ::core::option::Option::Some(addr) => ::core::option::Option::Some(addr.0),
                    ::core::option::Option::None => ::core::option::Option::None,
                })
            }
        }
        $crate::__private::impl_sv_virt_addr_07!($ty);
        $crate::__private::impl_sv_virt_addr_04!($ty);
    };
}

// One `SvVirtAddr` impl per enabled page-table generation. Each macro is
// defined by the feature of addr-types itself: a `cfg(feature)` inside an
// expansion would test the user's crate's features instead.
#[cfg(feature = "ax-memory-addr-07")]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_sv_virt_addr_07 {
    ($ty:ident) => {
        #[cfg(target_arch = "riscv64")]
        #[automatically_derived]
        impl $crate::__private::ax_memory_addr_07::SvVirtAddr for $ty {
            #[inline]
            fn flush_tlb(vaddr: ::core::option::Option<Self>) {
                <Self as $crate::FlushTlb>::flush_tlb(vaddr);
            }
        }
    };
}

#[cfg(not(feature = "ax-memory-addr-07"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_sv_virt_addr_07 {
    ($ty:ident) => {};
}

#[cfg(feature = "memory-addr-04")]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_sv_virt_addr_04 {
    ($ty:ident) => {
        #[cfg(target_arch = "riscv64")]
        #[automatically_derived]
        impl $crate::__private::memory_addr_04::SvVirtAddr for $ty {
            #[inline]
            fn flush_tlb(vaddr: ::core::option::Option<Self>) {
                <Self as $crate::FlushTlb>::flush_tlb(vaddr);
            }
        }
    };
}

#[cfg(not(feature = "memory-addr-04"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_sv_virt_addr_04 {
    ($ty:ident) => {};
}

pub use crate::__impl_sv_virt_addr_04 as impl_sv_virt_addr_04;
pub use crate::__impl_sv_virt_addr_07 as impl_sv_virt_addr_07;

/// The invalidation of each address kind on the architecture being built,
/// what [`FlushTlb`](crate::FlushTlb) impls call. The tables of the
/// `arch` modules say why each kind gets its instructions.
#[cfg(any(target_arch = "riscv32", target_arch = "riscv64"))]
pub mod flush {
    use crate::arch::riscv;

    /// G-stage: `hfence.gvma`.
    #[inline]
    pub fn guest_physical(gpa: Option<usize>) {
        match gpa {
            Some(gpa) => riscv::hfence_gvma(gpa),
            None => riscv::hfence_gvma_all(),
        }
    }

    /// VS-stage: `hfence.vvma`.
    #[inline]
    pub fn guest_virtual(gva: Option<usize>) {
        match gva {
            Some(gva) => riscv::hfence_vvma(gva),
            None => riscv::hfence_vvma_all(),
        }
    }

    /// HS-stage: `sfence.vma`.
    #[inline]
    pub fn host_virtual(va: Option<usize>) {
        match va {
            Some(va) => riscv::sfence_vma(va),
            None => riscv::sfence_vma_all(),
        }
    }
}

/// See the RISC-V `flush`.
#[cfg(target_arch = "aarch64")]
pub mod flush {
    use crate::arch::aarch64;

    /// Stage 2 of the VMID in VTTBR_EL2: `tlbi ipas2e1is` + `vmalle1is`, or
    /// `vmalls12e1is`.
    #[inline]
    pub fn guest_physical(ipa: Option<usize>) {
        match ipa {
            Some(ipa) => aarch64::flush_guest_physical(ipa),
            None => aarch64::flush_guest_physical_all(),
        }
    }

    /// Guest stage 1: `tlbi vaae1is`, or `vmalle1is`.
    #[inline]
    pub fn guest_virtual(va: Option<usize>) {
        match va {
            Some(va) => aarch64::flush_guest_virtual(va),
            None => aarch64::flush_guest_virtual_all(),
        }
    }

    /// EL1&0 stage 1, as page_table_multiarch: `tlbi vaae1is`, or `vmalle1`.
    #[inline]
    pub fn host_virtual(va: Option<usize>) {
        match va {
            Some(va) => aarch64::flush_host_virtual(va),
            None => aarch64::flush_host_virtual_all(),
        }
    }
}

/// See the RISC-V `flush`.
#[cfg(target_arch = "x86_64")]
pub mod flush {
    use crate::arch::x86_64;

    /// EPT: all-context `invept`, for one address too (EPT has no
    /// per-address form, and the trait is given no EPTP).
    #[inline]
    pub fn guest_physical(_gpa: Option<usize>) {
        // Fails only where all-context INVEPT is unsupported: nothing better
        // exists to fall back to.
        let _ = x86_64::invept_all_context();
    }

    /// Guest paging: all-context `invvpid`, for one address too (the
    /// trait is given no VPID).
    #[inline]
    pub fn guest_virtual(_gva: Option<usize>) {
        // As in `guest_physical`.
        let _ = x86_64::invvpid_all_context();
    }

    /// Host paging, as page_table_multiarch: `invlpg`, or a CR3 reload.
    #[inline]
    pub fn host_virtual(va: Option<usize>) {
        match va {
            Some(va) => x86_64::invlpg(va),
            None => x86_64::reload_cr3(),
        }
    }
}

/// Called by `#[address(serde)]` expansions, whose `serde` is `$flag`:
/// without the `serde` feature, an error at that `serde`.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_serde {
    ($ty:ident, $flag:ident) => {
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
/// `serializer` and `deserializer` are parameter patterns: a unit struct,
/// const or static of that name at the call site would turn them into
/// refutable patterns. `#[address]` calls this inside the block in which it
/// shadows those names; the only other caller is this crate.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_serde {
    ($ty:ident, $flag:ident) => {
        #[automatically_derived]
        impl $crate::__private::serde::Serialize for $ty {
            #[inline]
            fn serialize<S>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<
                <S as $crate::__private::serde::Serializer>::Ok,
                <S as $crate::__private::serde::Serializer>::Error,
            >
            where
                S: $crate::__private::serde::Serializer,
            {
                $crate::__private::serialize_addr(self.0, serializer)
            }
        }

        #[automatically_derived]
        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            #[inline]
            fn deserialize<D>(
                deserializer: D,
            ) -> ::core::result::Result<
                Self,
                <D as $crate::__private::serde::Deserializer<'de>>::Error,
            >
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                ::core::result::Result::map(
                    $crate::__private::deserialize_addr(deserializer, ::core::stringify!($ty)),
                    Self,
                )
            }
        }
    };
}

#[cfg(feature = "serde")]
pub use crate::host_serde::{deserialize_addr, serialize_addr};
#[cfg(feature = "serde")]
pub use ::serde;

pub use crate::parse::{parse_addr, ParseAddrError};

/// The hex digits of an address, without `0x`, on the stack: formatting
/// and serialization need no allocator.
pub struct HexDigits {
    buf: [u8; Self::MAX],
    start: usize,
}

impl HexDigits {
    /// The most digits a `usize` has.
    pub const MAX: usize = usize::BITS as usize / 4;

    /// `addr` in lowercase hex.
    #[must_use]
    pub fn lower(addr: usize) -> Self {
        Self::new(addr, b"0123456789abcdef")
    }

    /// `addr` in uppercase hex.
    #[must_use]
    pub fn upper(addr: usize) -> Self {
        Self::new(addr, b"0123456789ABCDEF")
    }

    fn new(mut addr: usize, alphabet: &[u8; 16]) -> Self {
        let mut digits = Self {
            buf: [b'0'; Self::MAX],
            start: Self::MAX,
        };
        loop {
            digits.start -= 1;
            digits.buf[digits.start] = alphabet[addr % 16];
            addr /= 16;
            if addr == 0 {
                return digits;
            }
        }
    }

    /// The digits, at least one.
    #[must_use]
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[self.start..]).unwrap_or("0")
    }
}

/// `Display` of every address type: `0x1abc`.
///
/// Width, fill and alignment apply to the whole text as for a `str`
/// (default: left); the `0` flag pads the digits with zeros after `0x` up
/// to the width, as for `{:#010x}` on an integer; `#`, `+` and precision
/// are ignored, so an address is never cut and `{:#?}` of a struct keeps
/// it on one line.
///
/// # Errors
///
/// Only those of the formatter's sink.
pub fn fmt_display(f: &mut fmt::Formatter<'_>, addr: usize) -> fmt::Result {
    pad(f, "", HexDigits::lower(addr).as_str())
}

/// `Debug` and `LowerHex` of every address type: `PREFIX:0x1abc`, what
/// `def_usize_addr_formatter! { T = "PREFIX:{}"; }` prints, padded as
/// [`fmt_display`] says. One non-generic function for all types keeps the
/// per-type expansion small.
///
/// # Errors
///
/// Only those of the formatter's sink.
pub fn fmt_lower_hex(f: &mut fmt::Formatter<'_>, prefix: &str, addr: usize) -> fmt::Result {
    pad(f, prefix, HexDigits::lower(addr).as_str())
}

/// `UpperHex` of every address type: `PREFIX:0x1ABC`.
///
/// # Errors
///
/// Only those of the formatter's sink.
pub fn fmt_upper_hex(f: &mut fmt::Formatter<'_>, prefix: &str, addr: usize) -> fmt::Result {
    pad(f, prefix, HexDigits::upper(addr).as_str())
}

/// Writes `prefix:0xdigits` (or `0xdigits` for an empty prefix) padded to
/// the formatter's width, without building the text first.
fn pad(f: &mut fmt::Formatter<'_>, prefix: &str, digits: &str) -> fmt::Result {
    use fmt::Write as _;

    let separator = if prefix.is_empty() { "" } else { ":" };
    let len = prefix.chars().count() + separator.len() + 2 + digits.len();
    let padding = f.width().unwrap_or(0).saturating_sub(len);
    if f.sign_aware_zero_pad() {
        f.write_str(prefix)?;
        f.write_str(separator)?;
        f.write_str("0x")?;
        for _ in 0..padding {
            f.write_char('0')?;
        }
        return f.write_str(digits);
    }
    let (before, after) = match f.align() {
        None | Some(fmt::Alignment::Left) => (0, padding),
        Some(fmt::Alignment::Right) => (padding, 0),
        Some(fmt::Alignment::Center) => (padding / 2, padding - padding / 2),
    };
    let fill = f.fill();
    for _ in 0..before {
        f.write_char(fill)?;
    }
    f.write_str(prefix)?;
    f.write_str(separator)?;
    f.write_str("0x")?;
    f.write_str(digits)?;
    for _ in 0..after {
        f.write_char(fill)?;
    }
    Ok(())
}

/// `as_u64` of every address type: lossless, `usize` being at most 64 bits
/// on every target Rust supports.
#[inline]
#[must_use]
#[allow(clippy::cast_possible_truncation)]
pub const fn usize_to_u64(addr: usize) -> u64 {
    addr as u64
}

/// The `const` `add` of every address type: `MemoryAddr::add`.
///
/// # Panics
///
/// On overflow, with `MemoryAddr::add`'s message.
#[inline]
#[must_use]
pub const fn add(addr: usize, rhs: usize) -> usize {
    match addr.checked_add(rhs) {
        Some(sum) => sum,
        None => panic!("overflow in `MemoryAddr::add`"),
    }
}

/// The `const` `sub` of every address type: `MemoryAddr::sub`.
///
/// # Panics
///
/// On overflow, with `MemoryAddr::sub`'s message.
#[inline]
#[must_use]
pub const fn sub(addr: usize, rhs: usize) -> usize {
    match addr.checked_sub(rhs) {
        Some(difference) => difference,
        None => panic!("overflow in `MemoryAddr::sub`"),
    }
}

/// The `const` `sub_addr` of every address type: `MemoryAddr::sub_addr`.
///
/// # Panics
///
/// On overflow, with `MemoryAddr::sub_addr`'s message.
#[inline]
#[must_use]
pub const fn sub_addr(addr: usize, rhs: usize) -> usize {
    match addr.checked_sub(rhs) {
        Some(difference) => difference,
        None => panic!("overflow in `MemoryAddr::sub_addr`"),
    }
}
