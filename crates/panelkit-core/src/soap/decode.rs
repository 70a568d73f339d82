//! Decoding a PHP `SoapServer` answer: the returned value or the fault.
//!
//! Elements are recognized by namespace URI and local name, never by prefix.
//! Values are built straight from XML events with an explicit stack of open
//! containers, so memory is proportional to the result and hostile nesting
//! ends in an error instead of a stack overflow.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::names::{APACHE_SOAP, SOAP11_ENV, SOAP12_ENV, SOAP_ENC, XSD, XSI};
use super::scan::{Item, Scanner};
use super::scopes::Scopes;
use super::Value;
use crate::Error;

/// Bounds on what an answer may be.
#[derive(Clone, Debug)]
pub struct DecodeLimits {
    /// Deepest element nesting accepted inside the returned value.
    pub max_depth: usize,
    /// Largest body accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_depth: 128,
            max_bytes: 256 * 1024 * 1024,
        }
    }
}

/// A decoded answer: the value the method returned, or the fault it threw.
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    /// The `return` value (`Value::Null` for a method that returns nothing).
    Return(Value),
    /// A SOAP fault.
    Fault(Fault),
}

/// A SOAP fault as the server sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// `faultcode`; a prefix bound to the SOAP envelope namespace is removed
    /// (`SOAP-ENV:Server` → `Server`), any other code is kept as sent
    /// (ISPConfig sends its own codes such as `login_failed`).
    pub code: String,
    /// `faultstring`.
    pub message: String,
    /// `detail` text, when present.
    pub detail: Option<String>,
}

/// Decodes `body` (answered with HTTP `status`) into the returned value or the
/// fault. Anything else — an empty or truncated body, an HTML page, malformed
/// XML, a DOCTYPE, nesting deeper than `limits.max_depth` — is an
/// [`Error::UnexpectedResponse`] carrying the status and an excerpt.
pub fn decode_response(
    status: Option<u16>,
    body: &[u8],
    limits: &DecodeLimits,
) -> Result<Response, Error> {
    if body.len() > limits.max_bytes {
        return Err(Error::unexpected(
            status,
            format!("response larger than {} bytes", limits.max_bytes),
            body,
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::unexpected(
            status,
            "empty body instead of a SOAP envelope",
            body,
        ));
    }
    if looks_like_html(body) {
        return Err(Error::unexpected(
            status,
            "HTML page instead of a SOAP envelope",
            body,
        ));
    }
    Decoder::new(status, body, limits).run()
}

fn looks_like_html(body: &[u8]) -> bool {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head: Vec<u8> = body[start..]
        .iter()
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
        || head.starts_with(b"<br")
        // The panel's own error pages are bare fragments ("Primary ID fehlt!").
        || head.starts_with(b"<div")
        || head.starts_with(b"<p>")
        || head.starts_with(b"<p ")
        || head.starts_with(b"<table")
        || head.starts_with(b"<h1")
        || head.starts_with(b"<b>")
        || head.starts_with(b"<head")
        || head.starts_with(b"<body")
}

/// How a value element's content is to be read, from its `xsi:type`/`xsi:nil`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Nil,
    Int,
    Float,
    Bool,
    Str,
    List,
    Map,
    /// No type, or a struct type: text gives a string, child elements a map.
    Untyped,
}

impl Kind {
    /// Whether an element of this kind holding only text is read from that
    /// text alone (lists and maps ignore text).
    fn is_scalar(self) -> bool {
        !matches!(self, Kind::List | Kind::Map)
    }
}

/// Where a finished value goes in its parent.
#[derive(Debug)]
enum Slot {
    Root,
    ListItem,
    MapKey,
    MapValue,
    /// A child of an untyped element, by name (boxed: rare, and it would
    /// otherwise widen every frame).
    Field(Box<str>),
}

/// An open container of the value being decoded (scalars are read whole
/// and never take a frame).
#[derive(Debug)]
enum Frame {
    List {
        items: Vec<Value>,
        slot: Slot,
    },
    Map {
        entries: Vec<(String, Value)>,
        slot: Slot,
    },
    /// An `item` of a map, collecting its `key` and `value`.
    Item {
        key: Option<String>,
        value: Option<Value>,
    },
    Untyped {
        text: String,
        entries: Vec<(String, Value)>,
        slot: Slot,
    },
}

/// What opening a value element gave.
enum Opened {
    /// A container, to fill from the events that follow.
    Frame(Frame),
    /// A scalar, already read to its end.
    Value(Slot, Value),
    /// Nothing to do (an event that opened no value).
    Nothing,
}

/// A simplified event for the envelope walk.
pub(super) enum Ev<'a> {
    Start(BytesStart<'a>),
    End,
    Text(Cow<'a, str>),
    Eof,
}

/// Why building a value stopped without one.
pub(super) enum Stop {
    /// The answer is bad: the error to report (boxed: results on the hot
    /// path stay small).
    Error(Box<Error>),
    /// The fast scanner met something it leaves to quick-xml (which then
    /// decodes the value from its start, or reports the error).
    GiveUp,
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Error(Box::new(e))
    }
}

/// Where the events of a value come from.
trait Source<'a> {
    fn event(&mut self, decoder: &mut Decoder<'a>) -> Result<Ev<'a>, Stop>;

    /// The next map item read ahead whole, when the source can, it has the
    /// usual shape and `memo` knows its attribute lists; nothing is consumed.
    fn peek_item(&self, _memo: &Memo) -> Option<Item<'a, Kind>> {
        None
    }

    /// Consumes the item [`Source::peek_item`] gave.
    fn take_item(&mut self, _item: &Item<'a, Kind>) {}
}

/// quick-xml, through the decoder's own reader: reads anything, never gives up.
struct Quick;

impl<'a> Source<'a> for Quick {
    fn event(&mut self, decoder: &mut Decoder<'a>) -> Result<Ev<'a>, Stop> {
        decoder.next().map_err(Stop::from)
    }
}

impl<'a> Source<'a> for Scanner<'a> {
    fn event(&mut self, decoder: &mut Decoder<'a>) -> Result<Ev<'a>, Stop> {
        self.next(&decoder.scopes)
    }

    fn peek_item(&self, memo: &Memo) -> Option<Item<'a, Kind>> {
        Scanner::peek_item(self, |after_name| memo.known_attributes(after_name))
    }

    fn take_item(&mut self, item: &Item<'a, Kind>) {
        Scanner::take_item(self, item)
    }
}

struct Decoder<'a> {
    reader: Reader<&'a [u8]>,
    scopes: Scopes,
    status: Option<u16>,
    body: &'a [u8],
    limits: &'a DecodeLimits,
    /// Open elements in the whole document, to detect truncation.
    open: usize,
    memo: Memo,
    /// Length of the last map decoded: maps in one answer are usually rows of
    /// one table, so this is a good capacity for the next.
    map_hint: usize,
    /// Whether values are first tried with the fast scanner (off only to
    /// test that both paths agree).
    fast: bool,
    /// Values the scanner gave up on (then read by quick-xml).
    gave_up: usize,
}

/// What an attribute of a value element means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AttrRole {
    XsiType,
    XsiNil,
    Href,
    ArrayType,
    Other,
}

/// Resolutions of raw attribute names and `xsi:type` values. Answers repeat
/// the same few (`xsi:type`, `xsd:string`) hundreds of thousands of times, so
/// each is resolved once while the namespace bindings stay the same; the memo
/// is cleared whenever an element declaring namespaces opens or closes.
#[derive(Default)]
struct Memo {
    /// Whole raw attribute lists (` xsi:type="xsd:string"`) → their meaning:
    /// most value elements repeat one of a handful, so one comparison
    /// replaces parsing them.
    lists: Vec<MemoList>,
    attrs: Vec<(Box<[u8]>, AttrRole)>,
    types: Vec<(Box<[u8]>, Kind)>,
}

impl Memo {
    /// The raw attribute list that starts `after_name` (what follows an
    /// element's name) when it is none or one already seen that declares
    /// nothing: its length and kind. The list ends where the tag does only
    /// if `>` or `/>` follows, which the caller checks; a seen list came from
    /// a whole tag, so its quotes are balanced and such a `>` is the tag's.
    fn known_attributes(&self, after_name: &[u8]) -> Option<(usize, Kind)> {
        if matches!(after_name.first(), Some(b'>' | b'/')) {
            return Some((0, Kind::Untyped));
        }
        self.lists
            .iter()
            .find(|l| after_name.starts_with(&l.raw))
            .filter(|l| !l.declares)
            .map(|l| (l.raw.len(), l.kind))
    }
}

/// A memoized raw attribute list and what it means.
struct MemoList {
    raw: Box<[u8]>,
    kind: Kind,
    /// Element count an `arrayType` claims.
    claimed: usize,
    /// It mentions `xmlns` (so it may declare a namespace).
    declares: bool,
}

/// Entries kept per memo table; beyond that, lookups just are not memoized.
const MEMO_LIMIT: usize = 32;

/// Largest capacity taken from an `arrayType="…[N]"` claim: the claim is the
/// server's word, not a fact, so it only pre-sizes within reason.
const ARRAY_HINT_LIMIT: usize = 1 << 16;

impl<'a> Decoder<'a> {
    fn new(status: Option<u16>, body: &'a [u8], limits: &'a DecodeLimits) -> Self {
        let mut reader = Reader::from_reader(body);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        Decoder {
            reader,
            scopes: Scopes::default(),
            status,
            body,
            limits,
            open: 0,
            memo: Memo::default(),
            map_hint: 0,
            fast: true,
            gave_up: 0,
        }
    }

    fn error(&self, reason: impl Into<String>) -> Error {
        Error::unexpected(self.status, reason, self.body)
    }

    fn next(&mut self) -> Result<Ev<'a>, Error> {
        loop {
            let event = self
                .reader
                .read_event()
                .map_err(|e| self.error(format!("malformed XML: {e}")))?;
            return Ok(match event {
                Event::Start(start) => {
                    self.open += 1;
                    let declared = self
                        .scopes
                        .open(self.open, &start)
                        .map_err(|e| self.error(format!("malformed attribute: {e}")))?;
                    if declared {
                        self.memo = Memo::default();
                    }
                    Ev::Start(start)
                }
                Event::End(_) => {
                    if self.scopes.close(self.open) {
                        self.memo = Memo::default();
                    }
                    self.open = self.open.saturating_sub(1);
                    Ev::End
                }
                // Not produced while expand_empty_elements is on.
                Event::Empty(_) => return Err(self.error("unexpected self-closing element")),
                // Most text has no reference: then UTF-8 validation is all
                // there is to do, without quick-xml's unescaping pass.
                Event::Text(text) if memchr::memchr(b'&', &text).is_none() => {
                    match text.into_inner() {
                        Cow::Borrowed(b) => Ev::Text(Cow::Borrowed(
                            std::str::from_utf8(b)
                                .map_err(|_| self.error("character data is not UTF-8"))?,
                        )),
                        Cow::Owned(b) => Ev::Text(Cow::Owned(
                            String::from_utf8(b)
                                .map_err(|_| self.error("character data is not UTF-8"))?,
                        )),
                    }
                }
                Event::Text(text) => Ev::Text(
                    text.unescape()
                        .map_err(|e| self.error(format!("bad character data: {e}")))?,
                ),
                Event::CData(data) => match data.into_inner() {
                    Cow::Borrowed(b) => Ev::Text(Cow::Borrowed(
                        std::str::from_utf8(b)
                            .map_err(|_| self.error("character data is not UTF-8"))?,
                    )),
                    Cow::Owned(b) => Ev::Text(Cow::Owned(
                        String::from_utf8(b)
                            .map_err(|_| self.error("character data is not UTF-8"))?,
                    )),
                },
                Event::DocType(_) => {
                    return Err(self.error("DOCTYPE refused (no entity expansion)"))
                }
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => continue,
                Event::Eof => {
                    if self.open > 0 {
                        return Err(
                            self.error("truncated XML: the document ends inside an element")
                        );
                    }
                    Ev::Eof
                }
            });
        }
    }

    fn is_env(&self, start: &BytesStart<'_>, local: &[u8]) -> bool {
        let qname = start.name();
        let (ns, name) = self.scopes.element(qname.as_ref());
        name == local && matches!(ns, Some(n) if n == SOAP11_ENV || n == SOAP12_ENV)
    }

    fn run(&mut self) -> Result<Response, Error> {
        // The root must be a SOAP Envelope.
        let root = loop {
            match self.next()? {
                Ev::Start(start) => break start,
                Ev::Text(t) if t.trim().is_empty() => continue,
                Ev::Text(_) => return Err(self.error("text instead of a SOAP envelope")),
                Ev::End | Ev::Eof => return Err(self.error("no SOAP envelope")),
            }
        };
        if !self.is_env(&root, b"Envelope") {
            let local = String::from_utf8_lossy(root.local_name().as_ref()).into_owned();
            if local.eq_ignore_ascii_case("html") {
                return Err(self.error("HTML page instead of a SOAP envelope"));
            }
            return Err(self.error(format!("root element <{local}> is not a SOAP envelope")));
        }
        // Skip any Header; find Body.
        loop {
            match self.next()? {
                Ev::Start(start) if self.is_env(&start, b"Body") => break,
                Ev::Start(_) => self.skip_element()?,
                Ev::Text(_) => continue,
                Ev::End | Ev::Eof => return Err(self.error("SOAP envelope without a Body")),
            }
        }
        let first = loop {
            match self.next()? {
                Ev::Start(start) => break start,
                Ev::Text(_) => continue,
                Ev::End | Ev::Eof => return Err(self.error("empty SOAP Body")),
            }
        };
        let response = if self.is_env(&first, b"Fault") {
            Response::Fault(self.fault()?)
        } else {
            Response::Return(self.method_response()?)
        };
        // Everything after must close properly; anything else is skipped.
        loop {
            match self.next()? {
                Ev::Eof => return Ok(response),
                Ev::Start(_) => self.skip_element()?,
                Ev::End | Ev::Text(_) => continue,
            }
        }
    }

    /// Skips the rest of the element whose start was just read.
    fn skip_element(&mut self) -> Result<(), Error> {
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()? {
                Ev::Start(_) => depth += 1,
                Ev::End => depth -= 1,
                Ev::Text(_) => {}
                Ev::Eof => return Err(self.error("truncated XML")),
            }
        }
        Ok(())
    }

    /// Inside `<ns1:methodResponse>`: the first child is the returned value.
    fn method_response(&mut self) -> Result<Value, Error> {
        let mut value = Value::Null;
        let mut seen = false;
        loop {
            match self.next()? {
                Ev::Start(start) if !seen => {
                    seen = true;
                    value = self.value(start)?;
                }
                Ev::Start(_) => self.skip_element()?,
                Ev::Text(_) => continue,
                Ev::End => return Ok(value),
                Ev::Eof => return Err(self.error("truncated XML")),
            }
        }
    }

    /// Inside `<Fault>`: SOAP 1.1 `faultcode`/`faultstring`/`detail`, or SOAP 1.2
    /// `Code/Value` and `Reason/Text`.
    fn fault(&mut self) -> Result<Fault, Error> {
        let mut code = String::new();
        let mut message = String::new();
        let mut detail: Option<String> = None;
        // Text is collected per child of Fault (any depth below it).
        let mut depth = 0usize;
        let mut current: Option<Vec<u8>> = None;
        let mut text = String::new();
        loop {
            match self.next()? {
                Ev::Start(start) => {
                    depth += 1;
                    if depth == 1 {
                        current = Some(start.local_name().as_ref().to_vec());
                        text.clear();
                    }
                }
                Ev::Text(t) => {
                    match current.as_deref() {
                        // SOAP 1.2 nests Code/Value/Subcode: the first value is the code.
                        Some(b"Code") if text.trim().is_empty() => text.push_str(t.trim()),
                        Some(b"Code") => {}
                        // Everything else as sent: a faultstring's trailing
                        // "<br />\r\n" is the panel's, not ours to cut.
                        Some(_) => text.push_str(&t),
                        None => {}
                    }
                }
                Ev::End if depth == 0 => break,
                Ev::End => {
                    depth -= 1;
                    if depth == 0 {
                        match current.take().as_deref() {
                            Some(b"faultcode") | Some(b"Code") => code = std::mem::take(&mut text),
                            Some(b"faultstring") => message = std::mem::take(&mut text),
                            // SOAP 1.2 wraps the text in Reason/Text: drop the
                            // layout whitespace around it.
                            Some(b"Reason") => {
                                message = std::mem::take(&mut text).trim().to_owned()
                            }
                            Some(b"detail") | Some(b"Detail") => {
                                detail = Some(std::mem::take(&mut text).trim().to_owned())
                            }
                            _ => text.clear(),
                        }
                    }
                }
                Ev::Eof => return Err(self.error("truncated XML")),
            }
        }
        Ok(Fault {
            code: self.strip_envelope_prefix(code),
            message,
            detail,
        })
    }

    /// `SOAP-ENV:Server` → `Server` when the prefix is bound to an envelope
    /// namespace in scope; other codes unchanged.
    fn strip_envelope_prefix(&self, code: String) -> String {
        let code = code.trim().to_owned();
        if let Some((prefix, local)) = code.split_once(':') {
            let (ns, _) = self.scopes.element(code.as_bytes());
            let is_env = matches!(ns, Some(n) if n == SOAP11_ENV || n == SOAP12_ENV);
            // The Fault element has closed, so the envelope's bindings are
            // what is in scope; a conventional SOAP-ENV/soap/env prefix is
            // taken as the envelope's too.
            if is_env || matches!(prefix, "SOAP-ENV" | "soap" | "env" | "soapenv" | "SOAP") {
                return local.to_owned();
            }
        }
        code
    }

    /// Reads type and nil attributes of a value element, and the element count
    /// an array claims.
    fn kind_of(&mut self, start: &BytesStart<'_>) -> Result<(Kind, usize), Error> {
        let raw = start.attributes_raw();
        if raw.is_empty() {
            return Ok((Kind::Untyped, 0));
        }
        if let Some(known) = self.memo.lists.iter().find(|l| *l.raw == *raw) {
            return Ok((known.kind, known.claimed));
        }
        let (kind, claimed) = self.parse_attributes(start)?;
        if self.memo.lists.len() < MEMO_LIMIT {
            self.memo.lists.push(MemoList {
                raw: raw.into(),
                kind,
                claimed,
                declares: self.scopes.may_declare(raw),
            });
        }
        Ok((kind, claimed))
    }

    /// Takes the next map item whole when the source read it ahead and both
    /// parts are scalars of known kinds: the value and key the events would
    /// have given, without them. `false` leaves the item to the events.
    fn simple_item<S: Source<'a>>(
        &mut self,
        source: &mut S,
        entries: &mut Vec<(String, Value)>,
    ) -> Result<bool, Error> {
        let Some(item) = source.peek_item(&self.memo) else {
            return Ok(false);
        };
        if !item.key_kind.is_scalar() || !item.value_kind.is_scalar() {
            return Ok(false);
        }
        source.take_item(&item);
        // The same reading as the events': a text-only untyped part is its
        // text, as its frame would have finished.
        let key = map_key(self.scalar(item.key_kind, item.key)?);
        let value = self.scalar(item.value_kind, item.value)?;
        entries.push((key, value));
        Ok(true)
    }

    fn parse_attributes(&mut self, start: &BytesStart<'_>) -> Result<(Kind, usize), Error> {
        let mut kind = Kind::Untyped;
        let mut claimed = 0usize;
        for attr in start.attributes().with_checks(false) {
            let attr = attr.map_err(|e| self.error(format!("malformed attribute: {e}")))?;
            match self.attr_role(attr.key.as_ref()) {
                AttrRole::XsiNil => {
                    if matches!(attr.value.as_ref(), b"true" | b"1") {
                        return Ok((Kind::Nil, 0));
                    }
                }
                AttrRole::XsiType => kind = self.type_kind_memo(&attr.value),
                AttrRole::ArrayType => claimed = array_length(&attr.value),
                AttrRole::Href => {
                    return Err(self.error("multi-reference values (href) are not supported"))
                }
                AttrRole::Other => {}
            }
        }
        Ok((kind, claimed))
    }

    fn attr_role(&mut self, raw: &[u8]) -> AttrRole {
        if let Some((_, role)) = self.memo.attrs.iter().find(|(k, _)| **k == *raw) {
            return *role;
        }
        let role = match self.scopes.attribute(raw) {
            (Some(n), b"type") if n == XSI => AttrRole::XsiType,
            (Some(n), b"nil") if n == XSI => AttrRole::XsiNil,
            (Some(n), b"arrayType") if n == SOAP_ENC => AttrRole::ArrayType,
            (None, b"href") => AttrRole::Href,
            _ => AttrRole::Other,
        };
        if self.memo.attrs.len() < MEMO_LIMIT {
            self.memo.attrs.push((raw.into(), role));
        }
        role
    }

    fn type_kind_memo(&mut self, qname: &[u8]) -> Kind {
        if let Some((_, kind)) = self.memo.types.iter().find(|(k, _)| **k == *qname) {
            return *kind;
        }
        let kind = self.type_kind(qname);
        if self.memo.types.len() < MEMO_LIMIT {
            self.memo.types.push((qname.into(), kind));
        }
        kind
    }

    /// Maps an `xsi:type` QName to a kind, resolving its prefix in scope.
    fn type_kind(&self, qname: &[u8]) -> Kind {
        let (ns, local) = self.scopes.element(qname);
        let ns = ns.unwrap_or_default();
        if ns == XSD || ns == SOAP_ENC {
            match local {
                b"string" => Kind::Str,
                b"int"
                | b"long"
                | b"integer"
                | b"short"
                | b"byte"
                | b"unsignedInt"
                | b"unsignedLong"
                | b"unsignedShort"
                | b"unsignedByte"
                | b"nonNegativeInteger"
                | b"positiveInteger"
                | b"negativeInteger"
                | b"nonPositiveInteger" => Kind::Int,
                b"float" | b"double" | b"decimal" => Kind::Float,
                b"boolean" => Kind::Bool,
                b"Array" if ns == SOAP_ENC => Kind::List,
                b"Struct" if ns == SOAP_ENC => Kind::Untyped,
                // string, dateTime, base64Binary, anyURI, ...: kept as text.
                _ => Kind::Str,
            }
        } else if ns == APACHE_SOAP && local == b"Map" {
            Kind::Map
        } else {
            // A class or struct type of the server's own namespace.
            Kind::Untyped
        }
    }

    /// Decodes the value element whose start was just read: with the fast
    /// scanner when it can, else (or when the scanner gives up) with quick-xml.
    fn value(&mut self, start: BytesStart<'a>) -> Result<Value, Error> {
        // Where quick-xml stands: just after the start tag.
        let at = self.body.len() - self.reader.get_ref().len();
        // A self-closing value has no content to scan; quick-xml already
        // holds its end.
        if self.fast && !self.body[..at].ends_with(b"/>") {
            let mut scanner = Scanner::new(self.body, at);
            match self.build(&mut scanner, &start) {
                Ok(value) => {
                    // Hand the value's end tag back to quick-xml, which
                    // checks it against the start it read.
                    if let Some(end) = scanner.end() {
                        *self.reader.get_mut() = &self.body[end..];
                        return match self.next()? {
                            Ev::End => Ok(value),
                            _ => Err(self.error("inconsistent value structure")),
                        };
                    }
                }
                Err(Stop::Error(e)) => return Err(*e),
                Err(Stop::GiveUp) => self.gave_up += 1,
            }
        }
        self.build(&mut Quick, &start).map_err(|stop| match stop {
            Stop::Error(e) => *e,
            Stop::GiveUp => self.error("inconsistent value structure"),
        })
    }

    /// Builds the value whose start tag is `root` from `source`'s events, with
    /// an explicit stack of open containers. Scalars are read whole as they
    /// open, so only containers take a frame.
    fn build<S: Source<'a>>(
        &mut self,
        source: &mut S,
        root: &BytesStart<'_>,
    ) -> Result<Value, Stop> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut opened = self.open_value(source, root, Slot::Root, 1)?;
        loop {
            match opened {
                Opened::Frame(frame) => stack.push(frame),
                Opened::Value(slot, value) => {
                    if let Some(root) = self.place(&mut stack, slot, value)? {
                        return Ok(root);
                    }
                }
                Opened::Nothing => {}
            }
            // Inside a map, items of the usual shape are taken whole (the
            // item and its parts would be frames `stack.len() + 1` and `+ 2`).
            if stack.len() + 1 < self.limits.max_depth {
                if let Some(Frame::Map { entries, .. }) = stack.last_mut() {
                    if self.simple_item(source, entries)? {
                        opened = Opened::Nothing;
                        continue;
                    }
                }
            }
            opened = match source.event(self)? {
                Ev::Start(child) => {
                    if stack.len() >= self.limits.max_depth {
                        return Err(self.too_deep().into());
                    }
                    let depth = stack.len() + 1;
                    match stack.last() {
                        Some(Frame::List { .. }) => {
                            self.open_value(source, &child, Slot::ListItem, depth)?
                        }
                        Some(Frame::Map { .. }) => Opened::Frame(Frame::Item {
                            key: None,
                            value: None,
                        }),
                        Some(Frame::Item { .. }) => match child.local_name().as_ref() {
                            b"key" => self.open_value(source, &child, Slot::MapKey, depth)?,
                            b"value" => self.open_value(source, &child, Slot::MapValue, depth)?,
                            other => {
                                return Err(self
                                    .error(format!(
                                        "unexpected <{}> in a map item",
                                        String::from_utf8_lossy(other)
                                    ))
                                    .into())
                            }
                        },
                        Some(Frame::Untyped { .. }) => {
                            let name =
                                String::from_utf8_lossy(child.local_name().as_ref()).into_owned();
                            self.open_value(source, &child, Slot::Field(name.into()), depth)?
                        }
                        None => return Err(self.error("inconsistent value structure").into()),
                    }
                }
                Ev::Text(text) => {
                    if let Some(Frame::Untyped { text: buf, .. }) = stack.last_mut() {
                        append(buf, text);
                    }
                    Opened::Nothing
                }
                Ev::End => match stack.pop() {
                    // A map item goes straight into its map.
                    Some(Frame::Item { key, value }) => {
                        let key = key.ok_or_else(|| self.error("map item without a key"))?;
                        match stack.last_mut() {
                            Some(Frame::Map { entries, .. }) => {
                                entries.push((key, value.unwrap_or(Value::Null)))
                            }
                            _ => return Err(self.error("inconsistent value structure").into()),
                        }
                        Opened::Nothing
                    }
                    Some(frame) => {
                        let (slot, value) = self.finish(frame)?;
                        Opened::Value(slot, value)
                    }
                    None => return Err(self.error("inconsistent value structure").into()),
                },
                Ev::Eof => return Err(self.error("truncated XML").into()),
            };
        }
    }

    fn too_deep(&self) -> Error {
        self.error(format!(
            "value nested deeper than {} levels",
            self.limits.max_depth
        ))
    }

    /// Opens the value element `start`, which would be the `depth`th open
    /// frame: a container becomes a frame; a scalar is read to its end.
    fn open_value<S: Source<'a>>(
        &mut self,
        source: &mut S,
        start: &BytesStart<'_>,
        slot: Slot,
        depth: usize,
    ) -> Result<Opened, Stop> {
        let (kind, claimed) = self.kind_of(start)?;
        Ok(match kind {
            Kind::List => Opened::Frame(Frame::List {
                items: Vec::with_capacity(claimed.min(ARRAY_HINT_LIMIT)),
                slot,
            }),
            Kind::Map => Opened::Frame(Frame::Map {
                entries: Vec::with_capacity(self.map_hint),
                slot,
            }),
            Kind::Untyped => Opened::Frame(Frame::Untyped {
                text: String::new(),
                entries: Vec::new(),
                slot,
            }),
            kind => {
                // Usually one text (borrowed from the body when the source
                // can), then the end.
                let mut text = Cow::Borrowed("");
                loop {
                    match source.event(self)? {
                        Ev::Text(t) if text.is_empty() => text = t,
                        Ev::Text(t) => text.to_mut().push_str(&t),
                        Ev::End => break,
                        Ev::Start(_) if depth >= self.limits.max_depth => {
                            return Err(self.too_deep().into())
                        }
                        Ev::Start(_) => {
                            return Err(self.error("element inside a scalar value").into())
                        }
                        Ev::Eof => return Err(self.error("truncated XML").into()),
                    }
                }
                Opened::Value(slot, self.scalar(kind, text)?)
            }
        })
    }

    /// Puts a finished value where its slot says; the root value is returned.
    fn place(&self, stack: &mut [Frame], slot: Slot, value: Value) -> Result<Option<Value>, Error> {
        match (slot, stack.last_mut()) {
            (Slot::Root, _) => return Ok(Some(value)),
            (Slot::ListItem, Some(Frame::List { items, .. })) => items.push(value),
            (Slot::MapKey, Some(Frame::Item { key, .. })) => *key = Some(map_key(value)),
            (Slot::MapValue, Some(Frame::Item { value: v, .. })) => *v = Some(value),
            (Slot::Field(name), Some(Frame::Untyped { entries, .. })) => {
                entries.push((String::from(name), value))
            }
            _ => return Err(self.error("inconsistent value structure")),
        }
        Ok(None)
    }

    /// Turns a closed container frame into its value and where it goes.
    fn finish(&mut self, frame: Frame) -> Result<(Slot, Value), Error> {
        Ok(match frame {
            Frame::List { items, slot } => (slot, Value::List(items)),
            Frame::Map { entries, slot } => {
                self.map_hint = entries.len().min(1024);
                (slot, Value::Map(entries))
            }
            Frame::Untyped {
                text,
                entries,
                slot,
            } => {
                if entries.is_empty() {
                    (slot, Value::String(text))
                } else {
                    (slot, Value::Map(entries))
                }
            }
            // Items go into their map as they close, never through here.
            Frame::Item { .. } => return Err(self.error("inconsistent value structure")),
        })
    }

    fn scalar(&self, kind: Kind, text: Cow<'_, str>) -> Result<Value, Error> {
        let trimmed = text.trim();
        Ok(match kind {
            Kind::Nil => Value::Null,
            Kind::Int => match trimmed.parse::<i64>() {
                Ok(i) => Value::Int(i),
                // PHP sends integers beyond i64 as xsd:int text on 32-bit
                // hosts and floats elsewhere; keep them as floats.
                Err(_) => match trimmed.parse::<f64>() {
                    Ok(f)
                        if trimmed
                            .bytes()
                            .all(|b| b.is_ascii_digit() || b == b'-' || b == b'+') =>
                    {
                        Value::Float(f)
                    }
                    _ => {
                        return Err(
                            self.error(format!("xsd:int value {trimmed:?} is not an integer"))
                        )
                    }
                },
            },
            Kind::Float => match trimmed {
                "INF" => Value::Float(f64::INFINITY),
                "-INF" => Value::Float(f64::NEG_INFINITY),
                "NaN" => Value::Float(f64::NAN),
                _ => Value::Float(trimmed.parse::<f64>().map_err(|_| {
                    self.error(format!("xsd:float value {trimmed:?} is not a number"))
                })?),
            },
            Kind::Bool => match trimmed {
                "true" | "1" => Value::Bool(true),
                "false" | "0" | "" => Value::Bool(false),
                other => {
                    return Err(self.error(format!("xsd:boolean value {other:?} is not a boolean")))
                }
            },
            Kind::Str | Kind::Untyped | Kind::List | Kind::Map => Value::String(text.into_owned()),
        })
    }
}

/// Appends character data: the first piece is taken whole (one exact
/// allocation, none when it is already owned).
fn append(buf: &mut String, text: Cow<'_, str>) {
    if buf.is_empty() {
        *buf = text.into_owned();
    } else {
        buf.push_str(&text);
    }
}

/// The `N` of `arrayType="type[N]"`, or 0.
fn array_length(value: &[u8]) -> usize {
    let Some(open) = value.iter().rposition(|b| *b == b'[') else {
        return 0;
    };
    let digits = &value[open + 1..value.len().saturating_sub(1)];
    std::str::from_utf8(digits)
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(0)
}

/// PHP array keys are ints or strings; we keep the text.
fn map_key(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => if b { "1" } else { "" }.to_owned(),
        Value::Null => String::new(),
        Value::List(_) | Value::Map(_) => String::new(),
    }
}

#[cfg(test)]
mod tests;
