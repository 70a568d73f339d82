//! Exact-match filters for the panel's `*_get({column: value, ...})`.
//!
//! `remoting_lib::getDataRecord` (3.2.12p1) builds `column = ?` for each pair,
//! but `column LIKE ?` when the value contains a `%` — and then `_` is a
//! wildcard too. Values are bound as parameters, so nothing else is special.
//! MySQL's `LIKE` treats `\` as its escape character, so a value holding `%`
//! is sent with `\`, `%` and `_` escaped: it still contains `%` (the panel
//! still picks `LIKE`), but `LIKE` now matches it literally.
//!
//! Both `=` and `LIKE` compare with the column's collation, which on a panel
//! is case-insensitive (and `=` ignores trailing spaces), so the rows that come
//! back are checked again here, byte for byte: a [`Filter`] only ever yields
//! rows whose columns equal the values asked for.

use panelkit_core::soap::Value;

use super::record::{scalar_text, Record};

/// Columns and the exact values they must have.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    conditions: Vec<(String, String)>,
}

impl Filter {
    /// A filter with no conditions (matches every row).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `column = value` (exact, case-sensitive).
    pub fn eq(mut self, column: impl Into<String>, value: impl ToString) -> Self {
        self.conditions.push((column.into(), value.to_string()));
        self
    }

    /// The conditions, in the order given.
    pub fn conditions(&self) -> &[(String, String)] {
        &self.conditions
    }

    /// The map to send as the `primary_id` argument, values escaped.
    pub fn to_value(&self) -> Value {
        Value::Map(
            self.conditions
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(escape(v))))
                .collect(),
        )
    }

    /// Whether `record` satisfies every condition exactly.
    pub fn matches(&self, record: &Record) -> bool {
        self.conditions.iter().all(|(column, want)| {
            record
                .get(column)
                .and_then(scalar_text)
                .is_some_and(|have| have == *want)
        })
    }
}

/// The value to send so the panel matches `value` literally: unchanged when it
/// has no `%` (the panel uses `=`), else with `\`, `%` and `_` escaped for
/// `LIKE`.
pub fn escape(value: &str) -> String {
    if !value.contains('%') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What MySQL's `LIKE` does with a pattern (`%` any run, `_` one character,
/// `\` escapes the next), case-sensitively: the model the escaping is tested
/// against.
#[cfg(test)]
fn like_matches(pattern: &str, text: &str) -> bool {
    #[derive(Clone, Copy)]
    enum Tok {
        Any,
        One,
        Lit(char),
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        toks.push(match c {
            '%' => Tok::Any,
            '_' => Tok::One,
            '\\' => Tok::Lit(chars.next().unwrap_or('\\')),
            c => Tok::Lit(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    // dp[i][j]: toks[..i] matches text[..j]
    let mut dp = vec![vec![false; text.len() + 1]; toks.len() + 1];
    dp[0][0] = true;
    for i in 1..=toks.len() {
        for j in 0..=text.len() {
            dp[i][j] = match toks[i - 1] {
                Tok::Any => dp[i - 1][j] || (j > 0 && dp[i][j - 1]),
                Tok::One => j > 0 && dp[i - 1][j - 1],
                Tok::Lit(c) => j > 0 && dp[i - 1][j - 1] && text[j - 1] == c,
            };
        }
    }
    dp[toks.len()][text.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn values_without_percent_are_sent_as_they_are() {
        assert_eq!(escape("A_B Ltd"), "A_B Ltd");
        assert_eq!(escape(r"a\b"), r"a\b");
    }

    #[test]
    fn values_with_percent_are_escaped_for_like() {
        assert_eq!(escape("50%_off"), r"50\%\_off");
        assert_eq!(escape(r"100%\x"), r"100\%\\x");
        assert!(like_matches(&escape("50%_off"), "50%_off"));
        assert!(!like_matches(&escape("50%_off"), "50%Xoff"));
        assert!(!like_matches(&escape("50%_off"), "50% and more_off"));
    }

    #[test]
    fn matches_is_exact() {
        let f = Filter::new().eq("origin", "example.com.").eq("zone", 2);
        let r: Record = [("origin", "example.com."), ("zone", "2")]
            .into_iter()
            .collect();
        assert!(f.matches(&r));
        let upper: Record = [("origin", "EXAMPLE.com."), ("zone", "2")]
            .into_iter()
            .collect();
        assert!(!f.matches(&upper));
        let missing: Record = [("origin", "example.com.")].into_iter().collect();
        assert!(!f.matches(&missing));
        let int: Record = [
            ("origin", Value::from("example.com.")),
            ("zone", Value::Int(2)),
        ]
        .into_iter()
        .collect();
        assert!(f.matches(&int));
    }

    #[test]
    fn to_value_escapes_each_value() {
        let f = Filter::new().eq("name", "a%b").eq("type", "A");
        assert_eq!(
            f.to_value(),
            Value::Map(vec![
                ("name".into(), Value::from(r"a\%b")),
                ("type".into(), Value::from("A")),
            ])
        );
    }

    proptest! {
        /// An escaped value matches itself and nothing else under LIKE.
        #[test]
        fn escaped_like_is_exact(value in "[a%_\\\\b]{0,8}", other in "[a%_\\\\b]{0,8}") {
            let sent = escape(&value);
            if value.contains('%') {
                prop_assert!(sent.contains('%'));
                prop_assert!(like_matches(&sent, &value));
                prop_assert_eq!(like_matches(&sent, &other), other == value);
            } else {
                prop_assert_eq!(sent, value);
            }
        }
    }
}
