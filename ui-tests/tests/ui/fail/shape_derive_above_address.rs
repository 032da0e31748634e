use addr_types::address;

// rustc expands attributes from the top: this derive runs first and
// `#[address]` never sees it, so `Clone` is implemented twice.
#[derive(Clone)]
#[address(prefix = "GPA")]
pub struct GuestPhysAddr(usize);

fn main() {}
