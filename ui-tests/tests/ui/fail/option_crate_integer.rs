use addr_types::address;

#[address(crate = 1)]
pub struct GuestPhysAddr(usize);

fn main() {}
