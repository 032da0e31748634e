use addr_types::address;

#[address]
pub enum GuestPhysAddr {
    Low,
    High,
}

fn main() {}
