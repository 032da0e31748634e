//! The field keeps the visibility it was written with, and so does the
//! struct: `pub` here is readable and constructible from another module.
#![deny(warnings)]
mod hypervisor {
    use addr_types::address;

    /// Guest physical address with a public field.
    #[address(prefix = "GPA")]
    pub struct GuestPhysAddr(pub usize);

    /// Visible in the crate only, with a crate-visible field.
    #[address(prefix = "IPA", range = IpaRange)]
    pub(crate) struct IntermediatePhysAddr(pub(crate) usize);
}

use hypervisor::{GuestPhysAddr, IntermediatePhysAddr, IpaRange};

fn main() {
    let gpa = GuestPhysAddr(0x4000);
    assert_eq!(gpa.0, 0x4000);
    assert_eq!(gpa, GuestPhysAddr::from_usize(0x4000));
    let ipa = IntermediatePhysAddr(0x2000);
    let range: IpaRange = IpaRange::from_start_size(ipa, ipa.0);
    assert_eq!(range.end.0, 0x4000);
}
