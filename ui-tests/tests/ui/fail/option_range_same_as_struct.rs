use addr_types::address;

#[address(range = GuestPhysAddr)]
pub struct GuestPhysAddr(usize);

fn main() {}
