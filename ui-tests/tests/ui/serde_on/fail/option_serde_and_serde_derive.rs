//! Asking for the serde impls and deriving them too: one error, at `serde`,
//! instead of two conflicting impls.
use addr_types::address;

#[address(prefix = "GPA", serde)]
#[derive(serde::Serialize)]
pub struct GuestPhysAddr(usize);

fn main() {}
