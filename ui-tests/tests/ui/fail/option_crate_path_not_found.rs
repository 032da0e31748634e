use addr_types::address;

// `crate = ...` names a path that does not exist: one error, on that path.
#[address(crate = crate::kernel::addr_types)]
pub struct GuestPhysAddr(usize);

fn main() {}
