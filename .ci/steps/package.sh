#!/usr/bin/env bash
# The published crates build from their packages. addr-types' crate docs
# include its README, a symlink to the workspace README: verifying the
# package proves the include (and the license files) survive packaging, as
# docs.rs will see them.
set -euo pipefail

cargo package -p addr-macros -p addr-types --allow-dirty
