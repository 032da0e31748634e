//! What a call did, panics included: both sides of a comparison must panic
//! on the same inputs, with the same message, so a panic is data here.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while [`outcome`] runs its closure. An expected panic must not
    /// print: with thousands of them per run, the output of a real failure
    /// would drown, and `RUST_BACKTRACE=1` would capture a backtrace each time.
    static EXPECTING_PANIC: Cell<bool> = const { Cell::new(false) };
}

/// The value a call returned, or the message it panicked with.
pub type Outcome<T> = Result<T, String>;

/// Runs `call`, catching a panic as `Err(message)`.
pub fn outcome<T>(call: impl FnOnce() -> T) -> Outcome<T> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        // Panics outside `outcome` (failed assertions) still reach the
        // default hook, which the test harness captures per test.
        let default_hook = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !EXPECTING_PANIC.with(Cell::get) {
                default_hook(info);
            }
        }));
    });
    let outer = EXPECTING_PANIC.with(|flag| flag.replace(true));
    // The calls under test take and return plain values; nothing they could
    // leave half-updated is observed after a panic.
    let result = panic::catch_unwind(AssertUnwindSafe(call));
    EXPECTING_PANIC.with(|flag| flag.set(outer));
    result.map_err(|payload| message(payload.as_ref()))
}

fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "<a panic payload that is not a string>".to_owned()
    }
}
