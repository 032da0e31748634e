//! The `const` bodies of the generated inherent methods: memory_addr's 4K
//! helpers and `add`/`sub`/`sub_addr`, written out over `usize` so that the
//! guest types need no generation, and one copy serves every address type.

/// `align_down_4k`.
#[inline]
#[must_use]
pub const fn align_down_4k(addr: usize) -> usize {
    addr & !(crate::PAGE_SIZE_4K - 1)
}

/// `align_up_4k`; overflows (a panic in debug builds) past the last page,
/// as memory_addr's does.
#[inline]
#[must_use]
pub const fn align_up_4k(addr: usize) -> usize {
    (addr + crate::PAGE_SIZE_4K - 1) & !(crate::PAGE_SIZE_4K - 1)
}

/// `align_offset_4k`.
#[inline]
#[must_use]
pub const fn align_offset_4k(addr: usize) -> usize {
    addr & (crate::PAGE_SIZE_4K - 1)
}

/// `is_aligned_4k`.
#[inline]
#[must_use]
pub const fn is_aligned_4k(addr: usize) -> bool {
    align_offset_4k(addr) == 0
}

/// `as_u64`: lossless, `usize` being at most 64 bits on every target Rust
/// supports.
#[inline]
#[must_use]
#[allow(clippy::cast_possible_truncation)]
pub const fn usize_to_u64(addr: usize) -> u64 {
    addr as u64
}

/// `MemoryAddr::add`.
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

/// `MemoryAddr::sub`.
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

/// `MemoryAddr::sub_addr`.
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
