use addr_types::{gpa, GuestPhysAddr, GuestVirtAddr};

fn map_guest_page(gva: GuestVirtAddr) -> usize {
    gva.as_usize()
}

fn main() {
    let gpa: GuestPhysAddr = gpa!(0x8000_0000);
    map_guest_page(gpa);
}
