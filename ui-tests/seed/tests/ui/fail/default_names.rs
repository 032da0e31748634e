//! The default generation's names with only `memory-addr-04` enabled, as a
//! crate of the seed era writes them by mistake: each use fails once,
//! naming the module of the seed era, and nothing else fails.
use addr_types::{prelude::*, HostPhysAddr};

pub fn root() -> HostPhysAddr {
    HostPhysAddr::from_usize(0x8020_0000)
}

pub struct Ram {
    pub range: GuestPhysAddrRange,
}

pub fn aligned<A: MemoryAddr>(addr: A) -> bool {
    addr.is_aligned_4k()
}

fn main() {
    let _ = aligned(gpa!(0x1000));
}
