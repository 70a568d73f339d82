//! PHP source → a flat token list, enough for the scanner: words, variables,
//! literals (strings, numbers, heredocs) as opaque tokens, doc comments, and
//! single punctuation characters. Ordinary comments and inline HTML vanish, so
//! text that only looks like code (`// function f() {`, `"{"`) never reaches
//! the parser.

use super::ScanError;

/// How deeply `{$ ... }` interpolations may nest inside strings.
const MAX_NESTING: usize = 32;

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Tok {
    /// Identifier or keyword, case kept (a namespaced name keeps its `\`).
    Word(String),
    /// `$name` (the name without `$`).
    Var(String),
    /// A string, heredoc, nowdoc or number; its text is the token's span.
    Literal,
    /// A doc comment (`/**` followed by whitespace), text included.
    Doc(String),
    /// One punctuation character (`...` is three tokens).
    Punct(char),
}

/// A token and where it is.
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    /// 1-based line of its first character.
    pub(super) line: usize,
    /// Byte span in the source.
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Splits `src` into tokens; an unterminated comment, string or heredoc is an
/// error rather than a guess.
pub(super) fn tokenize(src: &str) -> Result<Vec<Token>, ScanError> {
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut line = 1;
    // Outside `<?php ... ?>` everything is inline HTML.
    let mut in_php = false;
    while i < bytes.len() {
        if !in_php {
            match src[i..].find("<?") {
                Some(off) => {
                    line += count_lines(&bytes[i..i + off]);
                    i += off + 2;
                    if src[i..].starts_with("php") {
                        i += 3;
                    } else if src[i..].starts_with('=') {
                        i += 1;
                    }
                    in_php = true;
                    continue;
                }
                None => break,
            }
        }
        let c = bytes[i];
        let start = i;
        let start_line = line;
        let unterminated = |what: &str| ScanError {
            line: start_line,
            message: format!("unterminated {what}"),
        };
        let (tok, end) = match c {
            b'\n' => {
                line += 1;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            b'?' if bytes.get(i + 1) == Some(&b'>') => {
                in_php = false;
                i += 2;
                continue;
            }
            // `#[` opens an attribute (PHP 8), any other `#` a line comment.
            b'#' if bytes.get(i + 1) != Some(&b'[') => {
                i = skip_line_comment(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = skip_line_comment(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let close = src[i + 2..]
                    .find("*/")
                    .ok_or_else(|| unterminated("comment"))?;
                let end = i + 2 + close + 2;
                line += count_lines(&bytes[i..end]);
                i = end;
                // PHP only treats `/**` followed by whitespace as a doc comment.
                if bytes.get(start + 2) == Some(&b'*')
                    && bytes.get(start + 3).is_some_and(u8::is_ascii_whitespace)
                {
                    tokens.push(Token {
                        tok: Tok::Doc(src[start..end].to_owned()),
                        line: start_line,
                        start,
                        end,
                    });
                }
                continue;
            }
            b'\'' | b'"' | b'`' => {
                let end = skip_quoted(bytes, i, c, 0).map_err(|message| ScanError {
                    line: start_line,
                    message: message.to_owned(),
                })?;
                (Tok::Literal, end)
            }
            b'<' if src[i..].starts_with("<<<") => {
                let end = skip_heredoc(src, i).ok_or_else(|| unterminated("heredoc"))?;
                (Tok::Literal, end)
            }
            b'$' if bytes.get(i + 1).is_some_and(|b| is_ident_start(*b)) => {
                let end = ident_end(bytes, i + 1);
                (Tok::Var(src[i + 1..end].to_owned()), end)
            }
            c if is_ident_start(c) || c == b'\\' => {
                let mut end = i + 1;
                while end < bytes.len() && (is_ident_char(bytes[end]) || bytes[end] == b'\\') {
                    end += 1;
                }
                (Tok::Word(src[i..end].to_owned()), end)
            }
            c if c.is_ascii_digit() => {
                let mut end = i + 1;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric()
                        || bytes[end] == b'.'
                        || bytes[end] == b'_')
                {
                    end += 1;
                }
                (Tok::Literal, end)
            }
            _ => {
                // Anything else is one character of punctuation; step over a
                // whole UTF-8 character so slicing stays on boundaries.
                let ch = src[i..].chars().next().unwrap_or(' ');
                (Tok::Punct(ch), i + ch.len_utf8())
            }
        };
        line += count_lines(&bytes[i..end]);
        tokens.push(Token {
            tok,
            line: start_line,
            start,
            end,
        });
        i = end;
    }
    Ok(tokens)
}

fn count_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

fn skip_line_comment(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' {
        // `?>` ends a line comment as well as the PHP block.
        if bytes[i] == b'?' && bytes.get(i + 1) == Some(&b'>') {
            return i;
        }
        i += 1;
    }
    i
}

/// The index just past the closing quote, honouring backslash escapes and,
/// in `"` and `` ` `` strings, `{$ ... }` interpolations, which may contain
/// quotes of their own (`"{$a["k"]}"`).
fn skip_quoted(bytes: &[u8], start: usize, quote: u8, depth: usize) -> Result<usize, &'static str> {
    let interpolates = quote != b'\'';
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'{' if interpolates && bytes.get(i + 1) == Some(&b'$') => {
                i = skip_interpolation(bytes, i, depth + 1)?;
            }
            b if b == quote => return Ok(i + 1),
            _ => i += 1,
        }
    }
    Err("unterminated string")
}

/// From the `{` of a `{$` interpolation to just past its matching `}`.
fn skip_interpolation(bytes: &[u8], start: usize, depth: usize) -> Result<usize, &'static str> {
    // Real code nests a level or two; hostile input must not overflow the stack.
    if depth > MAX_NESTING {
        return Err("string interpolation nested too deeply");
    }
    let mut braces = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                braces += 1;
                i += 1;
            }
            b'}' => {
                braces -= 1;
                i += 1;
                if braces == 0 {
                    return Ok(i);
                }
            }
            q @ (b'\'' | b'"' | b'`') => i = skip_quoted(bytes, i, q, depth)?,
            _ => i += 1,
        }
    }
    Err("unterminated string")
}

/// `<<<ID`, `<<<"ID"` or `<<<'ID'` up to the closing identifier at the start
/// of a line (PHP 7.3+ allows it indented).
fn skip_heredoc(src: &str, start: usize) -> Option<usize> {
    let rest = &src[start + 3..];
    let header_end = rest.find('\n')?;
    let label = rest[..header_end]
        .trim()
        .trim_matches(|c| c == '"' || c == '\'');
    if label.is_empty() || !label.bytes().all(is_ident_char) {
        return None;
    }
    let mut pos = start + 3 + header_end + 1;
    for line in src[pos..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(label)
            && !trimmed[label.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        {
            let indent = line.len() - trimmed.len();
            return Some(pos + indent + label.len());
        }
        pos += line.len();
    }
    None
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn ident_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_ident_char(bytes[i]) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        tokenize(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn comments_and_strings_hide_code() {
        let toks = kinds("<?php // function a() {\n# }\n/* { */ 'fn {' \"}\" x");
        assert_eq!(toks, [Tok::Literal, Tok::Literal, Tok::Word("x".into())]);
    }

    #[test]
    fn interpolation_may_nest_quotes() {
        let toks = kinds(r#"<?php "a {$b["c"]} }" d"#);
        assert_eq!(toks, [Tok::Literal, Tok::Word("d".into())]);
    }

    #[test]
    fn only_slash_star_star_space_is_a_doc_comment() {
        assert_eq!(kinds("<?php /***/ /**x*/"), []);
        assert!(matches!(kinds("<?php /** d */")[..], [Tok::Doc(_)]));
    }

    #[test]
    fn lines_count_through_multiline_tokens() {
        let toks = tokenize("<?php\n$a = <<<EOT\n{\nEOT;\n$b").unwrap();
        let b = toks.last().unwrap();
        assert_eq!((b.tok.clone(), b.line), (Tok::Var("b".into()), 5));
    }

    #[test]
    fn inline_html_is_skipped() {
        assert_eq!(
            kinds("<p>function x() {</p><?php y ?> { <?= z"),
            [Tok::Word("y".into()), Tok::Word("z".into())]
        );
    }

    #[test]
    fn deep_interpolation_is_an_error_not_a_stack_overflow() {
        let src = format!("<?php {}", "\"{$a[".repeat(100_000));
        let err = tokenize(&src).unwrap_err();
        assert_eq!(err.message, "string interpolation nested too deeply");
    }

    #[test]
    fn unterminated_things_are_errors() {
        for (src, what) in [
            ("<?php /* x", "comment"),
            ("<?php 'x", "string"),
            ("<?php \"{$a['x']\"", "string"),
            ("<?php <<<EOT\nx\n", "heredoc"),
        ] {
            let err = tokenize(src).unwrap_err();
            assert_eq!(err.message, format!("unterminated {what}"), "{src}");
        }
    }
}
