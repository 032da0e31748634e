//! The compile-time contract of `#[address]`: every misuse in `ui/fail` is
//! rejected with the message recorded beside it, and every use in `ui/pass`
//! compiles (and runs) cleanly.
//!
//! The `.stderr` files are rustc's exact output under the toolchain pinned in
//! `rust-toolchain.toml`. After an intended change to a message, regenerate
//! them with `TRYBUILD=overwrite cargo test -p addr-types-ui-tests` and read
//! the diff.
//!
//! `#[address(serde)]` depends on addr-types' `serde` feature, which this
//! crate's `serde` feature turns on: run the suite both with and without
//! `--features serde`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
    if cfg!(feature = "serde") {
        cases.pass("tests/ui/serde_on/pass/*.rs");
        cases.compile_fail("tests/ui/serde_on/fail/*.rs");
    } else {
        cases.compile_fail("tests/ui/serde_off/*.rs");
    }
}
