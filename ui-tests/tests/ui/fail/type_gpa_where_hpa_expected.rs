use addr_types::{gpa, GuestPhysAddr, HostPhysAddr};

fn map_frame(hpa: HostPhysAddr) -> usize {
    hpa.as_usize()
}

fn main() {
    let gpa: GuestPhysAddr = gpa!(0x8000_0000);
    map_frame(gpa);
}
