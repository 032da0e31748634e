use addr_types::address;

#[address]
pub fn guest_phys_addr() -> usize {
    0x8000_0000
}

fn main() {
    let _ = guest_phys_addr();
}
