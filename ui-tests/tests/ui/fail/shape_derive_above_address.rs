use addr_types::address;

// rustc expands attributes from the top: this derive runs first and
// `#[address]` never sees it (the item it is handed starts at `pub`), so
// `Clone` is implemented twice. No hook reaches this error; the attribute
// reference ("Attribute order") explains it and says to put `#[address]`
// above the derives.
#[derive(Clone)]
#[address(prefix = "GPA")]
pub struct GuestPhysAddr(usize);

fn main() {}
