use addr_types::address;

#[address]
pub struct GuestPhysAddr(u64);

fn main() {}
