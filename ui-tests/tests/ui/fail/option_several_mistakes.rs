use addr_types::address;

// Four independent mistakes: all four are reported by one compile.
#[address(
    prefx = "GPA",
    range = "GuestPhysAddrRange",
    riscv_fence = "sfence",
    crate = 1
)]
pub struct GuestPhysAddr(usize);

fn main() {}
