//! Facts from a PHPDoc block: its first sentence and its `@return` type.

/// Longest summary kept; a longer first sentence is prose, not a summary.
const MAX_SUMMARY: usize = 100;

/// The first sentence of a doc comment's prose (before any `@tag`), on one
/// line; `None` when there is no prose or the sentence is longer than
/// `MAX_SUMMARY` characters.
pub fn summary(doc: &str) -> Option<String> {
    let mut text = String::new();
    for line in lines(doc) {
        if line.starts_with('@') {
            break;
        }
        if line.is_empty() {
            if text.is_empty() {
                continue;
            }
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(line);
    }
    let sentence = match text.find(". ") {
        Some(i) => &text[..=i],
        None => &text,
    };
    let sentence = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    (!sentence.is_empty() && sentence.chars().count() <= MAX_SUMMARY).then_some(sentence)
}

/// The type named by a doc comment's `@return`, if any.
pub fn return_type(doc: &str) -> Option<String> {
    lines(doc)
        .find_map(|line| line.strip_prefix("@return"))
        .filter(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
}

/// The comment's lines without `/**`, `*/` and leading `*`s.
fn lines(doc: &str) -> impl Iterator<Item = &str> {
    doc.trim_start_matches("/**")
        .trim_end_matches("*/")
        .lines()
        .map(|l| l.trim().trim_start_matches('*').trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_and_return() {
        let doc = "/**\n * Gets a record. More words here.\n *\n * @param int $id\n * @return array the record\n */";
        assert_eq!(summary(doc).as_deref(), Some("Gets a record."));
        assert_eq!(return_type(doc).as_deref(), Some("array"));
    }

    #[test]
    fn sentence_may_span_lines() {
        let doc = "/**\n * Gets the\n * record\n * @returns x\n */";
        assert_eq!(summary(doc).as_deref(), Some("Gets the record"));
        assert_eq!(return_type(doc), None, "@returns is not @return");
    }

    #[test]
    fn no_prose_or_too_long_is_none() {
        assert_eq!(summary("/**\n * @return int\n */"), None);
        let long = format!("/** {} */", "word ".repeat(30));
        assert_eq!(summary(&long), None);
    }
}
