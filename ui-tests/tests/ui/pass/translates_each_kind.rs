//! Each address kind gives its type `FlushTlb` on the architecture being
//! built (the host here; the strict-lints crate in `ui-tests/src/lib.rs` is
//! linted for riscv64, aarch64 and x86_64 too). Nothing is flushed: the
//! instructions are privileged.

use addr_types::{address, FlushTlb};

#[address(prefix = "IPA", translates = "guest-physical")]
pub struct Ipa(usize);

#[address(prefix = "GVA", translates = "guest-virtual")]
pub struct Gva(usize);

#[address(prefix = "KVA", translates = "host-virtual")]
pub struct Kva(usize);

/// The function pointer a page table's flush hook would hold.
fn hook<A: FlushTlb>() -> fn(Option<A>) {
    A::flush_tlb
}

fn main() {
    // That these coerce is the proof; which instructions each runs is
    // checked by the emulator tests of tests/riscv, tests/aarch64 and
    // tests/x86_64, on `GuestPhysAddr`/`GuestVirtAddr`, made the same way.
    let _: (fn(Option<Ipa>), fn(Option<Gva>), fn(Option<Kva>)) = (hook(), hook(), hook());
}
