//! The top-level names of a build without the default generation (say,
//! `default-features = false, features = ["memory-addr-04"]`): each stands
//! for the default generation's item and fails where it is used, once, with
//! a message that names the module to use instead. Without them, rustc
//! reports the name as missing and suggests enabling `ax-memory-addr-07`,
//! which would give the crate another generation's types.
//!
//! They exist only where the default generation is off, so they never
//! change what a name means in a build that has it; and only on compilers
//! with `#[diagnostic::on_unimplemented]` and `do_not_recommend` (see
//! build.rs). Behind the error,
//! each reads as an enabled generation's item, so that rustc reports the
//! one mistake and not a cascade of unknown methods; no program that uses
//! them compiles, so no program sees that.

#[cfg(all(feature = "ax-memory-addr-06", not(feature = "memory-addr-04")))]
use crate::ax_memory_addr_06 as enabled;
#[cfg(feature = "memory-addr-04")]
use crate::memory_addr_04 as enabled;

/// `$item` with the message of every use of a placeholder: one row per
/// combination of generations (`cfg`, message, what to name instead).
macro_rules! message_of_the_default_generation {
    ($item:item) => {
        message_of_the_default_generation! {
            $item,
            [all(feature = "memory-addr-04", not(feature = "ax-memory-addr-06"))]
            "addr-types' top-level names are the default generation's (feature `ax-memory-addr-07`), and this build has only `memory-addr-04`"
            "name the seed era's instead: `addr_types::memory_addr_04::…`, or `use addr_types::memory_addr_04::prelude::*;` for its types, traits and macros",
            [all(feature = "ax-memory-addr-06", not(feature = "memory-addr-04"))]
            "addr-types' top-level names are the default generation's (feature `ax-memory-addr-07`), and this build has only `ax-memory-addr-06`"
            "name ax-memory-addr 0.6's instead: `addr_types::ax_memory_addr_06::…`, or `use addr_types::ax_memory_addr_06::prelude::*;` for its types, traits and macros",
            [all(feature = "ax-memory-addr-06", feature = "memory-addr-04")]
            "addr-types' top-level names are the default generation's (feature `ax-memory-addr-07`), and this build has only `ax-memory-addr-06` and `memory-addr-04`"
            "name the generation's module instead: `addr_types::ax_memory_addr_06::…` or `addr_types::memory_addr_04::…` (each has a `prelude`)"
        }
    };
    ($item:item, $([$($cfg:tt)*] $message:literal $note:literal),*) => {
        $(
            #[cfg_attr(
                $($cfg)*,
                diagnostic::on_unimplemented(
                    message = $message,
                    label = "the default generation's",
                    note = $note
                )
            )]
        )*
        $item
    };
}

/// Implemented by nothing: every placeholder needs it.
#[doc(hidden)]
pub trait DefaultGenerationOnly {}

/// What every placeholder is asked of.
#[doc(hidden)]
pub enum Tag {}

/// A placeholder: `$name` is an enabled generation's item, reached through
/// an impl of `$lookup` whose bound nothing meets, so that each use fails
/// with `$lookup`'s message (`do_not_recommend`: not the bound's) and
/// nothing else.
macro_rules! placeholder {
    ($name:ident, $lookup:ident) => {
        message_of_the_default_generation! {
            #[doc(hidden)]
            pub trait $lookup {
                type Item: ?Sized;
            }
        }

        #[diagnostic::do_not_recommend]
        impl<T: DefaultGenerationOnly> $lookup for (T,) {
            type Item = enabled::$name;
        }

        #[doc(hidden)]
        pub type $name = <(Tag,) as $lookup>::Item;
    };
    ($name:ident<A>, $lookup:ident) => {
        message_of_the_default_generation! {
            #[doc(hidden)]
            pub trait $lookup {
                type Item: ?Sized;
            }
        }

        #[diagnostic::do_not_recommend]
        impl<A: enabled::MemoryAddr, T: DefaultGenerationOnly> $lookup for (A, T) {
            type Item = enabled::$name<A>;
        }

        #[doc(hidden)]
        pub type $name<A> = <(A, Tag) as $lookup>::Item;
    };
}

placeholder!(AddrRange<A>, AddrRangeOf);
placeholder!(GuestPhysAddrRange, GuestPhysAddrRangeOf);
placeholder!(GuestVirtAddrRange, GuestVirtAddrRangeOf);
placeholder!(HostPhysAddr, HostPhysAddrOf);
placeholder!(HostPhysAddrRange, HostPhysAddrRangeOf);
placeholder!(HostVirtAddr, HostVirtAddrOf);
placeholder!(HostVirtAddrRange, HostVirtAddrRangeOf);
placeholder!(PageIter1G<A>, PageIter1GOf);
placeholder!(PageIter2M<A>, PageIter2MOf);
placeholder!(PageIter4K<A>, PageIter4KOf);
placeholder!(PhysAddr, PhysAddrOf);
placeholder!(VirtAddr, VirtAddrOf);

// `PageIter<PAGE_SIZE, A>`'s placeholder, whose const parameter the macro
// does not take.
message_of_the_default_generation! {
    #[doc(hidden)]
    pub trait PageIterOf<const PAGE_SIZE: usize> {
        type Item: ?Sized;
    }
}

#[diagnostic::do_not_recommend]
impl<const PAGE_SIZE: usize, A: enabled::MemoryAddr, T: DefaultGenerationOnly> PageIterOf<PAGE_SIZE>
    for (A, T)
{
    type Item = enabled::PageIter<PAGE_SIZE, A>;
}

#[doc(hidden)]
pub type PageIter<const PAGE_SIZE: usize, A> = <(A, Tag) as PageIterOf<PAGE_SIZE>>::Item;

message_of_the_default_generation! {
    /// The placeholder of the default generation's `MemoryAddr`: a bound on
    /// it fails with the same message where it is met, and the methods of
    /// the enabled generation's keep the bound's users free of other
    /// errors.
    #[doc(hidden)]
    pub trait MemoryAddr: enabled::MemoryAddr {}
}

/// The placeholder of the default generation's prelude: the placeholders,
/// and the names every generation shares.
#[doc(hidden)]
pub mod prelude {
    pub use super::{
        GuestPhysAddrRange, GuestVirtAddrRange, HostPhysAddr, HostPhysAddrRange, HostVirtAddr,
        HostVirtAddrRange, MemoryAddr,
    };
    pub use crate::{gpa, gpa_range, gva, gva_range, hpa, hva};
    pub use crate::{AddrRangeExt, FlushTlb, GuestPhysAddr, GuestVirtAddr};
}
