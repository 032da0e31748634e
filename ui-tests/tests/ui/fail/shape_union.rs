use addr_types::address;

#[address]
pub union GuestPhysAddr {
    addr: usize,
}

fn main() {}
