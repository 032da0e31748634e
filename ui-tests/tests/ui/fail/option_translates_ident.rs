use addr_types::address;

#[address(translates = guest_physical)]
pub struct GuestPhysAddr(usize);

fn main() {}
