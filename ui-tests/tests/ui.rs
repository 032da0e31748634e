//! The compile-time contract of `#[address]`: every misuse in `ui/fail` is
//! rejected with the message recorded beside it, and every use in `ui/pass`
//! compiles (and runs) cleanly.
//!
//! The `.stderr` files are rustc's exact output under the toolchain pinned in
//! `rust-toolchain.toml`. After an intended change to a message, regenerate
//! them with `TRYBUILD=overwrite cargo test -p addr-types-ui-tests` (and
//! again with `--features serde`) and read the diff.
//!
//! trybuild compiles the cases with this crate's features, and
//! `#[address(serde)]` depends on addr-types' `serde` feature, which this
//! crate's `serde` feature turns on. So the suites split by feature, and
//! each case compiles in one run only: without the feature, `ui/fail`,
//! `ui/pass` and `ui/serde_off` (the error without the feature); with it,
//! `ui/serde_on` alone. CI runs both (`.ci/steps/test.sh`).

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    if cfg!(feature = "serde") {
        cases.pass("tests/ui/serde_on/pass/*.rs");
        cases.compile_fail("tests/ui/serde_on/fail/*.rs");
    } else {
        cases.compile_fail("tests/ui/fail/*.rs");
        cases.pass("tests/ui/pass/*.rs");
        cases.compile_fail("tests/ui/serde_off/*.rs");
    }
}
