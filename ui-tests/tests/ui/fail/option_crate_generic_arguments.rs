use addr_types::address;

// A path with generic arguments is no module: one error, on the arguments,
// rather than one per place the expansion names the runtime through it.
#[address(crate = addr_types::<u8>::reexport)]
pub struct GuestPhysAddr(usize);

fn main() {}
