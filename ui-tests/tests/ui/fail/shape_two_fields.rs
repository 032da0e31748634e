use addr_types::address;

#[address]
pub struct GuestPhysAddr(usize, usize);

fn main() {}
