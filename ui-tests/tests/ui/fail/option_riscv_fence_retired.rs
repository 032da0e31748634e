//! The retired option is one error naming its replacement; the expansion
//! goes on as if `translates = "guest-physical"` had been written.
use addr_types::address;

#[address(prefix = "GPA", riscv_fence = "hfence.gvma")]
pub struct GuestPhysAddr(usize);

fn main() {
    let _ = GuestPhysAddr::from_usize(0x1000);
}
