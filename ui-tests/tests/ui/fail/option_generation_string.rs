use addr_types::address;

#[address(range = GpaRange, generation = "memory_addr_04")]
pub struct Gpa(usize);

fn main() {}
