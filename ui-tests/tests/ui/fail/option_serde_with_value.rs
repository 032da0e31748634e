use addr_types::address;

#[address(serde = true)]
pub struct GuestPhysAddr(usize);

fn main() {}
