use addr_types::address;

#[address(prefx = "GPA")]
pub struct GuestPhysAddr(usize);

fn main() {}
