use addr_types::address;

#[address]
pub struct GuestPhysAddr<T: Copy>(usize);

fn main() {}
