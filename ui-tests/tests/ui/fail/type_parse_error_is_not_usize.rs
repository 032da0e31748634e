//! `FromStr`'s error is addr-types' `ParseAddrError`, not an integer's.
use addr_types::GuestPhysAddr;

fn main() {
    let _: Result<GuestPhysAddr, core::num::ParseIntError> = "0x1000".parse();
}
