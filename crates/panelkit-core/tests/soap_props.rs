//! Property tests: the decoder never panics on arbitrary or mutated input, and
//! decoding what a PHP-style server would send for a value gives that value.

use panelkit_core::soap::{decode_response, encode_call, DecodeLimits, Response, Value};
use proptest::prelude::*;

/// Renders `value` as a SoapServer response (the server side uses the same
/// item/key/value shapes as the client's encoding of arguments).
fn as_response(value: &Value) -> String {
    let call = encode_call("urn:x", "m", std::slice::from_ref(value));
    let inner = call
        .split("<ns1:m>")
        .nth(1)
        .unwrap()
        .split("</ns1:m>")
        .next()
        .unwrap();
    let inner = inner.replacen("<param0", "<return", 1);
    let inner = match inner.rfind("</param0>") {
        Some(i) => format!("{}</return>", &inner[..i]),
        None => inner,
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:x" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns2="http://xml.apache.org/xml-soap" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/"><SOAP-ENV:Body><ns1:mResponse>{inner}</ns1:mResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
    )
}

fn xml_string() -> impl Strategy<Value = String> {
    // Characters XML can carry (the encoder replaces the others).
    proptest::string::string_regex("[a-zA-Z0-9 <>&\"'\\n\\t\u{e4}\u{6771}\u{1F642}%_.-]{0,12}")
        .unwrap()
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        (-1.0e12f64..1.0e12).prop_map(Value::Float),
        xml_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::List),
            prop::collection::vec(("[a-z_][a-z0-9_]{0,6}", inner), 0..6)
                .prop_map(|entries| Value::Map(entries.into_iter().collect())),
        ]
    })
}

const VALID: &str = r#"<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns2="http://xml.apache.org/xml-soap" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><SOAP-ENV:Body><ns1:xResponse xmlns:ns1="urn:x"><return SOAP-ENC:arrayType="ns2:Map[1]" xsi:type="SOAP-ENC:Array"><item xsi:type="ns2:Map"><item><key xsi:type="xsd:string">id</key><value xsi:type="xsd:string">1</value></item><item><key xsi:type="xsd:string">n</key><value xsi:type="xsd:int">2</value></item><item><key xsi:type="xsd:string">z</key><value xsi:nil="true"/></item></item></return></ns1:xResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"#;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_response(Some(200), &bytes, &DecodeLimits::default());
    }

    #[test]
    fn truncations_never_panic_and_fail(cut in 0usize..VALID.len()) {
        let result = decode_response(Some(200), &VALID.as_bytes()[..cut], &DecodeLimits::default());
        prop_assert!(result.is_err());
    }

    #[test]
    fn mutations_never_panic(edits in prop::collection::vec((0usize..VALID.len(), any::<u8>(), 0u8..3), 1..8)) {
        let mut bytes = VALID.as_bytes().to_vec();
        for (at, byte, op) in edits {
            let at = at.min(bytes.len());
            match op {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => { bytes.remove(at); }
                _ => {}
            }
        }
        let _ = decode_response(Some(200), &bytes, &DecodeLimits::default());
    }

    #[test]
    fn encoded_values_decode_to_themselves(v in value()) {
        let body = as_response(&v);
        match decode_response(Some(200), body.as_bytes(), &DecodeLimits::default()) {
            Ok(Response::Return(decoded)) => prop_assert_eq!(normalize(decoded), normalize(v)),
            other => prop_assert!(false, "decode failed: {:?}\n{}", other, body),
        }
    }
}

/// Floats print in Rust's shortest round-trip form; compare them by bits.
/// An empty map travels as an empty array (PHP reads an empty ns2:Map as null).
fn normalize(v: Value) -> Value {
    match v {
        Value::Map(entries) if entries.is_empty() => Value::List(Vec::new()),
        Value::Float(f) => Value::String(format!("{:x}", f.to_bits())),
        Value::List(items) => Value::List(items.into_iter().map(normalize).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k, normalize(v)))
                .collect(),
        ),
        other => other,
    }
}
