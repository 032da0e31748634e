#!/usr/bin/env bash
# The README's demo: it runs, prints the translation table the README
# shows (tests/tests/two_stage.rs checks the machine behind it), and builds
# nothing it does not show: no serde, no serde format. toml is in the build
# only as addr-macros' reader of the user's manifest, which every user of
# #[address] compiles.
set -euo pipefail

tree=$(cargo tree -e normal,dev -p addr-types --prefix none)
if grep -E '^(serde|serde_core|serde_json|postcard) ' <<<"$tree"; then
    echo "the two_stage demo's build pulls in serde" >&2
    exit 1
fi
# (`cargo tree -i` fails when no toml is in the build at all: fine too.)
toml_users=$(cargo tree -e normal,dev -p addr-types -i toml --prefix none --depth 1 2>/dev/null |
    tail -n +2 | cut -d' ' -f1 | sort -u || true)
if [ -n "$toml_users" ] && [ "$toml_users" != "addr-macros" ]; then
    echo "toml is in the demo's build for more than addr-macros: $toml_users" >&2
    exit 1
fi

demo=$(cargo run --quiet -p addr-types --example two_stage)
printf '%s\n' "$demo"
# The README's table is the first `text` block after "## Quick start".
readme_table=$(awk '
    /^## Quick start/ { section = 1 }
    section && /^```text$/ { block = 1; next }
    block && /^```$/ { exit }
    block { print }
' README.md)
[ -n "$readme_table" ] || { echo "no demo table in the README's Quick start" >&2; exit 1; }
if [ "$(tail -n "$(wc -l <<<"$readme_table")" <<<"$demo")" != "$readme_table" ]; then
    echo "the demo's table differs from the README's:" >&2
    diff <(printf '%s\n' "$readme_table") <(tail -n "$(wc -l <<<"$readme_table")" <<<"$demo") >&2
    exit 1
fi
