//! (to be written by the riscv_sv39x4 stream)
