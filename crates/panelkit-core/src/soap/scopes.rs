//! Namespace scopes, kept by hand.
//!
//! quick-xml's `NsReader` resolves every event, which doubled the cost of
//! reading a large answer; SOAP answers declare their namespaces once, on the
//! envelope, so bindings are only parsed on elements whose attributes mention
//! `xmlns`, and names are resolved only where the decoder asks.

use quick_xml::events::BytesStart;

const XML_NS: &[u8] = b"http://www.w3.org/XML/1998/namespace";

struct Binding {
    /// Document depth of the declaring element.
    depth: usize,
    /// Prefix; empty for the default namespace.
    prefix: Box<[u8]>,
    /// Namespace URI; empty un-declares a default namespace.
    uri: Box<[u8]>,
}

/// The namespace bindings in scope.
pub(super) struct Scopes {
    bindings: Vec<Binding>,
    /// Built once: `memmem::find` would build a searcher on every element.
    xmlns: memchr::memmem::Finder<'static>,
}

impl Default for Scopes {
    fn default() -> Self {
        Scopes {
            bindings: Vec::new(),
            xmlns: memchr::memmem::Finder::new(b"xmlns"),
        }
    }
}

impl Scopes {
    /// Records the declarations of the element at `depth`, if it has any;
    /// returns whether it declared something.
    pub fn open(
        &mut self,
        depth: usize,
        start: &BytesStart<'_>,
    ) -> Result<bool, quick_xml::events::attributes::AttrError> {
        if !self.may_declare(start.attributes_raw()) {
            return Ok(false);
        }
        let mut declared = false;
        for attr in start.attributes().with_checks(false) {
            let attr = attr?;
            let key = attr.key.as_ref();
            let prefix: &[u8] = if key == b"xmlns" {
                b""
            } else if let Some(p) = key.strip_prefix(b"xmlns:") {
                p
            } else {
                continue;
            };
            self.bindings.push(Binding {
                depth,
                prefix: prefix.into(),
                uri: attr.value.as_ref().into(),
            });
            declared = true;
        }
        Ok(declared)
    }

    /// Whether raw attributes might declare a namespace (they mention
    /// `xmlns`); when not, the bindings in scope stay as they are.
    pub fn may_declare(&self, raw_attributes: &[u8]) -> bool {
        self.xmlns.find(raw_attributes).is_some()
    }

    /// Drops the declarations of the element at `depth` as it closes; returns
    /// whether there were any.
    pub fn close(&mut self, depth: usize) -> bool {
        let before = self.bindings.len();
        while self.bindings.last().is_some_and(|b| b.depth >= depth) {
            self.bindings.pop();
        }
        before != self.bindings.len()
    }

    fn uri(&self, prefix: &[u8]) -> Option<&[u8]> {
        if prefix == b"xml" {
            return Some(XML_NS);
        }
        self.bindings
            .iter()
            .rev()
            .find(|b| *b.prefix == *prefix)
            .map(|b| &*b.uri)
            .filter(|uri| !uri.is_empty())
    }

    /// Namespace and local name of an element name (or of a QName in content,
    /// such as an `xsi:type` value): unprefixed names take the default namespace.
    pub fn element<'n>(&self, qname: &'n [u8]) -> (Option<&[u8]>, &'n [u8]) {
        match qname.iter().position(|b| *b == b':') {
            Some(i) => (self.uri(&qname[..i]), &qname[i + 1..]),
            None => (self.uri(b""), qname),
        }
    }

    /// Namespace and local name of an attribute name: unprefixed attributes
    /// are in no namespace.
    pub fn attribute<'n>(&self, qname: &'n [u8]) -> (Option<&[u8]>, &'n [u8]) {
        match qname.iter().position(|b| *b == b':') {
            Some(i) => (self.uri(&qname[..i]), &qname[i + 1..]),
            None => (None, qname),
        }
    }
}
