//! Integration tests of addr-types; see `tests/`.
