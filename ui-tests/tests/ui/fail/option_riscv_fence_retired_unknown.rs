use addr_types::address;

#[address(riscv_fence = "hfence.gvm")]
pub struct GuestPhysAddr(usize);

fn main() {}
