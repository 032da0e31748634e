//! The const arithmetic panics as `MemoryAddr::add` does, which in a const
//! item is a compile error.
use addr_types::{gpa, GuestPhysAddr};

const LAST: GuestPhysAddr = gpa!(usize::MAX).add(1);

fn main() {
    let _ = LAST;
}
