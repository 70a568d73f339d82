//! The fast scanner and quick-xml read every value the same way: the same
//! value or the same class of error, on PHP-shaped answers, on values of every shape,
//! and on broken, mutated and hostile input; and the scanner really is the
//! path PHP-shaped answers take.

use proptest::prelude::*;

use super::*;
use crate::soap::encode_call;

/// Decodes `body` with or without the scanner: the result (as its `Debug`
/// text, so NaN equals NaN) and how many values the scanner gave up on.
fn decode_with(body: &[u8], limits: &DecodeLimits, fast: bool) -> (String, usize) {
    let mut decoder = Decoder::new(Some(200), body, limits);
    decoder.fast = fast;
    let result = decoder.run();
    (format!("{result:?}"), decoder.gave_up)
}

/// Both paths' results, asserted equal — a value exactly, an error by its
/// class: input broken in two places may have either defect named first
/// (a bad integer before a mismatched end tag, or the other way round), and
/// both are the same typed refusal. Returns the scanner's give-ups.
fn agree(body: &[u8], limits: &DecodeLimits) -> Result<usize, TestCaseError> {
    let (fast, gave_up) = decode_with(body, limits, true);
    let (quick, _) = decode_with(body, limits, false);
    let class = |text: &str| -> String {
        match text.strip_prefix("Err(") {
            Some(error) => error.split([' ', '(', '{']).next().unwrap_or("").to_owned(),
            None => text.to_owned(),
        }
    };
    prop_assert_eq!(
        class(&fast),
        class(&quick),
        "fast and quick-xml paths differ on {:?}: {} vs {}",
        String::from_utf8_lossy(body),
        fast,
        quick
    );
    if !fast.starts_with("Err(") {
        prop_assert_eq!(&fast, &quick);
    }
    Ok(gave_up)
}

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:x" xmlns:ns2="http://xml.apache.org/xml-soap" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><SOAP-ENV:Body><ns1:mResponse>"#;
const TAIL: &str = "</ns1:mResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>";

fn answer(value_xml: &str) -> String {
    format!("{HEAD}{value_xml}{TAIL}")
}

/// Rows the way ISPConfig's `SoapServer` sends them (as the bench does).
fn php_rows(rows: usize) -> String {
    let mut xml =
        format!(r#"<return SOAP-ENC:arrayType="ns2:Map[{rows}]" xsi:type="SOAP-ENC:Array">"#);
    for i in 0..rows {
        xml.push_str(r#"<item xsi:type="ns2:Map">"#);
        for (key, value) in [
            ("id", format!(r#"<value xsi:type="xsd:string">{i}</value>"#)),
            ("n", format!(r#"<value xsi:type="xsd:int">-{i}</value>"#)),
            ("f", r#"<value xsi:type="xsd:double">NaN</value>"#.to_owned()),
            ("b", r#"<value xsi:type="xsd:boolean">true</value>"#.to_owned()),
            ("z", r#"<value xsi:nil="true"/>"#.to_owned()),
            ("e", r#"<value xsi:type="xsd:string"></value>"#.to_owned()),
            (
                "t",
                r#"<value xsi:type="xsd:string">imported &lt;legacy&gt; Grüße &#x1F642;</value>"#
                    .to_owned(),
            ),
            (
                "l",
                r#"<value SOAP-ENC:arrayType="xsd:int[2]" xsi:type="SOAP-ENC:Array"><item xsi:type="xsd:int">1</item><item xsi:type="xsd:int">2</item></value>"#
                    .to_owned(),
            ),
        ] {
            xml.push_str(&format!(
                r#"<item><key xsi:type="xsd:string">{key}</key>{value}</item>"#
            ));
        }
        xml.push_str("</item>");
    }
    xml.push_str("</return>");
    answer(&xml)
}

#[test]
fn php_shaped_answers_take_the_fast_path() {
    let body = php_rows(20);
    let gave_up = agree(body.as_bytes(), &DecodeLimits::default()).unwrap();
    assert_eq!(gave_up, 0);
    let (fast, _) = decode_with(body.as_bytes(), &DecodeLimits::default(), true);
    assert!(fast.starts_with("Ok(Return(List(["), "{fast}");
}

#[test]
fn unusual_content_is_left_to_quick_xml_and_read_the_same() {
    for value in [
        r#"<return xsi:type="xsd:string">a<![CDATA[<b>]]>c</return>"#,
        r#"<return xsi:type="xsd:string">a<!-- note -->b</return>"#,
        r#"<return xsi:type="xsd:string">a<?pi x?>b</return>"#,
        r#"<return><x:a xmlns:x="urn:y">1</x:a></return>"#,
        r#"<return><a>1</a ></return>"#,
        r#"<return><ä>1</ä></return>"#,
        r#"<return xsi:type="xsd:string">&bogus;</return>"#,
        r#"<return><a>1</b></return>"#,
    ] {
        let gave_up = agree(answer(value).as_bytes(), &DecodeLimits::default()).unwrap();
        assert_eq!(gave_up, 1, "{value}");
    }
    let invalid_utf8 = [HEAD.as_bytes(), b"<return>\xff</return>", TAIL.as_bytes()].concat();
    assert_eq!(agree(&invalid_utf8, &DecodeLimits::default()).unwrap(), 1);
}

#[test]
fn deep_nesting_is_refused_the_same_way_without_recursion() {
    let depth = 200_000;
    let value = format!(
        "<return>{}{}</return>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    let body = answer(&value);
    let (fast, _) = decode_with(body.as_bytes(), &DecodeLimits::default(), true);
    assert!(fast.contains("nested deeper than 128 levels"), "{fast}");
    agree(body.as_bytes(), &DecodeLimits::default()).unwrap();
    // With a bound of 150,000, both open that many levels on their explicit
    // stacks before refusing (a tree that deep could be built, but not
    // dropped or printed without recursion: `Value` itself recurses).
    let deep = DecodeLimits {
        max_depth: 150_000,
        ..DecodeLimits::default()
    };
    let (fast, gave_up) = decode_with(body.as_bytes(), &deep, true);
    assert!(fast.contains("nested deeper than 150000 levels"), "{fast}");
    assert_eq!(gave_up, 0);
    agree(body.as_bytes(), &deep).unwrap();
}

/// Pieces of value XML, well-formed and not, that the scanner must either
/// read as quick-xml does or give up on.
const PIECES: &[&str] = &[
    "<item>",
    "</item>",
    "<item >",
    "</item >",
    r#"<item xsi:type="ns2:Map">"#,
    r#"<key xsi:type="xsd:string">"#,
    r#"<key xsi:type="xsd:int">"#,
    "<key>",
    "</key>",
    "<x:key>",
    "</x:key>",
    r#"<value xsi:type="xsd:string">"#,
    r#"<value xsi:type="xsd:int">"#,
    r#"<value xsi:type="xsd:boolean">"#,
    r#"<value xsi:type="xsd:double">"#,
    r#"<value xsi:type='xsd:string'>"#,
    r#"<value xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:int[3]">"#,
    r#"<value xsi:type="ns2:Map">"#,
    r#"<value xsi:nil="true"/>"#,
    r#"<value xsi:nil="false"/>"#,
    r##"<value href="#r"/>"##,
    r#"<value a=">">"#,
    "<value/>",
    "</value>",
    "<value>",
    r#"<a xmlns:x="urn:x">"#,
    r#"<a x="xmlns">"#,
    "<a>",
    "</a>",
    "<b/>",
    "<!--c-->",
    "<![CDATA[<&]]>",
    "<?pi x?>",
    "<!DOCTYPE x>",
    "&amp;",
    "&lt;",
    "&bogus;",
    "&#x1F642;",
    "&#0;",
    "&",
    "<",
    ">",
    "/",
    "\"",
    "'",
    "12",
    "-3",
    "1.5e3",
    "NaN",
    "true",
    "abc",
    " ",
    "\n",
    "é",
    "</return>",
];

/// A value element made of `pieces`, inside a well-formed answer.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(vec![
            "<return>",
            r#"<return xsi:type="ns2:Map">"#,
            r#"<return xsi:type="SOAP-ENC:Array">"#,
            r#"<return xsi:type="xsd:string">"#,
        ]),
        prop::collection::vec(
            prop_oneof![
                8 => prop::sample::select(PIECES).prop_map(|p| p.as_bytes().to_vec()),
                1 => any::<u8>().prop_map(|b| vec![b]),
            ],
            0..24,
        ),
    )
        .prop_map(|(root, pieces)| {
            [
                HEAD.as_bytes(),
                root.as_bytes(),
                &pieces.concat(),
                b"</return>",
                TAIL.as_bytes(),
            ]
            .concat()
        })
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        "[a-zA-Z0-9 <>&\"'\\n\\r\\t\u{e4}\u{1F642}]{0,8}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::List),
            prop::collection::vec(("[a-z_][a-z0-9_]{0,6}", inner), 0..6)
                .prop_map(|entries| Value::Map(entries.into_iter().collect())),
        ]
    })
}

/// `value` as a `SoapServer` answer (the server writes the client's shapes).
fn encoded(value: &Value) -> String {
    let call = encode_call("urn:x", "m", std::slice::from_ref(value));
    let start = call.find("<param0").unwrap_or(0);
    let end = call.rfind("</ns1:m>").unwrap_or(call.len());
    let inner = call[start..end].replacen("<param0", "<return", 1);
    let inner = match inner.rfind("</param0>") {
        Some(i) => format!("{}</return>", &inner[..i]),
        None => inner,
    };
    answer(&inner)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn encoded_values_take_the_fast_path(v in value()) {
        prop_assert_eq!(agree(encoded(&v).as_bytes(), &DecodeLimits::default())?, 0);
    }

    #[test]
    fn mutated_answers_are_read_the_same(
        v in value(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..6),
        piece in prop::sample::select(PIECES),
    ) {
        let mut bytes = encoded(&v).into_bytes();
        for (at, byte, op) in edits {
            let at = at.index(bytes.len() + 1);
            match op {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                2 => {
                    bytes.splice(at..at, piece.bytes());
                }
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        agree(&bytes, &DecodeLimits::default())?;
    }

    #[test]
    fn value_soup_is_read_the_same(body in soup(), max_depth in 1usize..6) {
        agree(&body, &DecodeLimits::default())?;
        let shallow = DecodeLimits { max_depth, ..DecodeLimits::default() };
        agree(&body, &shallow)?;
    }

    #[test]
    fn truncated_php_answers_are_read_the_same(cut in 0usize..2000) {
        let body = php_rows(2);
        agree(&body.as_bytes()[..cut.min(body.len())], &DecodeLimits::default())?;
    }
}
