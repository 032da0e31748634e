use addr_types::address;

#[address]
#[repr(C)]
pub struct GuestPhysAddr(usize);

fn main() {}
