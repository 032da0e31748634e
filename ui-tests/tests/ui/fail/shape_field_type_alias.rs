use addr_types::address;

// A macro sees tokens, not types: it cannot know that `Word` is `usize`.
type Word = usize;

#[address]
pub struct GuestPhysAddr(Word);

fn main() {}
