use addr_types::address;

#[address]
pub mod guest {
    pub struct GuestPhysAddr(pub usize);
}

fn main() {
    let _ = guest::GuestPhysAddr(0);
}
