//! The user's crate declares items named like everything the expansion
//! could refer to by a relative path: the glob import shadows the prelude's
//! `Option`, `Clone`, … and the extern prelude's `core` and `memory_addr`.
#![deny(warnings)]
#![allow(dead_code, non_camel_case_types)]

/// Items named like everything the expansion could name relatively.
macro_rules! decoys {
    () => {
        pub struct Option;
        pub struct Some;
        pub struct None;
        pub struct Result;
        pub struct Ok;
        pub struct Err;
        pub struct Default;
        pub struct From;
        pub struct Into;
        pub struct Clone;
        pub struct Copy;
        pub struct Ord;
        pub struct PartialEq;
        pub mod core {}
        pub mod fmt {}
        pub mod memory_addr {}
        pub mod addr_types {}
    };
}

mod decoys {
    decoys!();
    pub struct usize;
}

mod user {
    // Unused if and only if the expansion never resolves a name to a decoy.
    #[allow(unused_imports)]
    use super::decoys::*;
    use ::addr_types::address;

    /// Declared where every decoy is in scope.
    #[address(prefix = "GPA", range = GuestPhysAddrRange, translates = "guest-physical")]
    pub struct GuestPhysAddr(::core::primitive::usize);
}

/// Also as direct items of the module, which shadow without any glob.
mod direct {
    decoys!();

    /// Declared beside the decoys.
    #[::addr_types::address(prefix = "GVA")]
    pub struct GuestVirtAddr(usize);
}

use user::{GuestPhysAddr, GuestPhysAddrRange};

fn main() {
    let gpa = GuestPhysAddr::from(0x8000_0fff_usize).align_down_4k() + 0x10;
    let range = GuestPhysAddrRange::new(gpa, gpa + 0x20);
    assert_eq!(format!("{gpa:?}"), "GPA:0x80000010");
    assert_eq!(range.size(), 0x20);
    assert_eq!(gpa.align_up_4k() - gpa, 0xff0);
    assert_eq!(GuestPhysAddr::default().as_usize(), 0);
    assert_eq!(
        format!("{:x}", direct::GuestVirtAddr::from_usize(0xab)),
        "GVA:0xab"
    );
}
