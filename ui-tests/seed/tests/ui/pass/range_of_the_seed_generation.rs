//! The seed era's alias, with only its generation built: memory_addr 0.4's
//! `AddrRange`.

use addr_types::address;

#[address(prefix = "GPA", range = GpaRange, generation = memory_addr_04)]
pub struct Gpa(usize);

fn main() {
    let range: memory_addr::AddrRange<Gpa> = GpaRange::from_start_size(0x1000.into(), 0x1000);
    assert_eq!(range.size(), 0x1000);
}
