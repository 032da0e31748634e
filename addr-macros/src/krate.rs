//! Where addr-types is: the `crate = …` option, else the user's manifest.
//!
//! A crate that depends on addr-types under another name
//! (`kernel_addr = { package = "addr-types", … }`) has no `::addr_types`.
//! Rather than fail with "could not find `addr_types`", the expansion reads
//! the crate's `Cargo.toml` and uses the renamed dependency when it is the
//! only way addr-types is reached. The scan is deliberately small (no TOML
//! parser: it would cost every build of the macro more than it saves): it
//! understands `name = { package = "addr-types", … }`,
//! `name.package = "addr-types"` and `[dependencies.name]` tables, and
//! falls back to `::addr_types` whenever it is unsure.

use std::path::Path;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens};

use crate::options::AddressOptions;

/// `<crate>::__private`: every runtime item of the expansion is reached
/// through it.
pub(crate) fn runtime_path(options: &AddressOptions) -> TokenStream {
    let krate = match &options.krate {
        Some(path) => path.to_token_stream(),
        None => renamed_in_manifest().map_or_else(
            || quote!(::addr_types),
            |name| {
                let name = Ident::new(&name, Span::call_site());
                quote!(::#name)
            },
        ),
    };
    quote!(#krate::__private)
}

/// The renamed addr-types dependency of the crate being compiled, if any.
fn renamed_in_manifest() -> Option<String> {
    // addr-types names itself `addr_types` (`extern crate self as …`).
    if std::env::var("CARGO_PKG_NAME").ok()? == "addr-types" {
        return None;
    }
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let manifest = std::fs::read_to_string(Path::new(&dir).join("Cargo.toml")).ok()?;
    // Never `Ident::new` on something that is no identifier: it panics.
    renamed_dependency(&manifest).filter(|name| syn::parse_str::<Ident>(name).is_ok())
}

const PACKAGE: &str = "addr-types";

fn is_addr_types(name: &str) -> bool {
    name == "addr-types" || name == "addr_types"
}

/// `Some(name)` when the manifest depends on addr-types only as `name`
/// (as an identifier: `-` becomes `_`).
fn renamed_dependency(manifest: &str) -> Option<String> {
    let mut in_dependencies = false;
    // `[dependencies.name]`: the dependency the table's keys describe.
    let mut table: Option<String> = None;
    let mut renamed: Vec<String> = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_end_matches(']').trim();
            let segments: Vec<&str> = header
                .split('.')
                .map(|s| s.trim().trim_matches('"'))
                .collect();
            let kind = segments
                .iter()
                .rposition(|segment| segment.ends_with("dependencies"));
            in_dependencies = kind == Some(segments.len() - 1);
            table = kind
                .filter(|&i| i + 2 == segments.len())
                .map(|i| segments[i + 1].to_owned());
            if table.as_deref().is_some_and(is_addr_types) {
                return None;
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        let value = value.trim();
        if in_dependencies {
            let (name, field) = match key.split_once('.') {
                Some((name, field)) => (name.trim().trim_matches('"'), Some(field.trim())),
                None => (key, None),
            };
            if is_addr_types(name) {
                return None;
            }
            let names_package = match field {
                Some("package") => value == format!("\"{PACKAGE}\""),
                Some(_) => false,
                None => value
                    .replace(' ', "")
                    .contains(&format!("package=\"{PACKAGE}\"")),
            };
            if names_package {
                renamed.push(name.replace('-', "_"));
            }
        } else if let Some(name) = &table {
            if key == "package" && value == format!("\"{PACKAGE}\"") {
                renamed.push(name.replace('-', "_"));
            }
        }
    }
    renamed.sort();
    renamed.dedup();
    match renamed.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::renamed_dependency;

    #[test]
    fn a_renamed_dependency_is_found() {
        for manifest in [
            "[dependencies]\nkernel-addr = { package = \"addr-types\", version = \"0.1\" }\n",
            "[dependencies]\nkernel-addr={version=\"0.1\",package=\"addr-types\"}\n",
            "[dependencies]\nkernel-addr.package = \"addr-types\"\nkernel-addr.version = \"0.1\"\n",
            "[dependencies.kernel-addr]\npackage = \"addr-types\"\nversion = \"0.1\"\n",
            "[target.'cfg(unix)'.dependencies]\nkernel-addr = { package = \"addr-types\" }\n",
            "[dev-dependencies]\nkernel-addr = { package = \"addr-types\" }\n[dependencies]\nkernel_addr = { package = \"addr-types\" }\n",
        ] {
            assert_eq!(
                renamed_dependency(manifest).as_deref(),
                Some("kernel_addr"),
                "{manifest}"
            );
        }
    }

    #[test]
    fn anything_else_is_the_default() {
        for manifest in [
            "",
            "[dependencies]\naddr-types = \"0.1\"\n",
            "[dependencies]\naddr-types.workspace = true\n",
            "[dependencies]\naddr-types = \"0.1\"\n[dev-dependencies]\nk = { package = \"addr-types\" }\n",
            "[dependencies.addr-types]\nversion = \"0.1\"\n[dependencies]\nk = { package = \"addr-types\" }\n",
            "[dependencies]\na = { package = \"addr-types\" }\nb = { package = \"addr-types\" }\n",
            "[dependencies]\nk = { workspace = true }\n",
            "[package]\nname = \"k\"\npackage = \"addr-types\"\n",
            "[dependencies]\nk = { package = \"addr-types-extra\" }\n",
            "# k = { package = \"addr-types\" }\n[dependencies]\n",
        ] {
            assert_eq!(renamed_dependency(manifest), None, "{manifest}");
        }
    }
}
