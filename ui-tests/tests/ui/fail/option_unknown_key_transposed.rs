use addr_types::address;

#[address(rnage = GuestPhysAddrRange)]
pub struct GuestPhysAddr(usize);

fn main() {}
