//! (to be written by the x86_ept stream)
