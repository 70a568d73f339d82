//! A small PHP scanner: finds classes and traits, their methods, visibility,
//! parameters with defaults and doc comments. Not a PHP parser: the lexer
//! turns comments, strings and heredocs into opaque tokens, and method bodies
//! are skipped by brace matching, so code-like text inside them never counts.

mod doc;
mod lexer;
pub mod value;

use std::fmt;

use lexer::{Tok, Token};

pub use doc::{return_type as doc_return, summary as doc_summary};

/// A class or trait and its methods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Class {
    /// Class name as written.
    pub name: String,
    /// `class` or `trait`.
    pub kind: ClassKind,
    /// Parent class, if it `extends` one (without a leading `\`).
    pub extends: Option<String>,
    /// Traits it `use`s, in order (without a leading `\`).
    pub traits: Vec<String>,
    /// 1-based line of the `class`/`trait` keyword.
    pub line: usize,
    /// Methods in source order.
    pub methods: Vec<Method>,
}

/// What kind of declaration a [`Class`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassKind {
    /// `class` (including `abstract`/`final` ones).
    Class,
    /// `trait`: its methods are copied into the classes that use it.
    Trait,
}

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
    /// Declared `abstract` (no body).
    pub is_abstract: bool,
    /// Parameters in order.
    pub params: Vec<PhpParam>,
    /// The doc comment right above, if any.
    pub doc: Option<String>,
    /// Byte span of the body in the source, braces included; `None` for an
    /// abstract method.
    pub body: Option<std::ops::Range<usize>>,
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
    /// Type hint as written (`?array`, `int`, `A&B`), if any.
    pub ty: Option<String>,
    /// Default value as written, whitespace runs and comments collapsed to
    /// one space, if any.
    pub default: Option<String>,
    /// Passed by reference (`&$x`).
    pub by_ref: bool,
    /// Variadic (`...$x`).
    pub variadic: bool,
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

/// Scans PHP source text for classes, traits and their methods.
pub fn scan(source: &str) -> Result<Vec<Class>, ScanError> {
    let tokens = lexer::tokenize(source)?;
    Parser {
        tokens: &tokens,
        pos: 0,
        source,
    }
    .classes()
}

/// Whether `name` is one of PHP's magic methods (called by the engine, never
/// as a remote method).
pub fn is_magic_method(name: &str) -> bool {
    const MAGIC: [&str; 17] = [
        "__construct",
        "__destruct",
        "__call",
        "__callstatic",
        "__get",
        "__set",
        "__isset",
        "__unset",
        "__sleep",
        "__wakeup",
        "__serialize",
        "__unserialize",
        "__tostring",
        "__invoke",
        "__set_state",
        "__clone",
        "__debuginfo",
    ];
    MAGIC.contains(&name.to_ascii_lowercase().as_str())
}

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    source: &'a str,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.pos)
    }

    fn peek_is(&self, c: char) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Punct(p), .. }) if *p == c)
    }

    fn word_at(&self, at: usize) -> Option<&'a str> {
        match self.tokens.get(at) {
            Some(Token {
                tok: Tok::Word(w), ..
            }) => Some(w),
            _ => None,
        }
    }

    fn is_word(&self, at: usize, word: &str) -> bool {
        self.word_at(at)
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    }

    fn error(&self, message: &str) -> ScanError {
        let line = self.peek().or(self.tokens.last()).map_or(1, |t| t.line);
        ScanError {
            line,
            message: message.to_owned(),
        }
    }

    /// Every `class Name` / `trait Name` outside other classes' bodies.
    fn classes(mut self) -> Result<Vec<Class>, ScanError> {
        let mut classes = Vec::new();
        while self.pos < self.tokens.len() {
            let kind = if self.is_word(self.pos, "class") {
                Some(ClassKind::Class)
            } else if self.is_word(self.pos, "trait") {
                Some(ClassKind::Trait)
            } else {
                None
            };
            // Not `Foo::class`, `$o->class`, nor an anonymous `new class`.
            let declares = self.pos == 0
                || !(matches!(self.tokens[self.pos - 1].tok, Tok::Punct(':' | '>'))
                    || self.is_word(self.pos - 1, "new"));
            if let (Some(kind), true) = (kind, declares) {
                if let Some(name) = self.word_at(self.pos + 1) {
                    let name = name.to_owned();
                    let line = self.tokens[self.pos].line;
                    self.pos += 2;
                    classes.push(self.class_body(name, kind, line)?);
                    continue;
                }
            }
            self.pos += 1;
        }
        Ok(classes)
    }

    /// From after `class Name` to just past the class's closing brace.
    fn class_body(
        &mut self,
        name: String,
        kind: ClassKind,
        line: usize,
    ) -> Result<Class, ScanError> {
        let mut extends = None;
        while let Some(t) = self.peek() {
            match &t.tok {
                Tok::Punct('{') => break,
                Tok::Word(w) if w.eq_ignore_ascii_case("extends") => {
                    extends = self
                        .word_at(self.pos + 1)
                        .map(|p| p.trim_start_matches('\\').to_owned());
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
        if self.peek().is_none() {
            return Err(self.error(&format!("class {name} has no body")));
        }
        self.pos += 1; // `{`
        let mut class = Class {
            name,
            kind,
            extends,
            traits: Vec::new(),
            line,
            methods: Vec::new(),
        };
        // Doc comment and modifiers seen since the last member ended.
        let mut doc: Option<String> = None;
        let mut modifiers: Vec<String> = Vec::new();
        while let Some(t) = self.peek() {
            match &t.tok {
                Tok::Punct('}') => {
                    self.pos += 1;
                    return Ok(class);
                }
                Tok::Punct('#')
                    if self.tokens.get(self.pos + 1).map(|t| &t.tok) == Some(&Tok::Punct('[')) =>
                {
                    self.pos += 1;
                    self.skip_balanced('[', ']');
                }
                Tok::Doc(text) => {
                    doc = Some(text.clone());
                    self.pos += 1;
                }
                Tok::Word(w) if is_modifier(w) => {
                    modifiers.push(w.to_ascii_lowercase());
                    self.pos += 1;
                }
                Tok::Word(w) if w.eq_ignore_ascii_case("function") => {
                    let line = t.line;
                    self.pos += 1;
                    let method = self.method(line, &modifiers, doc.take())?;
                    class.methods.push(method);
                    modifiers.clear();
                }
                Tok::Word(w) if w.eq_ignore_ascii_case("use") => {
                    self.pos += 1;
                    class.traits.extend(self.trait_list());
                    doc = None;
                    modifiers.clear();
                }
                // Properties, constants (whose names may be keywords such as
                // `function`), enum cases: skip to the end of the member.
                _ => {
                    self.skip_member();
                    doc = None;
                    modifiers.clear();
                }
            }
        }
        Err(ScanError {
            line,
            message: format!("class {} is not closed", class.name),
        })
    }

    /// Skips from an opening `open` at the current position to just past its
    /// matching `close`.
    fn skip_balanced(&mut self, open: char, close: char) {
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            self.pos += 1;
            match t.tok {
                Tok::Punct(c) if c == open => depth += 1,
                Tok::Punct(c) if c == close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// A non-method member: up to and including its `;`, keeping the class's
    /// closing `}` for the caller.
    fn skip_member(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            match t.tok {
                Tok::Punct('(' | '[' | '{') => depth += 1,
                Tok::Punct(')' | ']') => depth = depth.saturating_sub(1),
                Tok::Punct('}') if depth == 0 => return,
                Tok::Punct('}') => depth -= 1,
                Tok::Punct(';') if depth == 0 => {
                    self.pos += 1;
                    return;
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// `use A, B;` or `use A { ... }` inside a class: the trait names.
    fn trait_list(&mut self) -> Vec<String> {
        let mut names = Vec::new();
        while let Some(t) = self.peek() {
            match &t.tok {
                Tok::Word(w) => {
                    names.push(w.trim_start_matches('\\').to_owned());
                    self.pos += 1;
                }
                Tok::Punct(';') => {
                    self.pos += 1;
                    break;
                }
                // Conflict resolution (`insteadof`, `as`) is not modelled.
                Tok::Punct('{') => {
                    self.skip_balanced('{', '}');
                    break;
                }
                Tok::Punct('}') => break,
                _ => self.pos += 1,
            }
        }
        names
    }

    /// From after `function` to just past the method's body (or `;`).
    fn method(
        &mut self,
        line: usize,
        modifiers: &[String],
        doc: Option<String>,
    ) -> Result<Method, ScanError> {
        if self.peek_is('&') {
            self.pos += 1;
        }
        let name = match self.peek().map(|t| &t.tok) {
            Some(Tok::Word(w)) => w.clone(),
            _ => return Err(self.error("function without a name")),
        };
        self.pos += 1;
        if !self.peek_is('(') {
            return Err(self.error(&format!("function {name}: expected `(`")));
        }
        self.pos += 1;
        let params = self.params(&name)?;
        // Skip the return type, then the body (or `;` for abstract methods).
        let mut depth = 0usize;
        let mut body_start = None;
        let mut body = None;
        loop {
            let Some(t) = self.peek() else {
                return Err(ScanError {
                    line,
                    message: format!("function {name}: body not closed"),
                });
            };
            self.pos += 1;
            match t.tok {
                Tok::Punct(';') if depth == 0 => break,
                Tok::Punct('{') => {
                    body_start.get_or_insert(t.start);
                    depth += 1;
                }
                Tok::Punct('}') if depth == 0 => {
                    return Err(self.error(&format!("function {name}: unexpected `}}`")))
                }
                Tok::Punct('}') => {
                    depth -= 1;
                    if depth == 0 {
                        body = body_start.map(|start| start..t.end);
                        break;
                    }
                }
                _ => {}
            }
        }
        let has = |m: &str| modifiers.iter().any(|x| x == m);
        let visibility = if has("private") {
            Visibility::Private
        } else if has("protected") {
            Visibility::Protected
        } else {
            Visibility::Public
        };
        Ok(Method {
            name,
            line,
            visibility,
            is_static: has("static"),
            is_abstract: has("abstract"),
            params,
            doc,
            body,
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
                Tok::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
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

    /// One parameter from its tokens: attributes, modifiers (promoted
    /// constructor properties), type, `&`, `...`, `$name`, `= default`.
    fn param(&self, tokens: &[&Token], function: &str) -> Result<PhpParam, ScanError> {
        let tokens = without_attributes(tokens);
        let var_at = tokens
            .iter()
            .position(|t| matches!(t.tok, Tok::Var(_)))
            .ok_or_else(|| ScanError {
                line: tokens.first().map_or(1, |t| t.line),
                message: format!("function {function}: parameter without a $name"),
            })?;
        let Tok::Var(name) = &tokens[var_at].tok else {
            return Err(self.error("internal: parameter name vanished"));
        };
        // Right before `$name`: optional `...`, before that optional `&`;
        // any other `&` belongs to an intersection type (`A&B $x`).
        let mut type_end = var_at;
        let mut dots = 0;
        while type_end > 0 && tokens[type_end - 1].tok == Tok::Punct('.') {
            type_end -= 1;
            dots += 1;
        }
        let by_ref = type_end > 0 && tokens[type_end - 1].tok == Tok::Punct('&');
        if by_ref {
            type_end -= 1;
        }
        let type_tokens: Vec<&Token> = tokens[..type_end]
            .iter()
            .copied()
            .filter(|t| !matches!(&t.tok, Tok::Word(w) if is_modifier(w) || w.eq_ignore_ascii_case("readonly")))
            .collect();
        let after = &tokens[var_at + 1..];
        let default = match after {
            [eq, value @ ..] if eq.tok == Tok::Punct('=') && !value.is_empty() => {
                Some(self.render(value))
            }
            _ => None,
        };
        Ok(PhpParam {
            name: name.clone(),
            ty: (!type_tokens.is_empty()).then(|| self.render(&type_tokens)),
            default,
            by_ref,
            variadic: dots >= 3,
        })
    }

    /// The tokens' source text, with any gap between two tokens (whitespace,
    /// comments) shown as one space.
    fn render(&self, tokens: &[&Token]) -> String {
        let mut out = String::new();
        let mut prev_end = None;
        for t in tokens {
            if prev_end.is_some_and(|end| end < t.start) {
                out.push(' ');
            }
            out.push_str(&self.source[t.start..t.end]);
            prev_end = Some(t.end);
        }
        out
    }
}

/// The tokens without `#[...]` attribute groups.
fn without_attributes<'t>(tokens: &[&'t Token]) -> Vec<&'t Token> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let opens = tokens[i].tok == Tok::Punct('#')
            && tokens.get(i + 1).map(|t| &t.tok) == Some(&Tok::Punct('['));
        if !opens {
            out.push(tokens[i]);
            i += 1;
            continue;
        }
        let mut depth = 0usize;
        while i < tokens.len() {
            match tokens[i].tok {
                Tok::Punct('[') => depth += 1,
                Tok::Punct(']') => depth = depth.saturating_sub(1),
                _ => {}
            }
            i += 1;
            if depth == 0 && tokens[i - 1].tok == Tok::Punct(']') {
                break;
            }
        }
    }
    out
}

fn is_modifier(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "public" | "protected" | "private" | "static" | "abstract" | "final" | "var"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_method(body: &str) -> Method {
        let src = format!("<?php class c {{ {body} }}");
        let mut classes = scan(&src).unwrap();
        assert_eq!(classes.len(), 1, "{src}");
        let mut class = classes.remove(0);
        assert_eq!(class.methods.len(), 1, "{src}");
        class.methods.remove(0)
    }

    #[test]
    fn defaults_drop_comments_and_collapse_whitespace() {
        let m = one_method("function f($a = array(\n  'a  b' =>  1, /* c */ 2 )) {}");
        assert_eq!(
            m.params[0].default.as_deref(),
            Some("array( 'a  b' => 1, 2 )")
        );
    }

    #[test]
    fn by_ref_is_not_an_intersection_type() {
        let m = one_method("function f(A&B $x, A &$y, &...$z) {}");
        let p: Vec<_> = m
            .params
            .iter()
            .map(|p| (p.ty.as_deref(), p.by_ref, p.variadic))
            .collect();
        assert_eq!(
            p,
            [
                (Some("A&B"), false, false),
                (Some("A"), true, false),
                (None, true, true)
            ]
        );
    }

    #[test]
    fn attributes_and_promoted_properties_are_not_types() {
        let m = one_method(
            "#[Pure] public function __construct(#[SensitiveParameter] private readonly ?string $p = null) {}",
        );
        assert_eq!(m.params[0].ty.as_deref(), Some("?string"));
        assert_eq!(m.visibility, Visibility::Public);
    }

    #[test]
    fn doc_before_modifiers_or_after_them() {
        let m = one_method("protected /** d */ function f() {}");
        assert_eq!(m.visibility, Visibility::Protected);
        assert!(m.doc.is_some());
    }

    #[test]
    fn constants_named_like_keywords_and_properties_are_skipped() {
        let m = one_method(
            "const FUNCTION = 1; const function = [1]; public $x = ['{' => 1]; /** d */ var $y; function g() {}",
        );
        assert_eq!(m.name, "g");
        assert_eq!(m.doc, None, "a doc comment belongs to the member after it");
    }

    #[test]
    fn anonymous_and_class_constant_uses_are_not_declarations() {
        let classes = scan(
            "<?php $a = new class extends remoting { function x() {} }; $b = Foo::class; class real {}",
        )
        .unwrap();
        let names: Vec<_> = classes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["real"]);
    }

    #[test]
    fn traits_and_their_users() {
        let classes =
            scan("<?php trait t { function a() {} } class c { use t, \\u { a as b; } }").unwrap();
        assert_eq!(classes[0].kind, ClassKind::Trait);
        assert_eq!(classes[1].traits, ["t", "u"]);
    }

    #[test]
    fn abstract_methods_have_no_body() {
        let classes =
            scan("<?php abstract class c { abstract function a($x); function b() {} }").unwrap();
        let m = &classes[0].methods;
        assert!(m[0].is_abstract);
        assert_eq!(m[1].name, "b");
    }

    #[test]
    fn broken_signatures_are_errors() {
        for (src, expected) in [
            (
                "<?php class c { function ($x) {} }",
                "function without a name",
            ),
            ("<?php class c { function f $x {} }", "expected `(`"),
            (
                "<?php class c { function f(int) {} }",
                "parameter without a $name",
            ),
            ("<?php class c { function f($x", "parameter list not closed"),
            ("<?php class c { function f($x) {", "body not closed"),
            ("<?php class c { function f()", "body not closed"),
            ("<?php class c", "has no body"),
            ("<?php class c { public $x = 1;", "is not closed"),
        ] {
            let err = scan(src).unwrap_err();
            assert!(err.message.contains(expected), "{src}: {err}");
        }
    }

    #[test]
    fn magic_methods() {
        assert!(is_magic_method("__construct"));
        assert!(is_magic_method("__toString"));
        assert!(!is_magic_method("__helper"));
        assert!(!is_magic_method("login"));
    }
}
