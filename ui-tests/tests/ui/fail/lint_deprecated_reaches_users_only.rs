#![deny(deprecated)]

use addr_types::address;

// The expansion itself uses `OldAddr` everywhere and is silent; the user's
// own uses of the type and of its range alias are what `deprecated` is for.
#[deprecated = "use `GuestPhysAddr`"]
#[address(prefix = "OLD", range = OldAddrRange, translates = "guest-physical")]
pub struct OldAddr(usize);

fn main() {
    let _ = OldAddr::from_usize(0x1000);
    let _: Option<OldAddrRange> = None;
}
