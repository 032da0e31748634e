use addr_types::GuestPhysAddr;

fn map_guest_frame(gpa: GuestPhysAddr) -> usize {
    gpa.as_usize()
}

fn main() {
    map_guest_frame(0x8000_0000);
}
