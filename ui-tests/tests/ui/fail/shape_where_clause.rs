use addr_types::address;

#[address]
pub struct GuestPhysAddr(usize)
where
    usize: Copy;

fn main() {}
