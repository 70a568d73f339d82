//! A small PHP scanner: enough to find classes, their methods, visibility,
//! parameters with defaults and doc comments, robust to comments, strings,
//! heredocs and odd formatting. Not a PHP parser: method bodies are skipped by
//! brace matching.

use std::fmt;

/// A method declared in a class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Method {
    /// Method name.
    pub name: String,
    /// 1-based line of the `function` keyword.
    pub line: usize,
    /// `public` (explicitly or by default), `protected` or `private`.
    pub visibility: Visibility,
    /// Declared `static`.
    pub is_static: bool,
    /// Parameters in order.
    pub params: Vec<PhpParam>,
    /// The doc comment right above, if any.
    pub doc: Option<String>,
}

/// Method visibility.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// `public` or no keyword.
    Public,
    /// `protected`.
    Protected,
    /// `private`.
    Private,
}

/// A parameter as declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhpParam {
    /// Name without `$`.
    pub name: String,
    /// Type hint as written (`?array`, `int`), if any.
    pub ty: Option<String>,
    /// Default value as written, whitespace-normalized, if any.
    pub default: Option<String>,
    /// Passed by reference (`&$x`).
    pub by_ref: bool,
    /// Variadic (`...$x`).
    pub variadic: bool,
}

/// A class and its methods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Class {
    /// Class name.
    pub name: String,
    /// Parent class, if it `extends` one.
    pub extends: Option<String>,
    /// 1-based line of the `class` keyword.
    pub line: usize,
    /// Methods in source order.
    pub methods: Vec<Method>,
}

/// The source could not be scanned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanError {
    /// 1-based line where the problem starts.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ScanError {}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    /// Identifier or keyword (case kept).
    Word(String),
    /// `$name`.
    Var(String),
    /// A string literal, number or other literal chunk (raw text in `span`).
    Literal,
    /// `/** ... */`.
    Doc(String),
    /// One punctuation character (`...` is three).
    Punct(char),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: usize,
    start: usize,
    end: usize,
}

/// Scans PHP source text for classes and their methods.
pub fn scan(source: &str) -> Result<Vec<Class>, ScanError> {
    let tokens = tokenize(source)?;
    Parser {
        tokens: &tokens,
        pos: 0,
        source,
    }
    .classes()
}

fn tokenize(src: &str) -> Result<Vec<Token>, ScanError> {
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
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'?' if bytes.get(i + 1) == Some(&b'>') => {
                in_php = false;
                i += 2;
            }
            b'#' if bytes.get(i + 1) != Some(&b'[') => i = skip_line_comment(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_line_comment(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let close = src[i + 2..].find("*/").ok_or(ScanError {
                    line,
                    message: "unterminated comment".into(),
                })?;
                let end = i + 2 + close + 2;
                let is_doc = bytes.get(i + 2) == Some(&b'*') && end - i > 4;
                line += count_lines(&bytes[i..end]);
                if is_doc {
                    tokens.push(Token {
                        tok: Tok::Doc(src[i..end].to_owned()),
                        line: start_line,
                        start,
                        end,
                    });
                }
                i = end;
            }
            b'\'' | b'"' | b'`' => {
                let end = skip_quoted(bytes, i, c).ok_or(ScanError {
                    line,
                    message: "unterminated string".into(),
                })?;
                line += count_lines(&bytes[i..end]);
                tokens.push(Token {
                    tok: Tok::Literal,
                    line: start_line,
                    start,
                    end,
                });
                i = end;
            }
            b'<' if src[i..].starts_with("<<<") => {
                let end = skip_heredoc(src, i).ok_or(ScanError {
                    line,
                    message: "unterminated heredoc".into(),
                })?;
                line += count_lines(&bytes[i..end]);
                tokens.push(Token {
                    tok: Tok::Literal,
                    line: start_line,
                    start,
                    end,
                });
                i = end;
            }
            b'$' if bytes.get(i + 1).is_some_and(|b| is_ident_start(*b)) => {
                let end = ident_end(bytes, i + 1);
                tokens.push(Token {
                    tok: Tok::Var(src[i + 1..end].to_owned()),
                    line,
                    start,
                    end,
                });
                i = end;
            }
            c if is_ident_start(c) || c == b'\\' => {
                let mut end = i + 1;
                while end < bytes.len() && (is_ident_char(bytes[end]) || bytes[end] == b'\\') {
                    end += 1;
                }
                tokens.push(Token {
                    tok: Tok::Word(src[i..end].to_owned()),
                    line,
                    start,
                    end,
                });
                i = end;
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
                tokens.push(Token {
                    tok: Tok::Literal,
                    line,
                    start,
                    end,
                });
                i = end;
            }
            _ => {
                // Multi-byte UTF-8 outside strings is not PHP syntax we need;
                // step over the whole character.
                let ch = src[i..].chars().next().unwrap_or(' ');
                tokens.push(Token {
                    tok: Tok::Punct(ch),
                    line,
                    start,
                    end: i + ch.len_utf8(),
                });
                i += ch.len_utf8();
            }
        }
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

/// The index just past the closing quote, honouring backslash escapes.
fn skip_quoted(bytes: &[u8], start: usize, quote: u8) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
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

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    source: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn error(&self, message: &str) -> ScanError {
        let line = self.peek().or(self.tokens.last()).map_or(1, |t| t.line);
        ScanError {
            line,
            message: message.to_owned(),
        }
    }

    fn is_word(&self, at: usize, word: &str) -> bool {
        matches!(self.tokens.get(at), Some(Token { tok: Tok::Word(w), .. }) if w.eq_ignore_ascii_case(word))
    }

    fn classes(mut self) -> Result<Vec<Class>, ScanError> {
        let mut classes = Vec::new();
        while self.pos < self.tokens.len() {
            // `class Name` (but not `Foo::class` or `new class`).
            let after_colons =
                self.pos >= 1 && matches!(self.tokens[self.pos - 1].tok, Tok::Punct(':'));
            if self.is_word(self.pos, "class") && !after_colons {
                if let Some(Token {
                    tok: Tok::Word(name),
                    ..
                }) = self.tokens.get(self.pos + 1)
                {
                    let line = self.tokens[self.pos].line;
                    let name = name.clone();
                    self.pos += 2;
                    classes.push(self.class_body(name, line)?);
                    continue;
                }
            }
            self.pos += 1;
        }
        Ok(classes)
    }

    fn class_body(&mut self, name: String, line: usize) -> Result<Class, ScanError> {
        let mut extends = None;
        while let Some(t) = self.peek() {
            match &t.tok {
                Tok::Punct('{') => break,
                Tok::Word(w) if w.eq_ignore_ascii_case("extends") => {
                    if let Some(Token {
                        tok: Tok::Word(parent),
                        ..
                    }) = self.tokens.get(self.pos + 1)
                    {
                        extends = Some(parent.trim_start_matches('\\').to_owned());
                    }
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
        if self.peek().is_none() {
            return Err(self.error(&format!("class {name} has no body")));
        }
        self.pos += 1; // `{`
        let mut methods = Vec::new();
        let mut depth = 1usize;
        let mut doc: Option<String> = None;
        let mut modifiers: Vec<String> = Vec::new();
        while let Some(t) = self.peek() {
            match &t.tok {
                Tok::Punct('{') => {
                    depth += 1;
                    self.pos += 1;
                }
                Tok::Punct('}') => {
                    depth -= 1;
                    self.pos += 1;
                    if depth == 0 {
                        return Ok(Class {
                            name,
                            extends,
                            line,
                            methods,
                        });
                    }
                }
                Tok::Doc(text) if depth == 1 => {
                    doc = Some(text.clone());
                    modifiers.clear();
                    self.pos += 1;
                }
                Tok::Word(w) if depth == 1 && is_modifier(w) => {
                    modifiers.push(w.to_ascii_lowercase());
                    self.pos += 1;
                }
                Tok::Word(w) if depth == 1 && w.eq_ignore_ascii_case("function") => {
                    let line = t.line;
                    self.pos += 1;
                    let method = self.method(line, &modifiers, doc.take())?;
                    methods.push(method);
                    modifiers.clear();
                }
                Tok::Punct(';') if depth == 1 => {
                    doc = None;
                    modifiers.clear();
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
        Err(ScanError {
            line,
            message: format!("class {name} is not closed"),
        })
    }

    fn method(
        &mut self,
        line: usize,
        modifiers: &[String],
        doc: Option<String>,
    ) -> Result<Method, ScanError> {
        if matches!(self.peek().map(|t| &t.tok), Some(Tok::Punct('&'))) {
            self.pos += 1;
        }
        let name = match self.peek().map(|t| &t.tok) {
            Some(Tok::Word(w)) => w.clone(),
            _ => return Err(self.error("function without a name")),
        };
        self.pos += 1;
        if !matches!(self.peek().map(|t| &t.tok), Some(Tok::Punct('('))) {
            return Err(self.error(&format!("function {name}: expected `(`")));
        }
        self.pos += 1;
        let params = self.params(&name)?;
        // Skip the return type, then the body (or `;` for abstract methods).
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            match t.tok {
                Tok::Punct(';') if depth == 0 => {
                    self.pos += 1;
                    break;
                }
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.pos += 1;
                        break;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        let visibility = if modifiers.iter().any(|m| m == "private") {
            Visibility::Private
        } else if modifiers.iter().any(|m| m == "protected") {
            Visibility::Protected
        } else {
            Visibility::Public
        };
        Ok(Method {
            name,
            line,
            visibility,
            is_static: modifiers.iter().any(|m| m == "static"),
            params,
            doc,
        })
    }

    /// Parameters up to the matching `)`.
    fn params(&mut self, function: &str) -> Result<Vec<PhpParam>, ScanError> {
        let mut params = Vec::new();
        let mut current: Vec<&Token> = Vec::new();
        let mut depth = 0usize;
        loop {
            let Some(t) = self.tokens.get(self.pos) else {
                return Err(self.error(&format!("function {function}: parameter list not closed")));
            };
            self.pos += 1;
            match t.tok {
                Tok::Punct('(' | '[' | '{') => depth += 1,
                Tok::Punct(')') if depth == 0 => {
                    if !current.is_empty() {
                        params.push(self.param(&current, function)?);
                    }
                    return Ok(params);
                }
                Tok::Punct(')' | ']' | '}') => depth -= 1,
                Tok::Punct(',') if depth == 0 => {
                    if !current.is_empty() {
                        params.push(self.param(&current, function)?);
                    }
                    current.clear();
                    continue;
                }
                _ => {}
            }
            current.push(t);
        }
    }

    fn param(&self, tokens: &[&Token], function: &str) -> Result<PhpParam, ScanError> {
        let var_at = tokens
            .iter()
            .position(|t| matches!(t.tok, Tok::Var(_)))
            .ok_or_else(|| ScanError {
                line: tokens[0].line,
                message: format!("function {function}: parameter without a $name"),
            })?;
        let Tok::Var(name) = &tokens[var_at].tok else {
            unreachable!("position found a Var")
        };
        let before = &tokens[..var_at];
        let by_ref = before.iter().any(|t| t.tok == Tok::Punct('&'));
        let dots = before.iter().filter(|t| t.tok == Tok::Punct('.')).count();
        let type_tokens: Vec<&&Token> = before
            .iter()
            .filter(|t| !matches!(t.tok, Tok::Punct('&') | Tok::Punct('.')))
            .filter(|t| !matches!(&t.tok, Tok::Word(w) if is_modifier(w) || w.eq_ignore_ascii_case("readonly")))
            .collect();
        let ty = (!type_tokens.is_empty()).then(|| {
            let start = type_tokens[0].start;
            let end = type_tokens[type_tokens.len() - 1].end;
            normalize(&self.source[start..end])
        });
        let after = &tokens[var_at + 1..];
        let default = match after.first() {
            Some(t) if t.tok == Tok::Punct('=') && after.len() > 1 => Some(normalize(
                &self.source[after[1].start..after[after.len() - 1].end],
            )),
            _ => None,
        };
        Ok(PhpParam {
            name: name.clone(),
            ty,
            default,
            by_ref,
            variadic: dots >= 3,
        })
    }
}

fn is_modifier(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "public" | "protected" | "private" | "static" | "abstract" | "final" | "var"
    )
}

/// Collapses whitespace runs outside string literals to one space.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut pending_space = false;
    for c in text.trim().chars() {
        if let Some(q) = quote {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        if c == '\'' || c == '"' {
            quote = Some(c);
        }
        out.push(c);
    }
    out
}

/// The first sentence of a doc comment's prose (before any `@tag`), on one line.
pub fn doc_summary(doc: &str) -> Option<String> {
    let mut text = String::new();
    for line in doc_lines(doc) {
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
    let sentence = sentence.trim();
    (!sentence.is_empty() && sentence.len() <= 120).then(|| sentence.to_owned())
}

/// The type named by a doc comment's `@return`, if any.
pub fn doc_return(doc: &str) -> Option<String> {
    doc_lines(doc)
        .find_map(|line| line.strip_prefix("@return"))
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
}

fn doc_lines(doc: &str) -> impl Iterator<Item = &str> {
    doc.trim_start_matches("/**")
        .trim_end_matches("*/")
        .lines()
        .map(|l| l.trim().trim_start_matches('*').trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_keeps_strings() {
        assert_eq!(
            normalize("array(\n  'a  b' =>  1 )"),
            "array( 'a  b' => 1 )"
        );
    }

    #[test]
    fn summary_and_return() {
        let doc = "/**\n * Gets a record. More words here.\n *\n * @param int $id\n * @return array the record\n */";
        assert_eq!(doc_summary(doc).as_deref(), Some("Gets a record."));
        assert_eq!(doc_return(doc).as_deref(), Some("array"));
    }
}
