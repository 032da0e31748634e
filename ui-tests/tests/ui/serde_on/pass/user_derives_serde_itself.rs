//! With addr-types' `serde` feature on, a type that derives serde's traits
//! itself gets no second impl: `#[address]` adds them only when asked.
#![deny(warnings)]

use addr_types::address;
use serde::{Deserialize, Serialize};

/// An address the user serializes as a plain integer, in their own way.
#[address(prefix = "MMIO")]
#[derive(Serialize, Deserialize)]
pub struct MmioAddr(usize);

/// An address that asks for addr-types' impls.
#[address(prefix = "GPA", serde)]
pub struct GuestPhysAddr(usize);

fn main() {
    fn is_serde<T: Serialize + for<'de> Deserialize<'de>>() {}
    is_serde::<MmioAddr>();
    is_serde::<GuestPhysAddr>();
}
