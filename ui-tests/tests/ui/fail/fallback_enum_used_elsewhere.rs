// An item that is no tuple struct at all still gets the address API as
// stubs, so its uses elsewhere add no errors of their own: one error only.
use addr_types::address;

#[address(prefix = "GPA")]
#[derive(Clone, Copy)]
pub enum GuestPhysAddr {
    Low,
}

fn main() {
    let gpa = GuestPhysAddr::from_usize(0x8000_0000);
    let aligned = gpa.align_up_4k();
    let raw: usize = aligned.into();
    let next = gpa + 0x1000;
    assert!(gpa == next || gpa < next);
    println!("{gpa:?} {aligned:x} {raw} {next:X}");
    let _ = GuestPhysAddr::Low;
}
