#!/usr/bin/env python3
"""Swaps a client crate's own address definitions for a re-export of
addr-types, the way a maintainer adopting addr-types would, and fails loudly
when the file no longer has the shape this rewrite expects (a new release of
the client must be looked at, not silently half-rewritten).

usage: swap_address_block.py axaddrspace-0.3 DIR
       swap_address_block.py axvm-types-0.7.0-0.7.3 DIR   (ax-memory-addr 0.6)
       swap_address_block.py axvm-types-0.7.4- DIR        (ax-memory-addr 0.7)
"""

import re
import sys
from pathlib import Path

SEED_ADDR_RS = """\
//! The address types, from addr-types (the seed-era generation).

pub use addr_types::memory_addr_04::{
    GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange, HostPhysAddr,
    HostVirtAddr,
};
"""

# The same six names from the generation module of the client's own
# ax-memory-addr.
AXVM_TYPES_REEXPORT = """\
pub use addr_types::{generation}::{{
    GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange, HostPhysAddr,
    HostVirtAddr,
}};
"""


def replace_once(text: str, pattern: str, replacement: str, what: str) -> str:
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.S | re.M)
    if count != 1:
        sys.exit(f"swap_address_block: {what} not found; the client changed shape")
    return new


def axaddrspace_03(root: Path) -> None:
    addr = root / "src" / "addr.rs"
    if "def_usize_addr!" not in addr.read_text():
        sys.exit("swap_address_block: src/addr.rs has no def_usize_addr! block")
    addr.write_text(SEED_ADDR_RS)


def axvm_types_07(root: Path, generation: str) -> None:
    lib = root / "src" / "lib.rs"
    text = lib.read_text()
    text = replace_once(
        text,
        r"^use ax_memory_addr::\{[^}]*def_usize_addr[^}]*\};\n",
        "",
        "the `use ax_memory_addr::{…}` line",
    )
    text = replace_once(
        text,
        r"^/// Host virtual address\.\npub type HostVirtAddr = VirtAddr;\n\n"
        r"/// Host physical address\.\npub type HostPhysAddr = PhysAddr;\n",
        AXVM_TYPES_REEXPORT.format(generation=generation),
        "the host address aliases",
    )
    text = replace_once(
        text,
        r"^def_usize_addr! \{.*?^pub type GuestPhysAddrRange = AddrRange<GuestPhysAddr>;\n",
        "",
        "the guest address block (def_usize_addr! … GuestPhysAddrRange)",
    )
    lib.write_text(text)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rewrite = {
        "axaddrspace-0.3": axaddrspace_03,
        # axvm-types 0.7.0 to 0.7.3 use ax-memory-addr 0.6, 0.7.4 on 0.7;
        # the address block has the same shape in both.
        "axvm-types-0.7.0-0.7.3": lambda root: axvm_types_07(root, "ax_memory_addr_06"),
        "axvm-types-0.7.4-": lambda root: axvm_types_07(root, "ax_memory_addr_07"),
    }
    if sys.argv[1] not in rewrite:
        sys.exit(__doc__)
    rewrite[sys.argv[1]](Path(sys.argv[2]))


if __name__ == "__main__":
    main()
