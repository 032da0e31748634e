//! addr-types under another name, and no `crate = …`: the expansion finds
//! the rename in this crate's `Cargo.toml`, so `::addr_types` (which does
//! not exist here) is never named.
#![no_std]

/// An address type of a crate that calls addr-types `kernel_addr`.
#[kernel_addr::address(prefix = "K", range = KernelAddrRange, translates = "host-virtual")]
pub struct KernelAddr(usize);

#[cfg(test)]
mod tests {
    extern crate std;

    use super::{KernelAddr, KernelAddrRange};
    use kernel_addr::MemoryAddr;

    #[test]
    fn the_whole_api_works() {
        let addr = KernelAddr::from_usize(0x1000);
        assert_eq!(std::format!("{addr:?}"), "K:0x1000");
        assert_eq!(addr.align_up(0x2000usize).as_usize(), 0x2000);
        let range = KernelAddrRange::from_start_size(addr, 0x1000);
        assert_eq!(range.size(), 0x1000);
    }
}
