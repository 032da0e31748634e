use addr_types::address;

#[address(prefix = "GPA", generation = memory_addr_04)]
pub struct Gpa(usize);

fn main() {}
