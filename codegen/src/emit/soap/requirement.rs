//! Whether a form field is required: what the panel's validation
//! (`tform_base::validateField`) refuses when the field is empty.
//!
//! A `NOTEMPTY` validator refuses `""`; a `REGEX` validator refuses it when
//! its pattern does not match `""`. Patterns are PHP (PCRE) literals with
//! delimiters and flags; the panel appends the `s` flag before matching.
//! They are translated to Rust's `regex` syntax here, at generation time;
//! one that cannot be (lookaround, an unknown flag) is reported, so the
//! record's doc can say its check was not decided.

use regex::{Regex, RegexBuilder};

use crate::model::FormField;

/// What a field's validators say about an empty value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Requirement {
    /// The first validator that refuses `""`, by its error-message key
    /// (`Some(None)` when it has none).
    pub required_by: Option<Option<String>>,
    /// `REGEX` patterns that could not be translated, with the reason.
    pub undecided: Vec<String>,
}

/// Reads a field's validators in order.
pub(super) fn requirement(field: &FormField) -> Requirement {
    let mut out = Requirement::default();
    for v in &field.validators {
        let refuses_empty = match (v.kind.as_deref(), &v.regex) {
            (Some("NOTEMPTY"), _) => true,
            (Some("REGEX"), Some(pattern)) => match matches_empty(pattern) {
                Ok(matches) => !matches,
                Err(reason) => {
                    out.undecided.push(format!("`{pattern}` ({reason})"));
                    false
                }
            },
            _ => false,
        };
        if refuses_empty && out.required_by.is_none() {
            out.required_by = Some(v.errmsg.clone());
        }
    }
    out
}

/// Whether a PHP pattern matches `""`, as the panel runs it.
///
/// That never depends on which characters a class holds, so the pattern is
/// compiled without Unicode classes first (Unicode-wide `\w` is most of
/// regen's time in a debug build); with them only when it needs them
/// (`\p{L}`).
fn matches_empty(literal: &str) -> Result<bool, String> {
    let pattern = translate(literal)?;
    let ascii = regex::bytes::RegexBuilder::new(&pattern)
        .unicode(false)
        .size_limit(1 << 28)
        .build();
    match ascii {
        Ok(re) => Ok(re.is_match(b"")),
        Err(_) => Ok(compile(&pattern)?.is_match("")),
    }
}

/// Translates a PHP `preg_*` pattern (`/^[a-z]+$/i`) as the panel runs it
/// (with `s` appended) to a Rust regex.
#[cfg(test)]
fn php_regex(literal: &str) -> Result<Regex, String> {
    compile(&translate(literal)?)
}

/// The Rust syntax of a PHP pattern literal: delimiters and flags stripped,
/// the flags (and the panel's `s`) inline.
fn translate(literal: &str) -> Result<String, String> {
    let mut chars = literal.chars();
    let delimiter = chars.next().ok_or("empty pattern")?;
    if delimiter.is_alphanumeric() || delimiter == '\\' || delimiter.is_whitespace() {
        return Err(format!("{delimiter:?} is not a delimiter"));
    }
    let closing = match delimiter {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        d => d,
    };
    let rest = chars.as_str();
    let end = rest.rfind(closing).ok_or("no closing delimiter")?;
    let (body, flags) = (&rest[..end], &rest[end + closing.len_utf8()..]);
    let mut inline = String::from("s");
    for flag in flags.chars() {
        match flag {
            'i' | 'm' | 'x' if !inline.contains(flag) => inline.push(flag),
            'i' | 'm' | 's' | 'x' => {}
            // Unicode matching is Rust's default; `D` only changes what `$`
            // does before a final newline, which the pattern has no use for
            // on "" and Rust's `$` never matches there anyway.
            'u' | 'D' => {}
            other => return Err(format!("flag {other:?} has no Rust equivalent")),
        }
    }
    Ok(format!("(?{inline}){body}"))
}

/// Compiles a translated pattern; the error is the regex crate's reason.
fn compile(pattern: &str) -> Result<Regex, String> {
    // Rust's `\w` is Unicode-wide, so `[\w]{1,255}` compiles large; only
    // whether "" matches is asked, so a generous limit costs nothing.
    RegexBuilder::new(pattern)
        .size_limit(1 << 28)
        .build()
        .map_err(|e| {
            let text = e.to_string();
            let reason = text
                .lines()
                .rev()
                .find(|l| l.starts_with("error:"))
                .or_else(|| text.lines().next())
                .unwrap_or("not valid in Rust's regex syntax");
            reason.trim_start_matches("error: ").to_owned()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Validator;

    fn field(validators: &[(&str, Option<&str>, Option<&str>)]) -> FormField {
        FormField {
            tab: "t".into(),
            conditional: false,
            datatype: None,
            formtype: None,
            default: None,
            options: None,
            secrecy: None,
            validators: validators
                .iter()
                .map(|(kind, errmsg, regex)| Validator {
                    kind: Some((*kind).into()),
                    errmsg: errmsg.map(Into::into),
                    regex: regex.map(Into::into),
                })
                .collect(),
        }
    }

    #[test]
    fn notempty_and_regexes_that_refuse_empty_make_a_field_required() {
        let r = requirement(&field(&[("NOTEMPTY", Some("a_empty"), None)]));
        assert_eq!(r.required_by, Some(Some("a_empty".into())));
        let r = requirement(&field(&[
            ("REGEX", Some("loose"), Some("/^[a-z]{0,5}$/")),
            ("REGEX", Some("strict"), Some("@^[a-z]{1,5}$@i")),
        ]));
        assert_eq!(r.required_by, Some(Some("strict".into())));
        assert!(r.undecided.is_empty());
        let r = requirement(&field(&[("UNIQUE", Some("u"), None)]));
        assert_eq!(r, Requirement::default());
    }

    #[test]
    fn untranslatable_patterns_are_reported_not_guessed() {
        let r = requirement(&field(&[("REGEX", Some("x"), Some("/^((?!v=spf).)*$/s"))]));
        assert_eq!(r.required_by, None);
        assert_eq!(r.undecided.len(), 1, "{r:?}");
        assert!(php_regex("/a/e").is_err(), "unknown flag");
        assert!(php_regex("abc").is_err(), "no delimiter");
        assert!(php_regex("/abc").is_err(), "unclosed");
        assert!(php_regex("").is_err());
    }

    #[test]
    fn php_escapes_and_flags_translate() {
        let re = php_regex(r"/^([0-9]{1,5}\,{0,1}){1,}$/i").unwrap();
        assert!(re.is_match("80,443") && !re.is_match(""));
        let re = php_regex(r"/^[\w\.\-@\+]{0,64}$/").unwrap();
        assert!(re.is_match(""));
        let re = php_regex(r"/^\@[\w\.\-]{1,255}\.[a-zA-Z0-9\-]{2,63}$/s").unwrap();
        assert!(re.is_match("@example.com") && !re.is_match(""));
        let re = php_regex(r"{^[a-z]+$}").unwrap();
        assert!(re.is_match("abc"));
    }
}
