use addr_types::address;

pub struct GuestPhysAddr(usize);

#[address]
impl GuestPhysAddr {}

fn main() {
    let _ = GuestPhysAddr(0);
}
