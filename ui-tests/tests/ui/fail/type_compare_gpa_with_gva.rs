use addr_types::{gpa, gva};

fn main() {
    let _ = gpa!(0x1000) == gva!(0x1000);
}
