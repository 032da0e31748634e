//! Compile-fail and compile-pass tests of `#[address]`; see `tests/`.
