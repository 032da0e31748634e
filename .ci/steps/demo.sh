#!/usr/bin/env bash
# The README's demo: it runs, prints the translation table the README
# shows (tests/tests/two_stage.rs checks the machine behind it), and builds
# nothing it does not show, serde and toml in particular.
set -euo pipefail

if cargo tree -e normal,dev -p addr-types --prefix none | grep -E '^(serde|toml) '; then
    echo "the two_stage demo's build pulls in serde or toml" >&2
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
