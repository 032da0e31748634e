//! Two-stage address translation on real page tables: a guest's page table
//! maps guest virtual to guest physical addresses, the hypervisor's nested
//! table maps those to host physical ones. Run with
//! `cargo run -p addr-types --example two_stage`.
//!
//! The types keep the stages apart: the guest table takes only
//! `GuestVirtAddr`s, the nested table only `GuestPhysAddr`s, and handing
//! either the other's address is a compile error instead of a wrong walk.

mod machine;

use machine::{Machine, Report};
use page_table_multiarch::PagingError;

fn main() -> Result<(), PagingError> {
    let machine = Machine::boot()?;
    print!("{}", Report(&machine));
    Ok(())
}
