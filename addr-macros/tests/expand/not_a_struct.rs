fn f() {}
::core::compile_error!{
    "`#[address]` expects a tuple struct with one `usize` field, found another kind of item; write e.g. `pub struct GuestPhysAddr(usize);`"
}
