//! A crate that enables only addr-types' `memory-addr-04` feature: the
//! default generation's top-level names (`HostPhysAddr`, `prelude`,
//! `hpa!(addr)`, …) fail where they are used, with one message each that
//! names `addr_types::memory_addr_04::…`, not rustc's "gated behind the
//! `ax-memory-addr-07` feature", which would hand the crate another
//! generation's types; the seed era's own names work.
//!
//! Regenerate the `.stderr` files after an intended change with
//! `TRYBUILD=overwrite cargo test -p addr-types-seed-only-ui-tests`, and read
//! the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
