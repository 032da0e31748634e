//! Links the Bochs program at fixed addresses with `bochs.x`; the `vmx`
//! program, never run, keeps the target's defaults.

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    println!("cargo:rustc-link-arg-bin=vmexits=-T{dir}/bochs.x");
    println!("cargo:rustc-link-arg-bin=vmexits=--no-pie");
    println!("cargo:rerun-if-changed=bochs.x");
}
