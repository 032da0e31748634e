#!/usr/bin/env bash
# The README's test command: every test, the QEMU proof and the zero-cost
# check included (tests/README.md lists what each proves).
set -euo pipefail

cargo test --workspace
# The ui cases that need addr-types' `serde` feature (a user type deriving
# serde's traits itself beside `#[address(serde)]`), and the one that needs
# it off, are two suites: trybuild compiles them with the features of this
# crate, so each needs its own run.
cargo test -p addr-types-ui-tests --features serde
