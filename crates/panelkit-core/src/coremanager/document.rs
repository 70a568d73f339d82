//! COREmanager answers (`out=json` or `out=xml`) decoded into a typed document.
//!
//! Both formats are first read into the same small tree ([`Node`]): in
//! `out=json` an element's text is under `"$"`, its attributes under
//! `"$name"`, and repeated children are arrays (a single child is an object, so
//! a one-row list arrives as an object, not an array). Then one interpreter
//! turns the tree into a [`Document`] or an error.

use std::collections::BTreeMap;

use quick_xml::events::Event;
use serde_json::Value as Json;

use super::errors::{self, PanelError};
use crate::{Error, Result, Secret};

/// Output format requested from the panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// `out=json` (default).
    #[default]
    Json,
    /// `out=xml`, for panels whose JSON output is broken.
    Xml,
}

impl Format {
    /// The value of the `out` parameter.
    pub fn as_param(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Xml => "xml",
        }
    }
}

/// What the caller expects, so an empty list (a document without `elem`) is
/// still a list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Expect {
    /// Whatever the document is.
    #[default]
    Any,
    /// A list function: no `elem` means no rows.
    List,
}

/// Limits on what an answer may contain.
#[derive(Clone, Copy, Debug)]
pub struct DecodeLimits {
    /// Deepest element nesting accepted.
    pub max_depth: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits { max_depth: 64 }
    }
}

/// One decoded answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    /// `func=auth` succeeded: the session id.
    Auth(Secret),
    /// A list function's rows (`elem`).
    List(Vec<Row>),
    /// A form: the object's fields.
    Form(Form),
    /// An action succeeded (`<ok/>`).
    Ok,
    /// An action succeeded and the web server must be restarted (`<ok>restart</ok>`).
    OkRestart,
    /// The panel redirects to another function (`<redirect>`), e.g. after
    /// `session.newkey`.
    Redirect(String),
}

impl Document {
    /// The rows of a list; a form document without fields counts as no rows.
    pub fn into_rows(self) -> Result<Vec<Row>> {
        match self {
            Document::List(rows) => Ok(rows),
            Document::Form(form) if form.fields.is_empty() => Ok(Vec::new()),
            other => Err(shape_error("a list", &other)),
        }
    }

    /// The fields of a form.
    pub fn into_form(self) -> Result<Form> {
        match self {
            Document::Form(form) => Ok(form),
            other => Err(shape_error("a form", &other)),
        }
    }

    /// The outcome of an action or an applied form.
    pub fn into_outcome(self) -> Result<Outcome> {
        match self {
            Document::Ok => Ok(Outcome::Ok),
            Document::OkRestart => Ok(Outcome::RestartNeeded),
            Document::Redirect(to) => Ok(Outcome::Redirect(to)),
            // Some functions answer an applied form with the form again.
            Document::Form(form) => Ok(Outcome::Form(form)),
            other => Err(shape_error("an action result", &other)),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Document::Auth(_) => "an auth document",
            Document::List(_) => "a list",
            Document::Form(_) => "a form",
            Document::Ok | Document::OkRestart => "an ok document",
            Document::Redirect(_) => "a redirect",
        }
    }
}

fn shape_error(wanted: &str, got: &Document) -> Error {
    Error::UnexpectedResponse {
        status: None,
        reason: format!("expected {wanted}, the panel sent {}", got.kind()),
        excerpt: String::new(),
    }
}

/// What an action (or an applied form) did.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Done.
    Ok,
    /// Done; the web server needs a restart (`func=restart`).
    RestartNeeded,
    /// Done; the panel points to another function.
    Redirect(String),
    /// The panel answered with a form (some functions do after `sok=ok`).
    Form(Form),
}

/// A form: the element id when the panel states it, and the fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Form {
    /// `elid` of the object shown, if any.
    pub elid: Option<String>,
    /// The object's fields.
    pub fields: Row,
}

impl Form {
    /// A field's text.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.get(name)
    }
}

/// One value of a row or form: text and attributes (`<user used="1" limit="10"/>`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Field {
    /// The element's text (empty for `<php/>`).
    pub text: String,
    /// The element's attributes.
    pub attrs: BTreeMap<String, String>,
}

/// A list row or a form's fields: name → one or more values in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    fields: BTreeMap<String, Vec<Field>>,
}

impl Row {
    /// The text of the first field of that name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.field(name).map(|f| f.text.as_str())
    }

    /// The first field of that name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.get(name).and_then(|v| v.first())
    }

    /// Every field of that name (a repeated element).
    pub fn all(&self, name: &str) -> &[Field] {
        self.fields.get(name).map_or(&[], Vec::as_slice)
    }

    /// An attribute of the first field of that name.
    pub fn attr(&self, name: &str, attr: &str) -> Option<&str> {
        self.field(name)
            .and_then(|f| f.attrs.get(attr))
            .map(String::as_str)
    }

    /// Whether a field of that name is present (flags like `<php/>` are
    /// present or absent).
    pub fn has(&self, name: &str) -> bool {
        self.fields.contains_key(name)
    }

    /// Field names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.keys().map(String::as_str)
    }

    /// Number of distinct field names.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the row has no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Adds a field value.
    pub fn push(&mut self, name: impl Into<String>, field: Field) {
        self.fields.entry(name.into()).or_default().push(field);
    }
}

/// The format-neutral tree both decoders produce.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Node {
    /// Element name.
    pub name: String,
    /// Attributes in document order.
    pub attrs: Vec<(String, String)>,
    /// Text content.
    pub text: String,
    /// Child elements in order.
    pub children: Vec<Node>,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn to_field(&self) -> Field {
        Field {
            text: self.text.clone(),
            attrs: self.attrs.iter().cloned().collect(),
        }
    }
}

/// Decodes a whole answer body. `status` is the HTTP status, if any, for errors.
pub fn decode(
    body: &[u8],
    format: Format,
    expect: Expect,
    status: Option<u16>,
    limits: &DecodeLimits,
) -> Result<Document> {
    let doc = parse(body, format, status, limits)?;
    interpret(&doc, expect)
}

/// Reads a body into the `doc` tree, refusing HTML pages, empty and malformed bodies.
pub fn parse(
    body: &[u8],
    format: Format,
    status: Option<u16>,
    limits: &DecodeLimits,
) -> Result<Node> {
    let trimmed = trim_ascii(body);
    if trimmed.is_empty() {
        return Err(Error::unexpected(status, "empty body", body));
    }
    if looks_like_html(trimmed) {
        return Err(Error::unexpected(
            status,
            "HTML page instead of a COREmanager document",
            body,
        ));
    }
    match format {
        Format::Json => parse_json(trimmed, status, limits),
        Format::Xml => parse_xml(trimmed, status, limits),
    }
}

fn trim_ascii(body: &[u8]) -> &[u8] {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let end = body
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &body[start..end]
}

fn looks_like_html(body: &[u8]) -> bool {
    let head: Vec<u8> = body
        .iter()
        .take(64)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html") || head.starts_with(b"<head")
}

fn parse_json(body: &[u8], status: Option<u16>, limits: &DecodeLimits) -> Result<Node> {
    // serde_json refuses nesting deeper than 128 itself; we bound it lower below.
    let value: Json = serde_json::from_slice(body).map_err(|e| {
        let reason = if e.is_eof() {
            "truncated JSON document".to_owned()
        } else {
            format!("malformed JSON document: {e}")
        };
        Error::unexpected(status, reason, body)
    })?;
    let Json::Object(mut top) = value else {
        return Err(Error::unexpected(
            status,
            "JSON document is not an object",
            body,
        ));
    };
    let doc = top
        .remove("doc")
        .ok_or_else(|| Error::unexpected(status, "JSON document has no \"doc\"", body))?;
    let mut nodes = Vec::new();
    json_nodes("doc", &doc, 0, limits, &mut nodes)
        .map_err(|reason| Error::unexpected(status, reason, body))?;
    nodes
        .pop()
        .filter(|_| nodes.is_empty())
        .ok_or_else(|| Error::unexpected(status, "\"doc\" is not one object", body))
}

/// `value` under key `name` → zero or more nodes (arrays are repeated elements).
fn json_nodes(
    name: &str,
    value: &Json,
    depth: usize,
    limits: &DecodeLimits,
    out: &mut Vec<Node>,
) -> std::result::Result<(), String> {
    if depth > limits.max_depth {
        return Err(format!("nesting deeper than {}", limits.max_depth));
    }
    match value {
        Json::Array(items) => {
            for item in items {
                if item.is_array() {
                    return Err(format!("array inside array under {name:?}"));
                }
                json_nodes(name, item, depth + 1, limits, out)?;
            }
        }
        Json::Object(map) => {
            let mut node = Node {
                name: name.to_owned(),
                ..Node::default()
            };
            for (key, v) in map {
                if key == "$" {
                    node.text =
                        scalar(v).ok_or_else(|| format!("text of {name:?} is not a scalar"))?;
                } else if let Some(attr) = key.strip_prefix('$') {
                    let v = scalar(v)
                        .ok_or_else(|| format!("attribute {key:?} of {name:?} is not a scalar"))?;
                    node.attrs.push((attr.to_owned(), v));
                } else {
                    json_nodes(key, v, depth + 1, limits, &mut node.children)?;
                }
            }
            out.push(node);
        }
        // Some panels write a bare scalar for a text-only element.
        other => out.push(Node {
            name: name.to_owned(),
            text: scalar(other).unwrap_or_default(),
            ..Node::default()
        }),
    }
    Ok(())
}

fn scalar(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        Json::Null => Some(String::new()),
        _ => None,
    }
}

fn parse_xml(body: &[u8], status: Option<u16>, limits: &DecodeLimits) -> Result<Node> {
    let fail = |reason: String| Error::unexpected(status, reason, body);
    let mut reader = quick_xml::Reader::from_reader(body);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| fail(format!("malformed XML document: {e}")))?;
        match event {
            Event::DocType(_) => return Err(fail("XML with a DOCTYPE refused".to_owned())),
            Event::Start(start) => {
                if stack.len() >= limits.max_depth {
                    return Err(fail(format!("nesting deeper than {}", limits.max_depth)));
                }
                if root.is_some() {
                    return Err(fail("content after the root element".to_owned()));
                }
                stack.push(xml_node(&start).map_err(fail)?);
            }
            Event::Empty(start) => {
                let node = xml_node(&start).map_err(fail)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None if root.is_none() => root = Some(node),
                    None => return Err(fail("content after the root element".to_owned())),
                }
            }
            Event::End(_) => {
                let node = stack
                    .pop()
                    .ok_or_else(|| fail("unbalanced end tag".to_owned()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(text) => {
                if let Some(node) = stack.last_mut() {
                    let text = text
                        .unescape()
                        .map_err(|e| fail(format!("bad XML text: {e}")))?;
                    node.text.push_str(&text);
                }
            }
            Event::CData(data) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&String::from_utf8_lossy(&data));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err(fail("truncated XML document".to_owned()));
    }
    let mut root = root.ok_or_else(|| fail("no root element".to_owned()))?;
    if root.name != "doc" {
        return Err(fail(format!("root element is <{}>, not <doc>", root.name)));
    }
    trim_texts(&mut root);
    Ok(root)
}

/// Whitespace between child elements is layout, not text.
fn trim_texts(node: &mut Node) {
    if !node.children.is_empty() && node.text.trim().is_empty() {
        node.text.clear();
    }
    for child in &mut node.children {
        trim_texts(child);
    }
}

fn xml_node(start: &quick_xml::events::BytesStart<'_>) -> std::result::Result<Node, String> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut node = Node {
        name,
        ..Node::default()
    };
    for attr in start.attributes() {
        let attr = attr.map_err(|e| format!("bad XML attribute: {e}"))?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr
            .unescape_value()
            .map_err(|e| format!("bad XML attribute value: {e}"))?
            .into_owned();
        node.attrs.push((key, value));
    }
    Ok(node)
}

/// Children of `doc` that describe the page, not the data (ISPmanager 6 sends
/// these with every list and form: column metadata, toolbars, paging, saved
/// filters, the request echoed back).
const METADATA: &[&str] = &[
    "tparams",
    "metadata",
    "messages",
    "toolbar",
    "contextmenu",
    "plid_name",
    "saved_filters",
    "tips",
    "page",
    "p_cnt",
    "p_elems",
    "p_num",
    "p_order",
    "p_possible_filters",
    "p_sort",
];

/// Turns a `doc` tree into a document, or the panel's error into [`Error`].
pub fn interpret(doc: &Node, expect: Expect) -> Result<Document> {
    if let Some(error) = doc.child("error") {
        return Err(errors::classify(panel_error(error)));
    }
    if let Some(auth) = doc.child("auth") {
        let id = auth
            .attr("id")
            .map(str::to_owned)
            .unwrap_or_else(|| auth.text.clone());
        if !id.is_empty() {
            return Ok(Document::Auth(Secret::new(id)));
        }
    }
    let elems: Vec<&Node> = doc.children.iter().filter(|c| c.name == "elem").collect();
    if !elems.is_empty() || expect == Expect::List {
        return Ok(Document::List(elems.into_iter().map(row).collect()));
    }
    if let Some(ok) = doc.child("ok") {
        return Ok(match ok.text.trim() {
            "restart" => Document::OkRestart,
            _ => Document::Ok,
        });
    }
    if let Some(redirect) = doc.child("redirect") {
        return Ok(Document::Redirect(redirect.text.trim().to_owned()));
    }
    let mut form = Form::default();
    for child in &doc.children {
        if METADATA.contains(&child.name.as_str()) {
            continue;
        }
        if child.name == "elid" && form.elid.is_none() {
            form.elid = Some(child.text.clone());
        }
        form.fields.push(child.name.clone(), child.to_field());
    }
    Ok(Document::Form(form))
}

fn row(elem: &Node) -> Row {
    let mut row = Row::default();
    for child in &elem.children {
        row.push(child.name.clone(), child.to_field());
    }
    row
}

fn panel_error(node: &Node) -> PanelError {
    let text_of = |name: &str| node.child(name).map(|n| n.text.trim().to_owned());
    // COREmanager 6 sends several `param` elements named by a `name`
    // attribute (`object`, `value`, ...); older panels one bare `param`. The
    // `value` one echoes the rejected input, which may be a password: it is
    // never kept.
    let param = node
        .children
        .iter()
        .filter(|c| c.name == "param")
        .find(|c| matches!(c.attr("name"), None | Some("param") | Some("object")))
        .map(|c| c.text.trim().to_owned());
    let msg = text_of("msg")
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| node.text.trim().to_owned());
    PanelError {
        kind: node.attr("type").unwrap_or_default().to_owned(),
        object: node.attr("object").map(str::to_owned),
        lang: node.attr("lang").map(str::to_owned),
        msg,
        param: param
            .filter(|p| !p.is_empty())
            .or_else(|| node.attr("param").map(str::to_owned)),
        detail: text_of("detail").filter(|d| !d.is_empty()),
    }
}
