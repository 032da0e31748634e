//! (to be written by the aarch64_stage2 stream)
