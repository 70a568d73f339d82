//! PHP statements and expressions, as far as literals, variables, array
//! literals, concatenation, ternaries, calls and assignments go. Anything
//! else is [`Expr::Other`]: recorded as "not understood", never guessed.
//!
//! Two readers use it: the form-definition reader (top-level `$form[...] =
//! array(...)` statements, some inside `if` blocks) and the method-body
//! reader (which form file a remote method passes to `insertQuery` & co.).

use std::ops::Range;

use super::lexer::{self, Tok, Token};
use super::ScanError;

/// How deeply expressions and blocks may nest before the rest is
/// [`Expr::Other`] (hostile input must not overflow the stack).
const MAX_DEPTH: usize = 64;

/// A literal scalar.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A string without interpolation, escapes resolved.
    Str(String),
}

impl Scalar {
    /// PHP's string conversion of the scalar (`true` → `"1"`, `null` → `""`).
    pub fn to_php_string(&self) -> String {
        match self {
            Scalar::Null | Scalar::Bool(false) => String::new(),
            Scalar::Bool(true) => "1".to_owned(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Str(s) => s.clone(),
        }
    }
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal scalar.
    Lit(Scalar),
    /// `$name`.
    Var(String),
    /// `array(k => v, v)` or `[k => v, v]`; `None` keys are auto-indexed.
    Array(Vec<(Option<Expr>, Expr)>),
    /// `a . b . c`.
    Concat(Vec<Expr>),
    /// `cond ? then : otherwise`, with the condition's source text.
    Ternary {
        /// The condition as written (whitespace collapsed).
        cond: String,
        /// Value when the condition holds.
        then: Box<Expr>,
        /// Value otherwise.
        otherwise: Box<Expr>,
    },
    /// `name(args)`, `$obj->name(args)` or `$this->name(args)`.
    Call {
        /// The object for a method call (`$this`, `$app->remoting_lib`).
        target: Option<Box<Expr>>,
        /// Function or method name.
        name: String,
        /// Arguments in order.
        args: Vec<Expr>,
    },
    /// `$obj->name`.
    Prop(Box<Expr>, String),
    /// `base[index]` (`None` for `base[]`).
    Index(Box<Expr>, Option<Box<Expr>>),
    /// `target = value`, `target += value`, ...
    Assign {
        /// Left side.
        target: Box<Expr>,
        /// The operator: `=`, `+=`, `.=`, ...
        op: AssignOp,
        /// Right side.
        value: Box<Expr>,
    },
    /// Anything else (operators, casts, closures, `@`-silenced code, ...).
    Other,
}

/// An assignment operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`.
    Set,
    /// `+=` (on arrays: union, existing keys win).
    Union,
    /// Any other compound assignment (`.=`, `-=`, ...).
    Other,
}

impl Expr {
    /// The literal value, if the expression is one: scalars, concatenations
    /// of literals, and arrays of literals.
    pub fn literal(&self) -> Option<Literal> {
        match self {
            Expr::Lit(s) => Some(Literal::Scalar(s.clone())),
            Expr::Concat(parts) => {
                let mut out = String::new();
                for p in parts {
                    match p.literal()? {
                        Literal::Scalar(s) => out.push_str(&s.to_php_string()),
                        Literal::Array(_) => return None,
                    }
                }
                Some(Literal::Scalar(Scalar::Str(out)))
            }
            Expr::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut next = 0i64;
                for (k, v) in items {
                    let key = match k {
                        None => ArrayKey::Int(next),
                        Some(k) => match k.literal()? {
                            Literal::Scalar(s) => ArrayKey::from_scalar(&s)?,
                            Literal::Array(_) => return None,
                        },
                    };
                    if let ArrayKey::Int(i) = key {
                        next = next.max(i.saturating_add(1));
                    }
                    let value = v.literal()?;
                    // A repeated key overwrites in place, as in PHP.
                    match out.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = value,
                        None => out.push((key, value)),
                    }
                }
                Some(Literal::Array(out))
            }
            _ => None,
        }
    }

    /// The string value, if the expression is a literal scalar.
    pub fn literal_string(&self) -> Option<String> {
        match self.literal()? {
            Literal::Scalar(s) => Some(s.to_php_string()),
            Literal::Array(_) => None,
        }
    }
}

/// A fully literal value.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// A scalar.
    Scalar(Scalar),
    /// An array, in order.
    Array(Vec<(ArrayKey, Literal)>),
}

/// A PHP array key (integer-like strings become integers, as in PHP).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArrayKey {
    /// An integer key.
    Int(i64),
    /// A string key.
    Str(String),
}

impl ArrayKey {
    /// The key PHP makes of a scalar; `None` for floats' odd cases we do not model.
    pub fn from_scalar(s: &Scalar) -> Option<ArrayKey> {
        Some(match s {
            Scalar::Null => ArrayKey::Str(String::new()),
            Scalar::Bool(b) => ArrayKey::Int(i64::from(*b)),
            Scalar::Int(i) => ArrayKey::Int(*i),
            Scalar::Float(_) => return None,
            Scalar::Str(s) => match s.parse::<i64>() {
                // "1" is the integer key 1; "01", "+1" and "-0" stay strings.
                Ok(i) if i.to_string() == *s => ArrayKey::Int(i),
                _ => ArrayKey::Str(s.clone()),
            },
        })
    }

    /// The key as text.
    pub fn to_text(&self) -> String {
        match self {
            ArrayKey::Int(i) => i.to_string(),
            ArrayKey::Str(s) => s.clone(),
        }
    }
}

/// One statement: an expression statement or a `return`.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// The expression (`Expr::Other` for what is not understood).
    pub expr: Expr,
    /// `return expr;`.
    pub is_return: bool,
    /// Inside an `if`/`else`/loop/`switch` block: it may not run.
    pub conditional: bool,
    /// 1-based line.
    pub line: usize,
}

/// A tokenized PHP file, to read statements from (once per file).
pub struct Source<'a> {
    text: &'a str,
    tokens: Vec<Token>,
}

impl<'a> Source<'a> {
    /// Tokenizes `text`.
    pub fn new(text: &'a str) -> Result<Self, ScanError> {
        let mut tokens = lexer::tokenize(text)?;
        // Doc comments are not part of any expression.
        tokens.retain(|t| !matches!(t.tok, Tok::Doc(_)));
        Ok(Source { text, tokens })
    }

    /// Every statement of the file outside functions and classes, in order,
    /// blocks flattened (their statements marked conditional).
    pub fn top_level(&self) -> Vec<Stmt> {
        let mut out = Vec::new();
        self.block(&self.tokens, false, 0, &mut out);
        out
    }

    /// The statements of a method body (the byte span of `{ ... }`, as
    /// [`super::Method::body`] gives it).
    pub fn body(&self, span: &Range<usize>) -> Vec<Stmt> {
        let from = self.tokens.partition_point(|t| t.start < span.start);
        let to = self.tokens.partition_point(|t| t.end <= span.end);
        let mut out = Vec::new();
        if to > from + 1 {
            // Without the braces themselves.
            self.block(&self.tokens[from + 1..to - 1], false, 0, &mut out);
        }
        out
    }

    fn block(&self, toks: &[Token], conditional: bool, depth: usize, out: &mut Vec<Stmt>) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            match &t.tok {
                Tok::Punct(';') => i += 1,
                Tok::Punct('{') => {
                    let end = matching(toks, i);
                    self.block(sub(toks, i + 1, end), conditional, depth + 1, out);
                    i = end + 1;
                }
                Tok::Word(w) if is_control(w) => {
                    i += 1;
                    // `else if`: the `if` is read on the next round.
                    if toks.get(i).is_some_and(|t| t.tok == Tok::Punct('(')) {
                        i = matching(toks, i) + 1;
                    }
                    if toks.get(i).is_some_and(|t| t.tok == Tok::Punct(':')) {
                        // Alternative syntax (`if (...):` ... `endif;`): the
                        // statements follow as usual; mark them conditional
                        // up to the end keyword.
                        let end = toks[i..]
                            .iter()
                            .position(|t| matches!(&t.tok, Tok::Word(w) if w.to_ascii_lowercase().starts_with("end")))
                            .map_or(toks.len(), |p| i + p);
                        self.block(sub(toks, i + 1, end), true, depth + 1, out);
                        i = end + 1;
                    } else if toks.get(i).is_some_and(|t| t.tok == Tok::Punct('{')) {
                        let end = matching(toks, i);
                        self.block(sub(toks, i + 1, end), true, depth + 1, out);
                        i = end + 1;
                    } else {
                        let end = statement_end(toks, i);
                        self.block(sub(toks, i, end), true, depth + 1, out);
                        i = end + 1;
                    }
                }
                Tok::Word(w)
                    if w.eq_ignore_ascii_case("function") || w.eq_ignore_ascii_case("class") =>
                {
                    // A declaration: skip it whole (its body is not ours).
                    let open = toks[i..].iter().position(|t| t.tok == Tok::Punct('{'));
                    i = match open {
                        Some(p) => matching(toks, i + p) + 1,
                        None => statement_end(toks, i) + 1,
                    };
                }
                Tok::Word(w)
                    if w.eq_ignore_ascii_case("global") || w.eq_ignore_ascii_case("unset") =>
                {
                    i = statement_end(toks, i) + 1;
                }
                Tok::Word(w) if w.eq_ignore_ascii_case("return") => {
                    let end = statement_end(toks, i);
                    out.push(Stmt {
                        expr: self.expr(sub(toks, i + 1, end), 0),
                        is_return: true,
                        conditional,
                        line: t.line,
                    });
                    i = end + 1;
                }
                _ => {
                    let end = statement_end(toks, i);
                    out.push(Stmt {
                        expr: self.expr(sub(toks, i, end), 0),
                        is_return: false,
                        conditional,
                        line: t.line,
                    });
                    i = end + 1;
                }
            }
        }
    }

    /// Source text of tokens, gaps shown as one space.
    fn render(&self, toks: &[Token]) -> String {
        let mut out = String::new();
        let mut prev_end = None;
        for t in toks {
            if prev_end.is_some_and(|end| end < t.start) {
                out.push(' ');
            }
            out.push_str(&self.text[t.start..t.end]);
            prev_end = Some(t.end);
        }
        out
    }

    fn expr(&self, toks: &[Token], depth: usize) -> Expr {
        if toks.is_empty() || depth > MAX_DEPTH {
            return Expr::Other;
        }
        // Assignment (lowest precedence, right-associative).
        if let Some((at, op, width)) = find_assignment(toks) {
            return Expr::Assign {
                target: Box::new(self.expr(&toks[..at], depth + 1)),
                op,
                value: Box::new(self.expr(&toks[at + width..], depth + 1)),
            };
        }
        // Ternary.
        if let Some((q, colon)) = find_ternary(toks) {
            return Expr::Ternary {
                cond: self.render(&toks[..q]),
                then: Box::new(self.expr(&toks[q + 1..colon], depth + 1)),
                otherwise: Box::new(self.expr(&toks[colon + 1..], depth + 1)),
            };
        }
        // Any other binary operator at the top level: not modelled.
        let cuts = top_level(toks);
        let is_operator = |i: usize| {
            let arrow = punct(toks, i) == Some('>') && i > 0 && punct(toks, i - 1) == Some('-');
            i > 0
                && !arrow
                && matches!(
                    toks[i].tok,
                    Tok::Punct(
                        '&' | '|' | '=' | '!' | '<' | '>' | '+' | '*' | '/' | '%' | '?' | '^'
                    )
                )
        };
        if cuts.iter().any(|&i| is_operator(i)) {
            return Expr::Other;
        }
        // Concatenation.
        let dots: Vec<usize> = cuts
            .iter()
            .copied()
            .filter(|&i| toks[i].tok == Tok::Punct('.') && is_concat_dot(toks, i))
            .collect();
        if !dots.is_empty() {
            let mut parts = Vec::new();
            let mut from = 0;
            for d in dots.into_iter().chain([toks.len()]) {
                parts.push(self.expr(&toks[from..d], depth + 1));
                from = d + 1;
            }
            return Expr::Concat(parts);
        }
        self.primary(toks, depth)
    }

    fn primary(&self, toks: &[Token], depth: usize) -> Expr {
        let first = &toks[0];
        let (mut base, mut i) = match &first.tok {
            Tok::Punct('(') => {
                let end = matching(toks, 0);
                if end + 1 != toks.len() {
                    // A cast `(int) $x` or `(...)->x`: not modelled.
                    return Expr::Other;
                }
                return self.expr(sub(toks, 1, end), depth + 1);
            }
            Tok::Punct('-') if toks.len() == 2 => {
                return match self.primary(&toks[1..], depth + 1) {
                    Expr::Lit(Scalar::Int(i)) => Expr::Lit(Scalar::Int(-i)),
                    Expr::Lit(Scalar::Float(f)) => Expr::Lit(Scalar::Float(-f)),
                    _ => Expr::Other,
                };
            }
            Tok::Literal => {
                if toks.len() != 1 {
                    return Expr::Other;
                }
                return literal(&self.text[first.start..first.end]).map_or(Expr::Other, Expr::Lit);
            }
            Tok::Punct('[') => {
                let end = matching(toks, 0);
                if end + 1 != toks.len() {
                    return Expr::Other;
                }
                return self.array(sub(toks, 1, end), depth);
            }
            Tok::Word(w)
                if w.eq_ignore_ascii_case("array")
                    && toks.get(1).is_some_and(|t| t.tok == Tok::Punct('(')) =>
            {
                let end = matching(toks, 1);
                if end + 1 != toks.len() {
                    return Expr::Other;
                }
                return self.array(sub(toks, 2, end), depth);
            }
            Tok::Word(w) if toks.len() == 1 => {
                return match w.to_ascii_lowercase().as_str() {
                    "true" => Expr::Lit(Scalar::Bool(true)),
                    "false" => Expr::Lit(Scalar::Bool(false)),
                    "null" => Expr::Lit(Scalar::Null),
                    _ => Expr::Other,
                };
            }
            Tok::Word(w) if toks.get(1).is_some_and(|t| t.tok == Tok::Punct('(')) => {
                let end = matching(toks, 1);
                let call = Expr::Call {
                    target: None,
                    name: w.clone(),
                    args: self.list(sub(toks, 2, end), depth),
                };
                (call, end + 1)
            }
            Tok::Var(v) => (Expr::Var(v.clone()), 1),
            _ => return Expr::Other,
        };
        // Postfix chain: `->name`, `->name(args)`, `[index]`.
        while i < toks.len() {
            match &toks[i].tok {
                Tok::Punct('-') if toks.get(i + 1).is_some_and(|t| t.tok == Tok::Punct('>')) => {
                    let Some(Tok::Word(name)) = toks.get(i + 2).map(|t| &t.tok) else {
                        return Expr::Other;
                    };
                    if toks.get(i + 3).is_some_and(|t| t.tok == Tok::Punct('(')) {
                        let end = matching(toks, i + 3);
                        base = Expr::Call {
                            target: Some(Box::new(base)),
                            name: name.clone(),
                            args: self.list(sub(toks, i + 4, end), depth),
                        };
                        i = end + 1;
                    } else {
                        base = Expr::Prop(Box::new(base), name.clone());
                        i += 3;
                    }
                }
                Tok::Punct('[') => {
                    let end = matching(toks, i);
                    let inner = sub(toks, i + 1, end);
                    let index = (!inner.is_empty()).then(|| Box::new(self.expr(inner, depth + 1)));
                    base = Expr::Index(Box::new(base), index);
                    i = end + 1;
                }
                _ => return Expr::Other,
            }
        }
        base
    }

    /// Comma-separated expressions (arguments).
    fn list(&self, toks: &[Token], depth: usize) -> Vec<Expr> {
        split_commas(toks)
            .into_iter()
            .map(|part| self.expr(part, depth + 1))
            .collect()
    }

    /// The items of an array literal (`k => v, v`).
    fn array(&self, toks: &[Token], depth: usize) -> Expr {
        let mut items = Vec::new();
        for part in split_commas(toks) {
            let arrow = top_level(part).into_iter().find(|&i| {
                part[i].tok == Tok::Punct('=')
                    && part.get(i + 1).is_some_and(|t| t.tok == Tok::Punct('>'))
            });
            match arrow {
                Some(a) => items.push((
                    Some(self.expr(&part[..a], depth + 1)),
                    self.expr(&part[a + 2..], depth + 1),
                )),
                None => items.push((None, self.expr(part, depth + 1))),
            }
        }
        Expr::Array(items)
    }
}

fn is_control(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "if" | "elseif"
            | "else"
            | "foreach"
            | "for"
            | "while"
            | "switch"
            | "do"
            | "try"
            | "catch"
            | "finally"
            | "case"
            | "default"
    )
}

/// `toks[from..to]`, clamped: unbalanced input must not index out of range.
fn sub(toks: &[Token], from: usize, to: usize) -> &[Token] {
    let to = to.min(toks.len());
    &toks[from.min(to)..to]
}

/// Index of the token closing the bracket opened at `open` (or the end).
fn matching(toks: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t.tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// Index of the `;` ending the statement starting at `from` (or the end).
/// A `case x:` label ends at its colon.
fn statement_end(toks: &[Token], from: usize) -> usize {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(from) {
        match t.tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                if depth == 0 {
                    return i;
                }
                depth -= 1;
            }
            Tok::Punct(';') if depth == 0 => return i,
            _ => {}
        }
    }
    toks.len()
}

/// Indices of the tokens outside any brackets.
fn top_level(toks: &[Token]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate() {
        match t.tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(i),
            _ => {}
        }
    }
    out
}

fn split_commas(toks: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::new();
    let mut from = 0;
    for i in top_level(toks) {
        if toks[i].tok == Tok::Punct(',') {
            parts.push(&toks[from..i]);
            from = i + 1;
        }
    }
    if from < toks.len() {
        parts.push(&toks[from..]);
    }
    parts.retain(|p| !p.is_empty());
    parts
}

fn punct(toks: &[Token], i: usize) -> Option<char> {
    match toks.get(i).map(|t| &t.tok) {
        Some(Tok::Punct(c)) => Some(*c),
        _ => None,
    }
}

/// The first top-level assignment operator: its index, kind and width.
fn find_assignment(toks: &[Token]) -> Option<(usize, AssignOp, usize)> {
    for i in top_level(toks) {
        if punct(toks, i) != Some('=') {
            continue;
        }
        // Not `==`, `=>`, `!=`, `<=`, `>=`, `===`.
        if matches!(punct(toks, i + 1), Some('=' | '>')) {
            continue;
        }
        let prev = if i > 0 { punct(toks, i - 1) } else { None };
        // A compound operator's first character must touch the `=`.
        let touching = i > 0 && toks[i - 1].end == toks[i].start;
        match prev {
            Some('=' | '!' | '<' | '>') => continue,
            Some('+') if touching => return Some((i - 1, AssignOp::Union, 2)),
            Some('.' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '?') if touching => {
                return Some((i - 1, AssignOp::Other, 2))
            }
            _ => return Some((i, AssignOp::Set, 1)),
        }
    }
    None
}

/// A top-level `?` (not `??`, not `?->`) and its `:` (not `::`).
fn find_ternary(toks: &[Token]) -> Option<(usize, usize)> {
    let top = top_level(toks);
    let q = top.iter().copied().find(|&i| {
        punct(toks, i) == Some('?')
            && !matches!(punct(toks, i + 1), Some('?' | '-'))
            && !(i > 0 && punct(toks, i - 1) == Some('?'))
    })?;
    let mut nested = 0usize;
    for &i in top.iter().filter(|&&i| i > q) {
        match punct(toks, i) {
            Some('?') if !matches!(punct(toks, i + 1), Some('?' | '-')) => nested += 1,
            Some(':')
                if punct(toks, i + 1) == Some(':')
                    || punct(toks, i.wrapping_sub(1)) == Some(':') => {}
            Some(':') if nested > 0 => nested -= 1,
            Some(':') => return Some((q, i)),
            _ => {}
        }
    }
    None
}

/// A `.` that concatenates (not part of `...` nor of `.=`).
fn is_concat_dot(toks: &[Token], i: usize) -> bool {
    let after_dot = i > 0 && punct(toks, i - 1) == Some('.');
    !(after_dot || matches!(punct(toks, i + 1), Some('.' | '=')))
}

/// A literal token's value: numbers and strings without interpolation.
fn literal(text: &str) -> Option<Scalar> {
    let bytes = text.as_bytes();
    match bytes.first()? {
        b'\'' => Some(Scalar::Str(single_quoted(
            &text[1..text.len().checked_sub(1)?],
        ))),
        b'"' => double_quoted(&text[1..text.len().checked_sub(1)?]).map(Scalar::Str),
        b'0'..=b'9' => number(text),
        _ => None,
    }
}

fn number(text: &str) -> Option<Scalar> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let int = if let Some(hex) = lower.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = lower.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()
    } else if let Some(oct) = lower.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|b| b.is_ascii_digit())
    {
        i64::from_str_radix(&lower[1..], 8).ok()
    } else {
        lower.parse::<i64>().ok()
    };
    if let Some(i) = int {
        return Some(Scalar::Int(i));
    }
    lower
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(Scalar::Float)
}

/// `'...'`: only `\'` and `\\` are escapes.
fn single_quoted(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n @ ('\'' | '\\')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `"..."`: PHP's escapes; `None` when it interpolates a variable.
fn double_quoted(body: &str) -> Option<String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '_' || *n == '{') =>
            {
                return None
            }
            '{' if chars.peek() == Some(&'$') => return None,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('v') => out.push('\x0b'),
                Some('e') => out.push('\x1b'),
                Some('f') => out.push('\x0c'),
                Some('0') => out.push('\0'),
                Some(n @ ('\\' | '$' | '"')) => out.push(n),
                Some(n) => {
                    // Octal, hex and unicode escapes are rare in forms: keep
                    // them as written rather than decode them wrongly.
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Expr {
        let text = format!("<?php {src};");
        let source = Source::new(&text).unwrap();
        let mut stmts = source.top_level();
        assert_eq!(stmts.len(), 1, "{src}: {stmts:?}");
        stmts.remove(0).expr
    }

    fn s(v: &str) -> Expr {
        Expr::Lit(Scalar::Str(v.into()))
    }

    #[test]
    fn literals() {
        assert_eq!(one("'a\\'b\\\\c\\n'"), s("a'b\\c\\n"));
        assert_eq!(one("\"a\\tb\\$c\""), s("a\tb$c"));
        assert_eq!(one("\"a $b\""), Expr::Other);
        assert_eq!(one("-1"), Expr::Lit(Scalar::Int(-1)));
        assert_eq!(one("0x1f"), Expr::Lit(Scalar::Int(31)));
        assert_eq!(one("1.5"), Expr::Lit(Scalar::Float(1.5)));
        assert_eq!(one("NULL"), Expr::Lit(Scalar::Null));
        assert_eq!(one("'a' . 'b'").literal_string().as_deref(), Some("ab"));
    }

    #[test]
    fn arrays_auto_index_and_normalize_keys() {
        let e = one("array('a' => 1, 2, '5' => 3, 4, 'a' => 5)");
        let Some(Literal::Array(items)) = e.literal() else {
            panic!("{e:?}")
        };
        let keys: Vec<String> = items.iter().map(|(k, _)| k.to_text()).collect();
        assert_eq!(keys, ["a", "0", "5", "6"]);
        assert_eq!(items[0].1, Literal::Scalar(Scalar::Int(5)));
        assert_eq!(one("[1, [2]]").literal().map(|_| ()), Some(()));
    }

    #[test]
    fn assignments_calls_and_ternaries() {
        let e = one("$form['tabs']['x'] += array('f' => 1)");
        let Expr::Assign { op, target, .. } = e else {
            panic!()
        };
        assert_eq!(op, AssignOp::Union);
        assert!(matches!(*target, Expr::Index(..)));
        let e = one("$x = $this->insertQuery('../a/' . ($c ? 'r' : 'c') . '.php', $id)");
        let Expr::Assign { value, .. } = e else {
            panic!()
        };
        let Expr::Call { name, args, target } = *value else {
            panic!()
        };
        assert_eq!(name, "insertQuery");
        assert_eq!(target.as_deref(), Some(&Expr::Var("this".into())));
        let Expr::Concat(parts) = &args[0] else {
            panic!("{:?}", args[0])
        };
        assert!(matches!(&parts[1], Expr::Ternary { cond, .. } if cond == "$c"));
        assert_eq!(one("$a == 'b'"), Expr::Other);
        assert_eq!(one("@$app->f->intval($_REQUEST['z'])"), Expr::Other);
    }

    #[test]
    fn blocks_are_conditional_and_functions_skipped() {
        let text = "<?php $a = 1; if ($x) { $b = 2; } else $c = 3; function f() { $d = 4; } foreach ($l as $v): $e = 5; endforeach; $f = 6;";
        let source = Source::new(text).unwrap();
        let got: Vec<(String, bool)> = source
            .top_level()
            .into_iter()
            .filter_map(|s| match s.expr {
                Expr::Assign { target, .. } => match *target {
                    Expr::Var(v) => Some((v, s.conditional)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        let want = [
            ("a", false),
            ("b", true),
            ("c", true),
            ("e", true),
            ("f", false),
        ];
        assert_eq!(got, want.map(|(v, c)| (v.to_owned(), c)));
    }

    #[test]
    fn deep_nesting_is_not_a_stack_overflow() {
        let text = format!("<?php $a = {}1{};", "(".repeat(10_000), ")".repeat(10_000));
        let source = Source::new(&text).unwrap();
        let _ = source.top_level();
        let text = format!(
            "<?php {} $a = 1; {}",
            "if (1) {".repeat(10_000),
            "}".repeat(10_000)
        );
        let source = Source::new(&text).unwrap();
        let _ = source.top_level();
    }
}
