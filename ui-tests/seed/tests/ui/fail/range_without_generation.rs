use addr_types::address;

// Without `generation`, the alias is the default generation's whatever
// features are on (so that it never changes meaning when another crate of
// the build enables one): here that generation is not built.
#[address(prefix = "GPA", range = GpaRange)]
pub struct Gpa(usize);

fn main() {}
