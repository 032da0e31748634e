use addr_types::address;

// A generation named explicitly whose addr-types feature is off.
#[address(range = GpaRange, generation = ax_memory_addr_07)]
pub struct Gpa(usize);

fn main() {}
