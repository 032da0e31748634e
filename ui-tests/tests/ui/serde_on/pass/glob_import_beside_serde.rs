//! `use addr_types::*;` beside the serde crate, with addr-types' `serde`
//! feature on: no name of addr-types makes `serde::…` ambiguous.
#![deny(warnings)]

use addr_types::*;

#[derive(serde::Serialize, serde::Deserialize)]
struct Region {
    start: GuestPhysAddr,
    #[serde(with = "addr_types::serde_field::phys")]
    host: HostPhysAddr,
}

fn main() {
    let region = Region {
        start: gpa!(0x8000_0000),
        host: hpa!(0x9000_0000),
    };
    let _ = (region.start, region.host);
}
