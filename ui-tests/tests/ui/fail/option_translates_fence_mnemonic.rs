use addr_types::address;

#[address(translates = "hfence.gvma")]
pub struct GuestPhysAddr(usize);

fn main() {}
