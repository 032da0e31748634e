use addr_types::address;

#[address(range = ranges::GuestPhysAddrRange)]
pub struct GuestPhysAddr(usize);

fn main() {}
