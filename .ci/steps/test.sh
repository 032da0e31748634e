#!/usr/bin/env bash
# The README's test commands, exactly (its Quick start shows these lines):
# every test, the emulator proofs and the zero-cost check included
# (tests/README.md lists what each proves).
set -euo pipefail

commands=(
    "cargo test --workspace"
    # The ui cases that need addr-types' `serde` feature (a user type
    # deriving serde's traits itself beside `#[address(serde)]`): trybuild
    # compiles cases with the ui-tests crate's features, so they are a
    # suite of their own, the only one this run compiles
    # (ui-tests/tests/ui.rs).
    "cargo test -p addr-types-ui-tests --features serde"
)
quick_start=$(awk '/^## Quick start/ { s = 1 } s && /^```sh$/ { b = 1; next } b && /^```$/ { exit } b' README.md)
for command in "${commands[@]}"; do
    grep -qE "^$command( +#.*)?$" <<<"$quick_start" ||
        { echo "the README's Quick start does not show \`$command\`" >&2; exit 1; }
done
for command in "${commands[@]}"; do
    $command
done
