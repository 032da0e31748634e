//! The seed era alone (`default-features = false, features =
//! ["memory-addr-04"]`): the cases in `tests/ui` check what `#[address]`
//! says and builds when the default generation's feature is off.
#![no_std]
