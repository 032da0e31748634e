use addr_types::address;

#[address(prefix = "GPA", prefix = "HPA")]
pub struct GuestPhysAddr(usize);

fn main() {}
