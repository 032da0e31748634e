//! A reversed range in a const item is a compile error, as memory_addr's
//! `va_range!` panics at run time.
use addr_types::{gpa_range, GuestPhysAddrRange};

const RAM: GuestPhysAddrRange = gpa_range!(0x8800_0000..0x8000_0000);

fn main() {
    let _ = RAM;
}
