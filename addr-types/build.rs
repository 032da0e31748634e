//! One probe: does the compiler know `#[diagnostic::on_unimplemented]`
//! (Rust 1.78) and `#[diagnostic::do_not_recommend]` (Rust 1.85)? With
//! them, the top-level names of a build without the default generation fail
//! with one message that names the module to use instead; without them (the
//! seed era is promised on Rust 1.71, which rejects the attributes), those
//! names are simply absent.

use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok());
    // `rustc 1.95.0 (…)`, `rustc 1.97.0-nightly (…)`: the minor version.
    let minor = version.as_deref().and_then(|version| {
        let mut parts = version.strip_prefix("rustc 1.")?.split('.');
        parts.next()?.parse::<u32>().ok()
    });
    // Cargo checks cfg names from Rust 1.80 on, and warns about the
    // declaration before.
    if minor.is_some_and(|minor| minor >= 80) {
        println!("cargo:rustc-check-cfg=cfg(addr_types_diagnostic_namespace)");
    }
    if minor.is_some_and(|minor| minor >= 85) {
        println!("cargo:rustc-cfg=addr_types_diagnostic_namespace");
    }
}
