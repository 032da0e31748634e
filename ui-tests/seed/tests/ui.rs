//! `#[address]` with only the seed era's generation built: a `range` alias
//! that names a generation whose feature is off is one error that says
//! what to write (`fail`), and the seed era's own alias builds (`pass`).
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test -p
//! addr-types-ui-seed` and read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
