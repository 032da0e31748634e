use addr_types::address;

#[address(range = "GuestPhysAddrRange")]
pub struct GuestPhysAddr(usize);

fn main() {}
