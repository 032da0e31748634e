use addr_types::address;

#[address(prefix = "GPA", serde)]
pub struct GuestPhysAddr(usize);

fn main() {}
