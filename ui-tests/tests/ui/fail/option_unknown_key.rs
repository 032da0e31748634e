use addr_types::address;

#[address(color = "red")]
pub struct GuestPhysAddr(usize);

fn main() {}
