//! "Did you mean" for misspelt option keys and values.

/// The candidate closest to `word` by edit distance, if it is close enough
/// to be a plausible typo (at most a third of the word, and at least 1).
/// A word of three or more characters that starts exactly one candidate
/// (`guest-phys` for `guest-physical`) suggests that candidate too.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let mut extending = candidates
        .iter()
        .filter(|candidate| word.chars().count() >= 3 && candidate.starts_with(word));
    if let (Some(only), None) = (extending.next(), extending.next()) {
        return Some(only);
    }
    candidates
        .iter()
        .map(|candidate| (edit_distance(word, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Optimal-string-alignment distance over chars, case-insensitive: a
/// deletion, insertion, substitution or swap of two neighbours is one
/// edit, so `rnage` is one typo away from `range`, and `Prefix` from
/// `prefix` is none.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    // Three rows: the swap looks two rows back.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 0..a.len() {
        current[0] = i + 1;
        for j in 0..b.len() {
            let substitution = previous[j] + usize::from(a[i] != b[j]);
            let mut best = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(before[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// `` `a`, `b` or `c` `` for an error message.
pub(crate) fn one_of(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::{closest, edit_distance, one_of};

    #[test]
    fn distance_counts_single_edits() {
        assert_eq!(edit_distance("prefix", "prefix"), 0);
        assert_eq!(edit_distance("prefx", "prefix"), 1);
        assert_eq!(edit_distance("Prefix", "prefix"), 0);
        assert_eq!(edit_distance("rnage", "range"), 1);
        assert_eq!(edit_distance("prefxi", "prefix"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("abc", "ca"), 3);
        assert_eq!(edit_distance("", "crate"), 5);
    }

    #[test]
    fn closest_suggests_only_plausible_typos() {
        let keys = ["prefix", "range", "translates", "crate"];
        assert_eq!(closest("prefx", &keys), Some("prefix"));
        assert_eq!(closest("rnage", &keys), Some("range"));
        assert_eq!(closest("tarnslates", &keys), Some("translates"));
        assert_eq!(closest("fence", &keys), None);
        assert_eq!(closest("trans", &keys), Some("translates"));
        assert_eq!(closest("pr", &keys), None);
        assert_eq!(closest("xyz", &keys), None);
    }

    #[test]
    fn one_of_lists_with_or() {
        assert_eq!(one_of(&["a"]), "`a`");
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
