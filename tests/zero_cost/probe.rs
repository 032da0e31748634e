//! The zero-cost probe. `tests/tests/zero_cost.rs` compiles this crate twice
//! at opt-level 3 with `--emit asm`: with the `typed` feature, where `Addr`
//! is a `#[address]` type and every function uses its API, and without it,
//! where `Addr` is the raw `usize` and every function does what
//! `def_usize_addr!` code or kernel code on plain integers does (memory_addr's
//! free functions, integer arithmetic). The test then checks that each
//! function has the same instructions in both builds.
//!
//! Two builds rather than `typed_*`/`raw_*` pairs in one: inside one crate,
//! LLVM merges functions it finds identical into aliases, and the test should
//! compare instructions, not trust a merge.
//!
//! `export_name` gives each function a symbol the test finds in the
//! assembly, `probe_<name>`; `pub` keeps it in the output.
#![no_std]

#[cfg(feature = "typed")]
use addr_types::{GuestPhysAddr as Addr, MemoryAddr};
#[cfg(not(feature = "typed"))]
type Addr = usize;

/// One probe function: the typed body in the `typed` build, the raw one
/// otherwise; `both` when the same source text means both.
macro_rules! twins {
    ($(fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty {
        $(typed: $typed:expr, raw: $raw:expr,)?
        $(both: $both:expr,)?
    })*) => {$(
        #[export_name = concat!("probe_", stringify!($name))]
        pub fn $name($($arg: $ty),*) -> $ret {
            $(
                #[cfg(feature = "typed")]
                return $typed;
                #[cfg(not(feature = "typed"))]
                return $raw;
            )?
            $(return $both;)?
        }
    )*};
}

twins! {
    fn align_up_4k(addr: Addr) -> Addr {
        typed: addr.align_up_4k(),
        raw: memory_addr::align_up_4k(addr),
    }
    fn align_down_4k(addr: Addr) -> Addr {
        typed: addr.align_down_4k(),
        raw: memory_addr::align_down_4k(addr),
    }
    fn align_offset_4k(addr: Addr) -> usize {
        typed: addr.align_offset_4k(),
        raw: memory_addr::align_offset_4k(addr),
    }
    fn is_aligned_4k(addr: Addr) -> bool {
        typed: addr.is_aligned_4k(),
        raw: memory_addr::is_aligned_4k(addr),
    }
    fn align_up(addr: Addr, align: usize) -> Addr {
        typed: addr.align_up(align),
        raw: memory_addr::align_up(addr, align),
    }
    fn align_down(addr: Addr, align: usize) -> Addr {
        typed: addr.align_down(align),
        raw: memory_addr::align_down(addr, align),
    }
    fn is_aligned(addr: Addr, align: usize) -> bool {
        typed: addr.is_aligned(align),
        raw: memory_addr::is_aligned(addr, align),
    }
    fn add(addr: Addr, offset: usize) -> Addr {
        both: addr + offset,
    }
    fn sub(addr: Addr, offset: usize) -> Addr {
        both: addr - offset,
    }
    fn add_assign(addr: Addr, offset: usize) -> Addr {
        both: {
            let mut addr = addr;
            addr += offset;
            addr
        },
    }
    fn sub_assign(addr: Addr, offset: usize) -> Addr {
        both: {
            let mut addr = addr;
            addr -= offset;
            addr
        },
    }
    fn sub_addr(addr: Addr, base: Addr) -> usize {
        both: addr - base,
    }
    fn checked_add(addr: Addr, offset: usize) -> Option<Addr> {
        both: addr.checked_add(offset),
    }
    fn wrapping_add(addr: Addr, offset: usize) -> Addr {
        both: addr.wrapping_add(offset),
    }
    fn wrapping_sub_addr(addr: Addr, base: Addr) -> usize {
        typed: addr.wrapping_sub_addr(base),
        raw: addr.wrapping_sub(base),
    }
    fn lt(a: Addr, b: Addr) -> bool {
        both: a < b,
    }
    fn eq(a: Addr, b: Addr) -> bool {
        both: a == b,
    }
    fn from_into_round_trip(raw: usize) -> usize {
        typed: usize::from(Addr::from(raw)),
        raw: raw,
    }
    fn from_usize_as_usize(raw: usize) -> usize {
        typed: Addr::from_usize(raw).as_usize(),
        raw: raw,
    }
}
