use addr_types::address;

#[address]
pub struct GuestPhysAddr {
    addr: usize,
}

fn main() {}
