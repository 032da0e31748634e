use addr_types::address;

#[address]
pub struct GuestPhysAddr;

fn main() {}
