use addr_types::address;

// The same in a string: the error is on the string.
#[address(crate = "addr_types<u8>")]
pub struct GuestPhysAddr(usize);

fn main() {}
