use addr_types::address;

// The field is not a `usize`: that is the one error. The uses below name the
// API `#[address]` would have generated and must not add errors of their own.
#[address(prefix = "GPA")]
pub struct GuestPhysAddr(u32);

fn main() {
    let gpa = GuestPhysAddr::from_usize(0x1000);
    let next = gpa + 0x1000;
    let raw: usize = next.into();
    println!("{gpa:?} {:#x} {}", raw, gpa.align_down_4k().as_usize());
}
