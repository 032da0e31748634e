use addr_types::address;

#[address]
#[derive(Clone, Debug)]
pub struct GuestPhysAddr(usize);

fn main() {}
