use addr_types::address;

#[address(prefix = "")]
pub struct GuestPhysAddr(usize);

fn main() {}
