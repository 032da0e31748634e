use addr_types::address;

#[address(riscv_fence = hfence_gvma)]
pub struct GuestPhysAddr(usize);

fn main() {}
