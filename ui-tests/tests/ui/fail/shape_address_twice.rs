use addr_types::address;

#[address(prefix = "GPA")]
#[address(prefix = "GPA")]
pub struct GuestPhysAddr(usize);

fn main() {}
