//! The field may name `usize` by any of its paths from `core`.
#![deny(warnings)]

use addr_types::address;

/// Written `usize`.
#[address]
pub struct Plain(usize);

/// Written `core::primitive::usize`.
#[address]
pub struct Relative(core::primitive::usize);

/// Written `::core::primitive::usize`.
#[address]
pub struct Absolute(::core::primitive::usize);

fn main() {
    assert_eq!(format!("{:?}", Plain::from_usize(1)), "Plain:0x1");
    assert_eq!(format!("{:?}", Relative::from_usize(2)), "Relative:0x2");
    assert_eq!(format!("{:?}", Absolute::from_usize(3)), "Absolute:0x3");
}
