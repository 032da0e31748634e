//! `generation` picks whose `AddrRange` the alias is; without it, the
//! default generation's. Both hold in one crate.

use addr_types::address;

#[address(range = SeedRange, generation = memory_addr_04)]
pub struct Seed(usize);

#[address(range = CurrentRange)]
pub struct Current(usize);

#[address(range = ExplicitRange, generation = ax_memory_addr_07)]
pub struct Explicit(usize);

fn main() {
    let seed: memory_addr::AddrRange<Seed> = SeedRange::from_start_size(0x1000.into(), 0x1000);
    let current: addr_types::ax_memory_addr_07::AddrRange<Current> =
        CurrentRange::from_start_size(0x1000.into(), 0x1000);
    let explicit: addr_types::AddrRange<Explicit> =
        ExplicitRange::from_start_size(0x1000.into(), 0x1000);
    assert_eq!((seed.size(), current.size(), explicit.size()), (0x1000, 0x1000, 0x1000));
}
