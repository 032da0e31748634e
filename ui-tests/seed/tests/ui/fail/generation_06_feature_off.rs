use addr_types::address;

// ax-memory-addr 0.6's generation, named, with its feature off: the same
// one error as for any generation.
#[address(range = GpaRange, generation = ax_memory_addr_06)]
pub struct Gpa(usize);

fn main() {}
