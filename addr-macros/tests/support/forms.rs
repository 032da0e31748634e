// The manifest forms of a dependency on addr-types that the renamed-crate
// lookup must read as cargo does: one member crate per form in one
// workspace, so that one `cargo check` proves them all. Read by the
// lookup's unit tests (`src/manifest.rs`, which check the name it finds)
// and by `tests/manifest_forms.rs` (which builds them).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// One member crate: how its manifest declares addr-types, and the name the
/// lookup must find.
pub struct Form {
    pub name: &'static str,
    /// The manifest after `[package]`; `{addr_types}` and `{addr_macros}`
    /// stand for the paths of those crates, as TOML literal strings.
    pub dependencies: &'static str,
    /// The name the expansion must use, `None` for `::addr_types`.
    pub renamed: Option<&'static str>,
    /// Where `#[address]` is used: `Lib`, or only where the dependency is
    /// visible.
    pub used_in: UsedIn,
}

/// Which target of the member crate expands `#[address]`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum UsedIn {
    Lib,
    /// A `#[cfg(test)]` module: a dev-dependency.
    Tests,
    /// `build.rs`: a build-dependency.
    BuildScript,
    /// Nowhere: the form is for the lookup only (it names no usable crate).
    Nowhere,
}

/// The root manifest's `[workspace.dependencies]`, for the forms that
/// inherit.
pub const WORKSPACE_DEPENDENCIES: &str = "
[workspace.dependencies]
ws-addr = { package = \"addr-types\", path = {addr_types} }
addr-types = { path = {addr_types} }
";

pub const FORMS: &[Form] = &[
    Form {
        name: "single_quoted",
        dependencies: "[dependencies]\nk_single = { package = 'addr-types', path = {addr_types} }\n",
        renamed: Some("k_single"),
        used_in: UsedIn::Lib,
    },
    Form {
        name: "comment_after_header",
        dependencies: "[dependencies] # the address types, renamed\nk_comment = { package = \"addr-types\", path = {addr_types} }\n",
        renamed: Some("k_comment"),
        used_in: UsedIn::Lib,
    },
    Form {
        name: "inline_table_over_lines",
        dependencies: "[dependencies]\nk_lines = {\n    package = \"addr-types\",\n    path = {addr_types},\n}\n",
        renamed: Some("k_lines"),
        used_in: UsedIn::Lib,
    },
    Form {
        name: "dotted_keys_with_comment",
        dependencies: "[dependencies]\nk_dotted.package = \"addr-types\" # renamed\nk_dotted.path = {addr_types} # here\n",
        renamed: Some("k_dotted"),
        used_in: UsedIn::Lib,
    },
    Form {
        name: "look_alike_in_a_string",
        dependencies: "description = \"\"\"\n[dependencies]\naddr-types = \"0.1\"\nother = { package = \"addr-types\" }\n\"\"\"\n\n[dependencies]\nk_string = { package = \"addr-types\", path = {addr_types} }\n",
        renamed: Some("k_string"),
        used_in: UsedIn::Lib,
    },
    Form {
        name: "target_table",
        dependencies: "[target.'cfg(all())'.dependencies]\nk_target = { package = \"addr-types\", path = {addr_types} }\n",
        renamed: Some("k_target"),
        used_in: UsedIn::Lib,
    },
    Form {
        name: "dev_only",
        dependencies: "[dev-dependencies]\nk_dev = { package = \"addr-types\", path = {addr_types} }\n",
        renamed: Some("k_dev"),
        used_in: UsedIn::Tests,
    },
    Form {
        name: "build_dependency",
        dependencies: "[build-dependencies]\nk_build = { package = \"addr-types\", path = {addr_types} }\n",
        renamed: Some("k_build"),
        used_in: UsedIn::BuildScript,
    },
    Form {
        name: "dependency_table",
        dependencies: "[dependencies.k-table]\npackage = \"addr-types\"\npath = {addr_types}\n",
        renamed: Some("k_table"),
        used_in: UsedIn::Lib,
    },
    Form {
        name: "inherited_dotted",
        dependencies: "[dependencies]\nws-addr.workspace = true\n",
        renamed: Some("ws_addr"),
        used_in: UsedIn::Lib,
    },
    Form {
        name: "inherited_inline",
        dependencies: "[dependencies]\nws-addr = { workspace = true }\n",
        renamed: Some("ws_addr"),
        used_in: UsedIn::Lib,
    },
    Form {
        name: "inherited_unrenamed",
        dependencies: "[dependencies]\naddr-types.workspace = true\n",
        renamed: None,
        used_in: UsedIn::Lib,
    },
    Form {
        name: "unrenamed",
        dependencies: "[dependencies]\naddr-types = { path = {addr_types} } # [dependencies] k = { package = \"addr-types\" }\n",
        renamed: None,
        used_in: UsedIn::Lib,
    },
    Form {
        name: "another_package",
        dependencies: "[dependencies]\nk_macros = { package = \"addr-macros\", path = {addr_macros} }\n",
        renamed: None,
        used_in: UsedIn::Nowhere,
    },
    Form {
        name: "package_key_outside_dependencies",
        dependencies: "[features]\npackage = []\n\n[package.metadata.k]\npackage = \"addr-types\"\n",
        renamed: None,
        used_in: UsedIn::Nowhere,
    },
];

/// The manifest of `form`'s member, naming addr-types at `addr_types`
/// (and addr-macros beside it).
pub fn manifest(form: &Form, addr_types: &Path) -> String {
    let addr_macros = addr_types.with_file_name("addr-macros");
    let dependencies = form
        .dependencies
        .replace("{addr_types}", &toml_path(addr_types))
        .replace("{addr_macros}", &toml_path(&addr_macros));
    let lib = match form.used_in {
        UsedIn::BuildScript => "build = \"build.rs\"\n",
        _ => "",
    };
    format!(
        "[package]\nname = \"form-{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n{lib}{dependencies}",
        form.name.replace('_', "-")
    )
}

/// The source that expands `#[address]` through `form`'s name for
/// addr-types, with every option that names the runtime.
fn address_type(form: &Form) -> String {
    let krate = form.renamed.unwrap_or("addr_types");
    format!(
        "#[{krate}::address(prefix = \"K\", range = KRange, translates = \"host-virtual\")]\n\
         pub struct K(usize);\n\n\
         /// The alias and the inherent API resolve.\n\
         pub const FIRST: KRange = KRange {{ start: K::from_usize(0x1000), end: K::from_usize(0x2000) }};\n"
    )
}

/// Writes the workspace of every form under `dir` (which it creates), and
/// returns each member's directory, in the order of [`FORMS`].
pub fn write_workspace(dir: &Path, addr_types: &Path) -> Vec<PathBuf> {
    let mut members = String::new();
    let mut dirs = Vec::new();
    for form in FORMS {
        let member = dir.join(form.name);
        fs::create_dir_all(member.join("src")).unwrap();
        write_if_changed(&member.join("Cargo.toml"), &manifest(form, addr_types));
        let (lib, build) = match form.used_in {
            UsedIn::Lib => (address_type(form), None),
            UsedIn::Tests => (
                format!(
                    "#[cfg(test)]\nmod tests {{\n{}\n    #[test]\n    fn first() {{ assert_eq!(FIRST.start.as_usize(), 0x1000); }}\n}}\n",
                    address_type(form)
                ),
                None,
            ),
            UsedIn::BuildScript => (
                String::new(),
                Some(format!(
                    "{}\nfn main() {{ assert_eq!(FIRST.start.as_usize(), 0x1000); }}\n",
                    address_type(form)
                )),
            ),
            UsedIn::Nowhere => (String::new(), None),
        };
        write_if_changed(
            &member.join("src/lib.rs"),
            &format!("//! A manifest form.\n{lib}"),
        );
        if let Some(build) = build {
            write_if_changed(&member.join("build.rs"), &build);
        }
        let _ = writeln!(members, "    {:?},", form.name);
        dirs.push(member);
    }
    let root = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [\n{members}]\n{}",
        WORKSPACE_DEPENDENCIES.replace("{addr_types}", &toml_path(addr_types))
    );
    write_if_changed(&dir.join("Cargo.toml"), &root);
    dirs
}

/// Writes `text` unless the file holds it already: an unchanged file keeps
/// its modification time, and cargo its build.
pub fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap();
    }
}

/// A path as a TOML literal string.
pub fn toml_path(path: &Path) -> String {
    format!("'{}'", path.display())
}
