//! The fast scanner: the content of a value element read straight from the
//! body, for what PHP's `SoapServer` writes there (elements with plain names,
//! attributes, character data with the predefined and numeric references).
//!
//! It gives up on anything else: comments, CDATA, processing instructions,
//! namespace declarations, names or end tags written unusually, bad UTF-8 or
//! references, the end of the input. The decoder then reads the value again
//! from its start with quick-xml, which decodes it or reports the error in
//! its own words; the scanner never reports one.
//!
//! What it accepts, it reads exactly as quick-xml does (with
//! `expand_empty_elements` and `check_end_names`): the same events with the
//! same names, attributes and text. It is faster because it makes no event
//! it need not (text is borrowed, names are not copied) and its common
//! cases are a table lookup and a `memchr` away.

use std::borrow::Cow;

use memchr::{memchr, memchr2};
use quick_xml::events::BytesStart;

use super::decode::{Ev, Stop};
use super::scopes::Scopes;

/// Reads the content of one value element, event by event.
pub(super) struct Scanner<'a> {
    body: &'a [u8],
    /// Where the next event starts.
    pos: usize,
    /// Names of the elements open inside the value element.
    open: Vec<&'a [u8]>,
    /// The element just read closed itself: its end is the next event.
    closing_empty: bool,
    /// Where the value element's own end tag starts, once reached.
    end: Option<usize>,
}

impl<'a> Scanner<'a> {
    /// A scanner of the content starting at `pos` in `body`, just after the
    /// start tag of a value element that is not self-closing.
    pub fn new(body: &'a [u8], pos: usize) -> Self {
        Scanner {
            body,
            pos,
            open: Vec::new(),
            closing_empty: false,
            end: None,
        }
    }

    /// Where the value element's end tag starts, once its end was read: that
    /// tag itself is left to quick-xml, which checks it against the start it
    /// read.
    pub fn end(&self) -> Option<usize> {
        self.end
    }

    /// The next event, or [`Stop::GiveUp`].
    pub fn next(&mut self, scopes: &Scopes) -> Result<Ev<'a>, Stop> {
        if self.closing_empty {
            self.closing_empty = false;
            self.open.pop();
            return Ok(Ev::End);
        }
        if self.end.is_some() {
            return Err(Stop::GiveUp);
        }
        let body = self.body;
        let rest = body.get(self.pos..).ok_or(Stop::GiveUp)?;
        match rest {
            [b'<', b'/', ..] => self.end_tag(rest),
            [b'<', b'!' | b'?', ..] | [b'<'] => Err(Stop::GiveUp),
            [b'<', ..] => self.start_tag(rest, scopes),
            _ => self.text(rest),
        }
    }

    /// Character data up to the next `<` (quick-xml's text event).
    fn text(&mut self, rest: &'a [u8]) -> Result<Ev<'a>, Stop> {
        let (text, len) = text(rest).ok_or(Stop::GiveUp)?;
        self.pos += len;
        Ok(Ev::Text(text))
    }

    /// `</name>`, exactly, for the innermost open element; or the start of
    /// the value element's own end tag.
    fn end_tag(&mut self, rest: &'a [u8]) -> Result<Ev<'a>, Stop> {
        let Some(name) = self.open.last() else {
            self.end = Some(self.pos);
            return Ok(Ev::End);
        };
        let len = end_tag(rest, name).ok_or(Stop::GiveUp)?;
        self.pos += len;
        self.open.pop();
        Ok(Ev::End)
    }

    fn start_tag(&mut self, rest: &'a [u8], scopes: &Scopes) -> Result<Ev<'a>, Stop> {
        let tag = StartTag::cut(rest).ok_or(Stop::GiveUp)?;
        // New bindings would change what names mean: quick-xml's path keeps
        // the scopes.
        if scopes.may_declare(tag.attributes()) {
            return Err(Stop::GiveUp);
        }
        let content = std::str::from_utf8(tag.content).map_err(|_| Stop::GiveUp)?;
        self.pos += tag.len;
        self.open.push(tag.name());
        self.closing_empty = tag.empty;
        Ok(Ev::Start(BytesStart::from_content(content, tag.name_len)))
    }

    /// The map item that comes next, when it has the shape PHP writes:
    /// `<item><key …>text</key><value …>text</value></item>` (either part may
    /// close itself) and `known` knows both parts' attribute lists. Nothing
    /// is consumed; [`Scanner::take_item`] does.
    ///
    /// `known` is given what follows an element's name; it answers with the
    /// length of the raw attribute list found there and what that list means
    /// (so an item costs no attribute parsing and no search for `>`).
    pub fn peek_item<K>(&self, known: impl Fn(&[u8]) -> Option<(usize, K)>) -> Option<Item<'a, K>> {
        if self.closing_empty || self.end.is_some() {
            return None;
        }
        let body = self.body;
        let mut at = self.pos;
        at += body.get(at..)?.strip_prefix(b"<item>").map(|_| 6)?;
        let (key_kind, key, len) = scalar_element(&body[at..], b"key", &known)?;
        at += len;
        let (value_kind, value, len) = scalar_element(&body[at..], b"value", &known)?;
        at += len;
        at += end_tag(&body[at..], b"item")?;
        Some(Item {
            key_kind,
            key,
            value_kind,
            value,
            end: at,
        })
    }

    /// Consumes the item [`Scanner::peek_item`] gave.
    pub fn take_item<K>(&mut self, item: &Item<'a, K>) {
        self.pos = item.end;
    }
}

/// A map item in the shape PHP writes, read ahead by [`Scanner::peek_item`].
pub(super) struct Item<'a, K> {
    /// What the attributes of `<key>` mean.
    pub key_kind: K,
    /// Text of `<key>`.
    pub key: Cow<'a, str>,
    /// What the attributes of `<value>` mean.
    pub value_kind: K,
    /// Text of `<value>`.
    pub value: Cow<'a, str>,
    /// Where the item's end tag ends.
    end: usize,
}

/// A start tag cut the way quick-xml cuts it, for names made of [`NAME`]
/// bytes.
struct StartTag<'a> {
    /// What lies between `<` and `>`, without the `/` of a self-closing tag:
    /// the name, then the raw attributes.
    content: &'a [u8],
    name_len: usize,
    /// Length of the whole tag.
    len: usize,
    /// Self-closing.
    empty: bool,
}

impl<'a> StartTag<'a> {
    /// The start tag at the beginning of `rest` (which starts with `<`).
    fn cut(rest: &'a [u8]) -> Option<Self> {
        let name_len = rest.get(1..)?.iter().position(|b| !NAME[usize::from(*b)])?;
        if name_len == 0 {
            return None;
        }
        let name_end = 1 + name_len;
        let (content, len, empty) = match rest[name_end] {
            b'>' => (&rest[1..name_end], name_end + 1, false),
            b'/' if rest.get(name_end + 1) == Some(&b'>') => {
                (&rest[1..name_end], name_end + 2, true)
            }
            b' ' | b'\t' | b'\r' | b'\n' => {
                let gt = name_end + tag_end(&rest[name_end..])?;
                let inner = &rest[1..gt];
                match inner.strip_suffix(b"/") {
                    Some(content) => (content, gt + 1, true),
                    None => (inner, gt + 1, false),
                }
            }
            _ => return None,
        };
        Some(StartTag {
            content,
            name_len,
            len,
            empty,
        })
    }

    fn name(&self) -> &'a [u8] {
        &self.content[..self.name_len]
    }

    fn attributes(&self) -> &'a [u8] {
        &self.content[self.name_len..]
    }
}

/// `<name …>text</name>` or `<name …/>` at the beginning of `rest`, with
/// attributes `known` knows: what they mean, its text and its length.
fn scalar_element<'a, K>(
    rest: &'a [u8],
    name: &[u8],
    known: &impl Fn(&[u8]) -> Option<(usize, K)>,
) -> Option<(K, Cow<'a, str>, usize)> {
    let name_end = 1 + name.len();
    if rest.first() != Some(&b'<') || rest.get(1..name_end)? != name {
        return None;
    }
    let (attributes_len, kind) = known(&rest[name_end..])?;
    let close = name_end + attributes_len;
    let (tag_len, empty) = match rest.get(close..)? {
        [b'>', ..] => (close + 1, false),
        [b'/', b'>', ..] => (close + 2, true),
        _ => return None,
    };
    if empty {
        return Some((kind, Cow::Borrowed(""), tag_len));
    }
    let (text, text_len) = match rest.get(tag_len) {
        Some(b'<') => (Cow::Borrowed(""), 0),
        _ => text(&rest[tag_len..])?,
    };
    let at = tag_len + text_len;
    let end = end_tag(&rest[at..], name)?;
    Some((kind, text, at + end))
}

/// Character data at the beginning of `rest`, up to the next `<`, as
/// quick-xml's text event gives it (references resolved), and its length.
/// None at the end of input (the value is truncated) or on bad UTF-8 or a bad
/// reference.
fn text(rest: &[u8]) -> Option<(Cow<'_, str>, usize)> {
    let (len, has_reference) = match memchr2(b'<', b'&', rest)? {
        i if rest[i] == b'<' => (i, false),
        i => (i + memchr(b'<', &rest[i..])?, true),
    };
    let text = std::str::from_utf8(&rest[..len]).ok()?;
    if !has_reference {
        return Some((Cow::Borrowed(text), len));
    }
    // The very function quick-xml's `BytesText::unescape` applies.
    Some((quick_xml::escape::unescape(text).ok()?, len))
}

/// The length of `</name>` at the beginning of `rest`, written exactly so.
fn end_tag(rest: &[u8], name: &[u8]) -> Option<usize> {
    let after = 2 + name.len();
    (rest.starts_with(b"</") && rest.get(2..after) == Some(name) && rest.get(after) == Some(&b'>'))
        .then_some(after + 1)
}

/// Where a start tag's `>` is, from after its name: outside quoted attribute
/// values, as quick-xml's element parser finds it.
fn tag_end(bytes: &[u8]) -> Option<usize> {
    // A plain loop: attribute lists are a few dozen bytes, shorter than what
    // a vectorized search needs to pay off.
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'>') => return Some(i),
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if q == b => quote = None,
            _ => {}
        }
    }
    None
}

/// Bytes the scanner takes in element names: ASCII letters, digits, `_`,
/// `-`, `.` and `:` (everything PHP writes); any other name is left to
/// quick-xml.
static NAME: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':');
        b += 1;
    }
    table
};
