//! Typed builders for the panel's list parameters `where=` and `orderby=`.
//!
//! The syntax is the one public DCImanager 6 clients send (see the sources in
//! `inventories/dcimanager/endpoints.json`): conditions `field OP value` with
//! the operators `EQ`, `NE`, `CP` (a `%` pattern) and `IS null`, joined by
//! `AND`, negated by `NOT`, grouped in parentheses; strings in single quotes;
//! ordering `field asc` / `field desc`. Only what those clients show is
//! offered; [`Where::raw`] is the escape hatch for anything else.

use std::fmt;

use crate::{Error, Result};

/// A value on the right of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum FilterValue {
    /// A string, sent in single quotes.
    Text(String),
    /// An integer.
    Int(i64),
    /// `true` or `false`.
    Bool(bool),
}

impl From<&str> for FilterValue {
    fn from(v: &str) -> Self {
        FilterValue::Text(v.to_owned())
    }
}
impl From<String> for FilterValue {
    fn from(v: String) -> Self {
        FilterValue::Text(v)
    }
}
impl From<i64> for FilterValue {
    fn from(v: i64) -> Self {
        FilterValue::Int(v)
    }
}
impl From<i32> for FilterValue {
    fn from(v: i32) -> Self {
        FilterValue::Int(v.into())
    }
}
impl From<u32> for FilterValue {
    fn from(v: u32) -> Self {
        FilterValue::Int(v.into())
    }
}
impl From<bool> for FilterValue {
    fn from(v: bool) -> Self {
        FilterValue::Bool(v)
    }
}

impl fmt::Display for FilterValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterValue::Text(s) => write!(f, "'{s}'"),
            FilterValue::Int(n) => write!(f, "{n}"),
            FilterValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Compare(String, &'static str, FilterValue),
    IsNull(String),
    Not(Box<Node>),
    And(Vec<Node>),
    Raw(String),
}

/// A `where=` condition. Build with [`Where::eq`] and friends, combine with
/// [`Where::and`] and [`Where::not`]; [`Where::render`] checks and renders it.
#[derive(Clone, Debug, PartialEq)]
pub struct Where(Node);

impl Where {
    /// `field EQ value`.
    pub fn eq(field: &str, value: impl Into<FilterValue>) -> Self {
        Where(Node::Compare(field.to_owned(), "EQ", value.into()))
    }

    /// `field NE value`.
    pub fn ne(field: &str, value: impl Into<FilterValue>) -> Self {
        Where(Node::Compare(field.to_owned(), "NE", value.into()))
    }

    /// `field CP 'pattern'`: a match with `%` as the wildcard.
    pub fn contains_pattern(field: &str, pattern: &str) -> Self {
        Where(Node::Compare(
            field.to_owned(),
            "CP",
            FilterValue::Text(pattern.to_owned()),
        ))
    }

    /// `field IS null`.
    pub fn is_null(field: &str) -> Self {
        Where(Node::IsNull(field.to_owned()))
    }

    /// A condition written by hand, sent as it is (in parentheses).
    pub fn raw(condition: impl Into<String>) -> Self {
        Where(Node::Raw(condition.into()))
    }

    /// `NOT (self)`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Where(Node::Not(Box::new(self.0)))
    }

    /// `(self) AND (other)`.
    pub fn and(self, other: Where) -> Self {
        match self.0 {
            Node::And(mut items) => {
                items.push(other.0);
                Where(Node::And(items))
            }
            first => Where(Node::And(vec![first, other.0])),
        }
    }

    /// The condition as the panel reads it; an invalid field name or a string
    /// with a quote (the syntax has no documented escape) is a
    /// [`Error::Config`].
    pub fn render(&self) -> Result<String> {
        let mut out = String::new();
        render(&self.0, &mut out)?;
        Ok(out)
    }
}

fn check_field(field: &str) -> Result<()> {
    let valid = !field.is_empty()
        && field
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    if valid {
        Ok(())
    } else {
        Err(Error::config(format!(
            "filter field {field:?}: only letters, digits, '_' and '.' are allowed"
        )))
    }
}

fn render(node: &Node, out: &mut String) -> Result<()> {
    match node {
        Node::Compare(field, op, value) => {
            check_field(field)?;
            if let FilterValue::Text(text) = value {
                if text.contains('\'') {
                    return Err(Error::config(format!(
                        "filter value for {field}: a single quote cannot be sent (no documented escape)"
                    )));
                }
            }
            out.push_str(&format!("{field} {op} {value}"));
        }
        Node::IsNull(field) => {
            check_field(field)?;
            out.push_str(&format!("{field} IS null"));
        }
        Node::Not(inner) => {
            out.push_str("NOT (");
            render(inner, out)?;
            out.push(')');
        }
        Node::And(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(" AND ");
                }
                out.push('(');
                render(item, out)?;
                out.push(')');
            }
        }
        Node::Raw(text) => {
            out.push('(');
            out.push_str(text);
            out.push(')');
        }
    }
    Ok(())
}

/// An `orderby=` value: fields with directions, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderBy(Vec<(String, bool)>);

impl OrderBy {
    /// Ascending by `field`.
    pub fn asc(field: &str) -> Self {
        OrderBy(vec![(field.to_owned(), true)])
    }

    /// Descending by `field`.
    pub fn desc(field: &str) -> Self {
        OrderBy(vec![(field.to_owned(), false)])
    }

    /// Then ascending by `field`.
    pub fn then_asc(mut self, field: &str) -> Self {
        self.0.push((field.to_owned(), true));
        self
    }

    /// Then descending by `field`.
    pub fn then_desc(mut self, field: &str) -> Self {
        self.0.push((field.to_owned(), false));
        self
    }

    /// `name asc` (several joined by `,`); invalid field names are a
    /// [`Error::Config`].
    pub fn render(&self) -> Result<String> {
        let mut parts = Vec::with_capacity(self.0.len());
        for (field, ascending) in &self.0 {
            check_field(field)?;
            parts.push(format!(
                "{field} {}",
                if *ascending { "asc" } else { "desc" }
            ));
        }
        Ok(parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_panel_syntax() {
        let w = Where::eq("owner_email", "a@example.com")
            .and(Where::eq("is_new", false))
            .and(Where::eq("location_id", 3));
        assert_eq!(
            w.render().unwrap(),
            "(owner_email EQ 'a@example.com') AND (is_new EQ false) AND (location_id EQ 3)"
        );
        let w = Where::contains_pattern("domain", "%extended.%")
            .not()
            .and(Where::eq("ipnet", 7));
        assert_eq!(
            w.render().unwrap(),
            "(NOT (domain CP '%extended.%')) AND (ipnet EQ 7)"
        );
        assert_eq!(
            Where::is_null("owner_email").render().unwrap(),
            "owner_email IS null"
        );
        assert_eq!(
            Where::ne("status", "extended").render().unwrap(),
            "status NE 'extended'"
        );
        assert_eq!(
            OrderBy::asc("name").then_desc("id").render().unwrap(),
            "name asc,id desc"
        );
    }

    #[test]
    fn refuses_injection() {
        assert!(Where::eq("name", "x' OR 1 EQ 1").render().is_err());
        assert!(Where::eq("name) OR (1", 1).render().is_err());
        assert!(OrderBy::asc("id; drop").render().is_err());
        assert!(Where::is_null("").render().is_err());
    }

    proptest::proptest! {
        #[test]
        fn rendering_never_panics_and_quotes_stay_balanced(field in ".{0,12}", text in ".{0,24}") {
            if let Ok(s) = Where::eq(&field, text.as_str()).render() {
                proptest::prop_assert_eq!(s.matches('\'').count(), 2);
            }
        }
    }
}
