//! A `#[repr(transparent)]` the user writes is accepted and not repeated.
#![deny(warnings)]

use addr_types::address;

/// Guest physical address, its layout stated by the user.
#[repr(transparent)]
#[address(prefix = "GPA")]
pub struct GuestPhysAddr(usize);

fn main() {
    assert_eq!(
        core::mem::size_of::<GuestPhysAddr>(),
        core::mem::size_of::<usize>()
    );
    assert_eq!(
        core::mem::align_of::<GuestPhysAddr>(),
        core::mem::align_of::<usize>()
    );
    assert_eq!(GuestPhysAddr::from_usize(7).as_usize(), 7);
}
