//! Encoding an RPC call as PHP's `SoapClient` does in non-WSDL mode.

use std::fmt::Write;

use super::names::{APACHE_SOAP_STR, SOAP11_ENV_STR, SOAP_ENC_STR, XSD_STR, XSI_STR};
use super::Value;

/// Encodes a call of `method` with positional `params` (`param0..N`) in the
/// request namespace `namespace`.
///
/// Strings are escaped for XML; characters XML 1.0 cannot carry (NUL and most
/// other C0 controls) become U+FFFD, and `\r` is sent as `&#13;` so XML
/// line-end normalization does not turn it into `\n`.
pub fn encode_call(namespace: &str, method: &str, params: &[Value]) -> String {
    let mut out = String::with_capacity(512);
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = write!(
        out,
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP11_ENV_STR}" xmlns:ns1="{}" xmlns:xsd="{XSD_STR}" xmlns:xsi="{XSI_STR}" xmlns:ns2="{APACHE_SOAP_STR}" xmlns:SOAP-ENC="{SOAP_ENC_STR}" SOAP-ENV:encodingStyle="{SOAP_ENC_STR}"><SOAP-ENV:Body>"#,
        escape_attr(namespace)
    );
    let method = xml_name(method);
    let _ = write!(out, "<ns1:{method}>");
    for (i, param) in params.iter().enumerate() {
        write_value(&mut out, &format!("param{i}"), param);
    }
    let _ = write!(out, "</ns1:{method}></SOAP-ENV:Body></SOAP-ENV:Envelope>");
    out
}

/// Writes `<name xsi:type=..>value</name>`.
pub(crate) fn write_value(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Null => {
            let _ = write!(out, r#"<{name} xsi:nil="true"/>"#);
        }
        Value::Bool(b) => {
            let _ = write!(out, r#"<{name} xsi:type="xsd:boolean">{b}</{name}>"#);
        }
        Value::Int(i) => {
            let _ = write!(out, r#"<{name} xsi:type="xsd:int">{i}</{name}>"#);
        }
        Value::Float(f) => {
            let text = if f.is_nan() {
                "NaN".to_owned()
            } else if f.is_infinite() {
                if *f > 0.0 { "INF" } else { "-INF" }.to_owned()
            } else {
                format!("{f:?}")
            };
            let _ = write!(out, r#"<{name} xsi:type="xsd:float">{text}</{name}>"#);
        }
        Value::String(s) => {
            let _ = write!(out, r#"<{name} xsi:type="xsd:string">"#);
            escape_text_into(out, s);
            let _ = write!(out, "</{name}>");
        }
        Value::List(items) => {
            let _ = write!(
                out,
                r#"<{name} SOAP-ENC:arrayType="xsd:anyType[{}]" xsi:type="SOAP-ENC:Array">"#,
                items.len()
            );
            for item in items {
                write_value(out, "item", item);
            }
            let _ = write!(out, "</{name}>");
        }
        // PHP decodes an empty ns2:Map as null; its own client sends an empty
        // array as an empty SOAP-ENC:Array, so do the same.
        Value::Map(entries) if entries.is_empty() => {
            write_value(out, name, &Value::List(Vec::new()))
        }
        Value::Map(entries) => {
            let _ = write!(out, r#"<{name} xsi:type="ns2:Map">"#);
            for (key, value) in entries {
                out.push_str(r#"<item><key xsi:type="xsd:string">"#);
                escape_text_into(out, key);
                out.push_str("</key>");
                write_value(out, "value", value);
                out.push_str("</item>");
            }
            let _ = write!(out, "</{name}>");
        }
    }
}

/// Escapes character data.
pub(crate) fn escape_text_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if is_xml_char(c) && !c.is_control() => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Characters XML 1.0 allows in content.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Method names are PHP identifiers; anything else is replaced so the
/// envelope stays well-formed (the server then answers "method does not exist").
fn xml_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_and_nesting() {
        let params = vec![
            Value::Null,
            Value::Bool(true),
            Value::Int(-7),
            Value::Float(1.5),
            Value::String("a<b>&\"c\" Grüße 東京 🙂\r\n".into()),
            Value::List(vec![Value::Int(1), Value::String("x".into())]),
            [("k", Value::Int(1))].into_iter().collect(),
        ];
        let xml = encode_call("urn:test", "dns_a_add", &params);
        let body = xml.split("<ns1:dns_a_add>").nth(1).unwrap();
        assert_eq!(
            body,
            concat!(
                r#"<param0 xsi:nil="true"/>"#,
                r#"<param1 xsi:type="xsd:boolean">true</param1>"#,
                r#"<param2 xsi:type="xsd:int">-7</param2>"#,
                r#"<param3 xsi:type="xsd:float">1.5</param3>"#,
                "<param4 xsi:type=\"xsd:string\">a&lt;b&gt;&amp;\"c\" Grüße 東京 🙂&#13;\n</param4>",
                r#"<param5 SOAP-ENC:arrayType="xsd:anyType[2]" xsi:type="SOAP-ENC:Array"><item xsi:type="xsd:int">1</item><item xsi:type="xsd:string">x</item></param5>"#,
                r#"<param6 xsi:type="ns2:Map"><item><key xsi:type="xsd:string">k</key><value xsi:type="xsd:int">1</value></item></param6>"#,
                "</ns1:dns_a_add></SOAP-ENV:Body></SOAP-ENV:Envelope>"
            )
        );
    }

    #[test]
    fn invalid_xml_characters_are_replaced() {
        let xml = encode_call("urn:x", "m", &[Value::String("a\u{0}b\u{1b}c".into())]);
        assert!(xml.contains(">a\u{FFFD}b\u{FFFD}c<"));
    }

    #[test]
    fn hostile_method_and_namespace_cannot_break_the_envelope() {
        let xml = encode_call("urn:\"><x", "a><b", &[]);
        assert!(xml.contains("<ns1:a__b>"));
        assert!(xml.contains("xmlns:ns1=\"urn:&quot;&gt;&lt;x\""));
    }
}
