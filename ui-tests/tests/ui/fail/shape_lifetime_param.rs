use addr_types::address;

#[address]
pub struct GuestPhysAddr<'a>(usize);

fn main() {}
