use addr_types::gpa;

fn main() {
    // An address plus an offset is an address; an address plus an address
    // means nothing.
    let _ = gpa!(0x8000_0000) + gpa!(0x1000);
}
