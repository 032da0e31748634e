use addr_types::address;

#[address("GPA")]
pub struct GuestPhysAddr(usize);

fn main() {}
