//! Addresses for property tests. Uniformly random `usize`s almost never land
//! where address arithmetic changes behaviour, so those values are drawn
//! often on purpose.

use proptest::prelude::*;

/// Zero, page boundaries, the sign bit and the top of the address space:
/// where alignment rounds, `+` overflows and `offset_from` stops fitting an
/// `isize`.
pub const EDGES: &[usize] = &[
    0,
    1,
    0xfff,
    0x1000,
    0x1001,
    0x20_0000,
    usize::MAX >> 1,
    (usize::MAX >> 1) + 1,
    usize::MAX - 0x1000,
    usize::MAX - 0xfff,
    usize::MAX - 1,
    usize::MAX,
];

/// Any `usize`, biased towards [`EDGES`], low memory and the top of memory.
pub fn any_address() -> impl Strategy<Value = usize> {
    prop_oneof![
        2 => any::<usize>(),
        1 => proptest::sample::select(EDGES),
        1 => 0..0x1_0000usize,
        1 => (usize::MAX - 0xffff)..=usize::MAX,
    ]
}
