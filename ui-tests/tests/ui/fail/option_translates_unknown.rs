use addr_types::address;

#[address(translates = "guest-phys")]
pub struct GuestPhysAddr(usize);

fn main() {}
