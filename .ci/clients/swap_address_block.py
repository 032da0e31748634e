#!/usr/bin/env python3
"""Swaps a client crate's own address definitions for a re-export of
addr-types, the way a maintainer adopting addr-types would, and fails loudly
when the file no longer has the shape this rewrite expects (a new release of
the client must be looked at, not silently half-rewritten).

usage: swap_address_block.py axaddrspace-0.3 DIR
       swap_address_block.py axvm-types-0.7 DIR
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

CURRENT_REEXPORT = """\
pub use addr_types::ax_memory_addr_07::{
    GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange, HostPhysAddr,
    HostVirtAddr,
};
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


def axvm_types_07(root: Path) -> None:
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
        CURRENT_REEXPORT,
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
    rewrite = {"axaddrspace-0.3": axaddrspace_03, "axvm-types-0.7": axvm_types_07}
    rewrite[sys.argv[1]](Path(sys.argv[2]))


if __name__ == "__main__":
    main()
