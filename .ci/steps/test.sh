#!/usr/bin/env bash
# The README's test command: every test, the QEMU proof and the zero-cost
# check included (tests/README.md lists what each proves).
set -euo pipefail

cargo test --workspace
