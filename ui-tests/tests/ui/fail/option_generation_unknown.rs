use addr_types::address;

#[address(range = GpaRange, generation = memory_addr_05)]
pub struct Gpa(usize);

fn main() {}
