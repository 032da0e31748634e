//! A private address type whose generated API is mostly unused: the crate
//! denies warnings, and `dead_code` explicitly because trybuild allows it on
//! the command line, so an unused generated method would fail this case.
#![deny(warnings, dead_code)]

use addr_types::address;

/// Only constructed and printed; every other generated item goes unused.
#[address(prefix = "IOVA", range = IoVirtAddrRange)]
struct IoVirtAddr(usize);

fn main() {
    println!("{:?}", IoVirtAddr(0x1000));
}
