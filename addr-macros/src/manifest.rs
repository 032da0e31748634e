//! The name addr-types has in the crate being compiled, read from its
//! `Cargo.toml` (and, for a dependency inherited with `workspace = true`,
//! from the workspace root's `[workspace.dependencies]`), with the `toml`
//! crate's parser: every form cargo accepts (quoting, comments, inline
//! tables over several lines, dotted keys, `[dependencies.name]` tables,
//! target tables) reads the same.
//!
//! A crate that depends on addr-types under another name
//! (`kernel_addr = { package = "addr-types", … }`) has no `::addr_types`;
//! the expansion names `::kernel_addr` instead when that rename is the only
//! way addr-types is reached. Whenever it is unsure, the answer is "no
//! rename", and the user's `crate = …` decides.

use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

/// What the lookup found, and every file it read: the expansion makes
/// rustc track each one, so that cargo rebuilds the crate when one of them
/// changes (it does not for a manifest edit that changes no setting it
/// knows, such as a comment, whose effect on a hand-rolled reading it
/// cannot know).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Lookup {
    /// `Some(ident)` when addr-types is reached only as `::ident`.
    pub renamed: Option<String>,
    /// Each manifest read, absolute.
    pub read: Vec<PathBuf>,
}

/// Which dependency tables the crate being compiled sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Compiling {
    /// A build script: `[build-dependencies]`.
    BuildScript,
    /// Anything else: `[dependencies]`, and `[dev-dependencies]` for tests,
    /// examples and benches.
    Crate,
}

/// The package addr-types is published as; cargo also matches `_` for `-`.
const PACKAGE: &str = "addr-types";

/// Reads the manifest in `manifest_dir`, and the workspace root's when a
/// dependency is inherited from it.
pub(crate) fn lookup(manifest_dir: &Path, compiling: Compiling) -> Lookup {
    let mut lookup = Lookup::default();
    let manifest_path = manifest_dir.join("Cargo.toml");
    let Some(text) = read(&manifest_path, &mut lookup.read) else {
        return lookup;
    };
    let Ok(manifest) = DeTable::parse(&text) else {
        return lookup;
    };
    let manifest = manifest.get_ref();
    // addr-types names itself `addr_types` (`extern crate self as …`).
    if table(manifest, "package")
        .and_then(|package| string(package, "name"))
        .is_some_and(is_addr_types)
    {
        return lookup;
    }
    // `[workspace.dependencies]` as (name, package), read at the first
    // dependency that inherits from it.
    let mut workspace: Option<Vec<(String, String)>> = None;
    let mut names = Names::default();
    for (kind, dependencies) in dependency_tables(manifest, compiling) {
        for (name, entry) in dependencies {
            let name = name.get_ref().as_ref();
            let package = if entry.get_ref().as_table().is_some_and(inherits) {
                workspace
                    .get_or_insert_with(|| {
                        workspace_dependencies(manifest_dir, manifest, &mut lookup.read)
                    })
                    .iter()
                    .find(|(inherited, _)| inherited == name)
                    .map(|(_, package)| package.clone())
            } else {
                Some(package_of(name, entry.get_ref()))
            };
            if package.as_deref().is_some_and(is_addr_types) {
                names.add(kind, name);
            }
        }
    }
    lookup.renamed = names.only_rename();
    lookup
}

/// The names under which addr-types is a dependency, by table kind.
#[derive(Default)]
struct Names {
    primary: Vec<String>,
    dev: Vec<String>,
}

/// Whether a dependency table is the one the crate sees first, or the one
/// only its tests see.
#[derive(Clone, Copy)]
enum Kind {
    Primary,
    Dev,
}

impl Names {
    fn add(&mut self, kind: Kind, name: &str) {
        let names = match kind {
            Kind::Primary => &mut self.primary,
            Kind::Dev => &mut self.dev,
        };
        let name = name.replace('-', "_");
        if !names.contains(&name) {
            names.push(name);
        }
    }

    /// The one name other than `addr_types` in the first table kind that
    /// has any: the crate's own dependencies decide before its tests'.
    fn only_rename(self) -> Option<String> {
        let names = if self.primary.is_empty() {
            self.dev
        } else {
            self.primary
        };
        match names.as_slice() {
            [only] if only != "addr_types" => {
                // Never `Ident::new` on something that is no identifier: it panics.
                syn::parse_str::<syn::Ident>(only).ok()?;
                Some(only.clone())
            }
            _ => None,
        }
    }
}

/// Every dependency table the crate being compiled sees, the target-specific
/// ones included (their `cfg` is not evaluated: a rename under any target
/// counts).
fn dependency_tables<'a, 'i>(
    manifest: &'a DeTable<'i>,
    compiling: Compiling,
) -> Vec<(Kind, &'a DeTable<'i>)> {
    let keys: &[(&str, Kind)] = match compiling {
        Compiling::BuildScript => &[
            ("build-dependencies", Kind::Primary),
            ("build_dependencies", Kind::Primary),
        ],
        Compiling::Crate => &[
            ("dependencies", Kind::Primary),
            ("dev-dependencies", Kind::Dev),
            ("dev_dependencies", Kind::Dev),
        ],
    };
    let targets = table(manifest, "target")
        .into_iter()
        .flat_map(|targets| targets.iter())
        .filter_map(|(_, target)| target.get_ref().as_table());
    std::iter::once(manifest)
        .chain(targets)
        .flat_map(|scope| {
            keys.iter()
                .filter_map(move |&(key, kind)| Some((kind, table(scope, key)?)))
        })
        .collect()
}

/// `name = { workspace = true }`, `name.workspace = true`, …
fn inherits(entry: &DeTable<'_>) -> bool {
    value(entry, "workspace").and_then(DeValue::as_bool) == Some(true)
}

/// The package a dependency entry names: its `package` key, else its name.
fn package_of(name: &str, entry: &DeValue<'_>) -> String {
    entry
        .as_table()
        .and_then(|entry| string(entry, "package"))
        .unwrap_or(name)
        .to_owned()
}

fn is_addr_types(package: &str) -> bool {
    package.replace('_', "-") == PACKAGE
}

/// The `(name, package)` of each `[workspace.dependencies]` entry of the
/// workspace root, found as cargo finds it: this manifest if it has a
/// `[workspace]` table, else the one `package.workspace` points to, else the
/// nearest manifest above with a `[workspace]` table that does not exclude
/// this package.
fn workspace_dependencies(
    manifest_dir: &Path,
    manifest: &DeTable<'_>,
    read_files: &mut Vec<PathBuf>,
) -> Vec<(String, String)> {
    let dependencies = |root: &DeTable<'_>| -> Vec<(String, String)> {
        table(root, "workspace")
            .and_then(|workspace| table(workspace, "dependencies"))
            .into_iter()
            .flat_map(|dependencies| dependencies.iter())
            .map(|(name, entry)| {
                let name = name.get_ref().as_ref();
                (name.to_owned(), package_of(name, entry.get_ref()))
            })
            .collect()
    };
    if table(manifest, "workspace").is_some() {
        return dependencies(manifest);
    }
    let pointed = table(manifest, "package").and_then(|package| string(package, "workspace"));
    if let Some(root) = pointed {
        let root = manifest_dir.join(root);
        let path = if root.ends_with("Cargo.toml") {
            root
        } else {
            root.join("Cargo.toml")
        };
        return read(&path, read_files)
            .and_then(|text| Some(dependencies(DeTable::parse(&text).ok()?.get_ref())))
            .unwrap_or_default();
    }
    for dir in manifest_dir.ancestors().skip(1) {
        let path = dir.join("Cargo.toml");
        if !path.is_file() {
            continue;
        }
        let Some(text) = read(&path, read_files) else {
            break;
        };
        let Ok(candidate) = DeTable::parse(&text) else {
            break;
        };
        if let Some(workspace) = table(candidate.get_ref(), "workspace") {
            if !excludes(workspace, dir, manifest_dir) {
                return dependencies(candidate.get_ref());
            }
        }
    }
    Vec::new()
}

/// Whether the `[workspace]` of the manifest in `root` excludes the
/// package in `member`.
fn excludes(workspace: &DeTable<'_>, root: &Path, member: &Path) -> bool {
    value(workspace, "exclude")
        .and_then(DeValue::as_array)
        .into_iter()
        .flat_map(|excluded| excluded.iter())
        .filter_map(|path| path.get_ref().as_str())
        .any(|path| member.starts_with(root.join(path)))
}

/// The file's text, recording its absolute path in `read`.
fn read(path: &Path, read: &mut Vec<PathBuf>) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    if !read.contains(&path) {
        read.push(path);
    }
    Some(text)
}

fn value<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a DeValue<'i>> {
    table
        .iter()
        .find(|(name, _)| name.get_ref().as_ref() == key)
        .map(|(_, value)| value.get_ref())
}

fn table<'a, 'i>(parent: &'a DeTable<'i>, key: &str) -> Option<&'a DeTable<'i>> {
    value(parent, key).and_then(DeValue::as_table)
}

fn string<'a>(parent: &'a DeTable<'_>, key: &str) -> Option<&'a str> {
    value(parent, key).and_then(DeValue::as_str)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{lookup, Compiling};

    #[allow(dead_code)]
    mod forms {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/forms.rs"
        ));
    }

    use forms::{UsedIn, FORMS};

    /// A fresh directory of this test process.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("addr-macros-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn addr_types() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).with_file_name("addr-types")
    }

    /// Every form, read from a workspace on disk as the macro reads it.
    #[test]
    fn every_form_is_read_as_cargo_reads_it() {
        let dir = scratch("forms");
        let members = forms::write_workspace(&dir, &addr_types());
        for (form, member) in FORMS.iter().zip(&members) {
            let compiling = match form.used_in {
                UsedIn::BuildScript => Compiling::BuildScript,
                _ => Compiling::Crate,
            };
            let found = lookup(member, compiling);
            assert_eq!(found.renamed.as_deref(), form.renamed, "{}", form.name);
            let manifest = std::fs::canonicalize(member.join("Cargo.toml")).unwrap();
            assert_eq!(found.read.first(), Some(&manifest), "{}", form.name);
            // The root is read only for an inherited dependency.
            let inherits = form.dependencies.contains("workspace = true")
                || form.dependencies.contains(".workspace = true");
            assert_eq!(found.read.len(), 1 + usize::from(inherits), "{}", form.name);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A build script reads `[build-dependencies]` only; the crate itself
    /// never does.
    #[test]
    fn build_dependencies_are_the_build_scripts_only() {
        let dir = scratch("build");
        let members = forms::write_workspace(&dir, &addr_types());
        let (index, _) = FORMS
            .iter()
            .enumerate()
            .find(|(_, form)| form.used_in == UsedIn::BuildScript)
            .unwrap();
        assert_eq!(lookup(&members[index], Compiling::Crate).renamed, None);
        let (index, _) = FORMS
            .iter()
            .enumerate()
            .find(|(_, form)| form.name == "single_quoted")
            .unwrap();
        assert_eq!(
            lookup(&members[index], Compiling::BuildScript).renamed,
            None
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The workspace root is found as cargo finds it: `package.workspace`,
    /// else the nearest `[workspace]` above that does not exclude the
    /// package.
    #[test]
    fn the_workspace_root_is_found_as_cargo_finds_it() {
        let dir = scratch("root");
        let write = |path: &str, text: &str| {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let root = |name: &str, exclude: &str| {
            format!(
                "[workspace]\nexclude = [{exclude}]\n[workspace.dependencies]\nk = {{ package = \"addr-types\" }}\n{name} = {{ package = \"addr-types\" }}\n"
            )
        };
        let member = "[package]\nname = \"m\"\n[dependencies]\nk.workspace = true\n";
        // The outer root excludes nothing; the inner one excludes `skipped`.
        write("Cargo.toml", &root("outer", ""));
        write("inner/Cargo.toml", &root("inner", "\"skipped\""));
        write("inner/plain/Cargo.toml", member);
        write("inner/skipped/Cargo.toml", member);
        write(
            "elsewhere/Cargo.toml",
            "[package]\nname = \"m\"\nworkspace = \"../inner\"\n[dependencies]\nk.workspace = true\n",
        );
        let read_root = |member: &str| {
            let found = lookup(&dir.join(member), Compiling::Crate);
            assert_eq!(found.renamed.as_deref(), Some("k"), "{member}");
            found.read.last().unwrap().clone()
        };
        let canonical = |path: &str| std::fs::canonicalize(dir.join(path)).unwrap();
        assert_eq!(read_root("inner/plain"), canonical("inner/Cargo.toml"));
        assert_eq!(read_root("inner/skipped"), canonical("Cargo.toml"));
        assert_eq!(read_root("elsewhere"), canonical("inner/Cargo.toml"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// addr-types itself, two renames (which cargo rejects), a manifest
    /// that is no TOML, a name that is no identifier and a missing manifest
    /// name no rename; what was read is still reported.
    #[test]
    fn anything_unreadable_is_no_rename() {
        let dir = scratch("unreadable");
        let found = lookup(&dir, Compiling::Crate);
        assert_eq!(found, super::Lookup::default());
        for manifest in [
            "[package]\nname = \"addr-types\"\n[dev-dependencies]\nk = { package = \"addr-types\" }\n",
            "[dependencies]\nk = { package = \"addr-types\" }\nk2 = { package = \"addr-types\" }\n",
            "[dependencies\nk = { package = \"addr-types\" }\n",
            "[dependencies]\n1k = { package = \"addr-types\" }\n",
        ] {
            std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
            let found = lookup(&dir, Compiling::Crate);
            assert_eq!(found.renamed, None, "{manifest}");
            assert_eq!(found.read.len(), 1, "{manifest}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
