//! Derives the user writes below `#[address]`, by name or by path, are not
//! derived a second time (which would be a conflicting-impl error). A derive
//! above `#[address]` runs before it and cannot be seen by it: see
//! `fail/shape_derive_above_address.rs`.
#![deny(warnings)]

use std::collections::HashSet;

use addr_types::address;

/// Derives two of the generated traits by their prelude names.
#[address(prefix = "GPA")]
#[derive(Clone, Hash)]
pub struct GuestPhysAddr(usize);

/// Derives every generated trait, some by path, over two attributes.
#[address(prefix = "GVA")]
#[derive(Clone, Copy, Default, PartialEq, Eq)]
/// (This line keeps rustfmt from merging the two derives.)
#[derive(::core::cmp::PartialOrd, core::cmp::Ord, std::hash::Hash)]
pub struct GuestVirtAddr(usize);

fn main() {
    let gpa = GuestPhysAddr::from_usize(0x1000);
    let set: HashSet<GuestPhysAddr> = [gpa, gpa.clone(), gpa + 1].into_iter().collect();
    assert_eq!(set.len(), 2);
    let gvas = [GuestVirtAddr::from_usize(2), GuestVirtAddr::default()];
    assert_eq!(gvas.iter().max(), Some(&GuestVirtAddr::from_usize(2)));
    assert_eq!(format!("{:?}", gvas[1]), "GVA:0x0");
}
