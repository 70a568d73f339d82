//! The SOAP decoder on hand-written envelopes: prefixes vary, namespaces do
//! not; every hostile or broken body is a typed error.

use panelkit_core::soap::{decode_response, DecodeLimits, Fault, Response, Value};
use panelkit_core::Error;

fn decode(body: &str) -> Result<Response, Error> {
    decode_response(Some(200), body.as_bytes(), &DecodeLimits::default())
}

fn ret(body: &str) -> Value {
    match decode(body).unwrap_or_else(|e| panic!("decode failed: {e}")) {
        Response::Return(v) => v,
        Response::Fault(f) => panic!("unexpected fault {f:?}"),
    }
}

fn unexpected(body: &[u8]) -> String {
    match decode_response(Some(500), body, &DecodeLimits::default()) {
        Err(Error::UnexpectedResponse { status, reason, .. }) => {
            assert_eq!(status, Some(500));
            reason
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
}

/// The same answer with unusual prefixes: `env:`, `enc:`, `apache:`, `s:`, `i:`.
const ODD_PREFIXES: &str = r#"<?xml version="1.0"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:apache="http://xml.apache.org/xml-soap"
  xmlns:enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:s="http://www.w3.org/2001/XMLSchema">
 <env:Header><x:Ignored xmlns:x="urn:x"><deep/></x:Ignored></env:Header>
 <env:Body>
  <m:getResponse xmlns:m="urn:whatever">
   <return i:type="enc:Array" enc:arrayType="apache:Map[2]">
    <item i:type="apache:Map">
      <item><key i:type="s:string">id</key><value i:type="s:int">7</value></item>
      <item><key i:type="s:int">3</key><value i:type="s:boolean">true</value></item>
      <item><key i:type="s:string">f</key><value i:type="s:double">-2.5e3</value></item>
      <item><key i:type="s:string">n</key><value i:nil="true"/></item>
      <item><key i:type="s:string">t</key><value i:type="s:string">a &lt;b&gt; &amp; &#252; &#x1F642; <![CDATA[<raw>]]></value></item>
      <item><key i:type="s:string">e</key><value i:type="enc:Array" enc:arrayType="s:anyType[0]"/></item>
    </item>
    <item i:type="apache:Map"/>
   </return>
  </m:getResponse>
 </env:Body>
</env:Envelope>"#;

#[test]
fn decodes_by_namespace_not_prefix() {
    let value = ret(ODD_PREFIXES);
    let rows = value.as_list().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        Value::Map(vec![
            ("id".into(), Value::Int(7)),
            ("3".into(), Value::Bool(true)),
            ("f".into(), Value::Float(-2500.0)),
            ("n".into(), Value::Null),
            ("t".into(), Value::String("a <b> & ü 🙂 <raw>".into())),
            ("e".into(), Value::List(vec![])),
        ])
    );
    assert_eq!(rows[1], Value::Map(vec![]));
}

#[test]
fn wrong_namespace_with_the_right_prefix_is_not_an_envelope() {
    let body =
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="urn:not-soap"><SOAP-ENV:Body/></SOAP-ENV:Envelope>"#;
    assert!(unexpected(body.as_bytes()).contains("not a SOAP envelope"));
}

#[test]
fn untyped_and_struct_values() {
    let body = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><r><return><a>1</a><b><c>x</c></b></return></r></e:Body></e:Envelope>"#;
    assert_eq!(
        ret(body),
        Value::Map(vec![
            ("a".into(), Value::from("1")),
            ("b".into(), Value::Map(vec![("c".into(), Value::from("x"))]))
        ])
    );
    let empty = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><r/></e:Body></e:Envelope>"#;
    assert_eq!(ret(empty), Value::Null);
}

#[test]
fn faults_soap11_and_soap12() {
    let body = r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>login_failed</faultcode><faultstring>The login failed. Username or password wrong.</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"#;
    assert_eq!(
        decode(body).unwrap(),
        Response::Fault(Fault {
            code: "login_failed".into(),
            message: "The login failed. Username or password wrong.".into(),
            detail: None
        })
    );
    let server = r#"<x:Envelope xmlns:x="http://schemas.xmlsoap.org/soap/envelope/"><x:Body><x:Fault><faultcode>x:Server</faultcode><faultstring>boom</faultstring><detail>more</detail></x:Fault></x:Body></x:Envelope>"#;
    assert_eq!(
        decode(server).unwrap(),
        Response::Fault(Fault {
            code: "Server".into(),
            message: "boom".into(),
            detail: Some("more".into())
        })
    );
    let soap12 = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>x</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">bad</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>"#;
    assert_eq!(
        decode(soap12).unwrap(),
        Response::Fault(Fault {
            code: "Sender".into(),
            message: "bad".into(),
            detail: None
        })
    );
}

#[test]
fn hostile_and_broken_bodies_are_typed_errors() {
    assert!(unexpected(b"").contains("empty"));
    assert!(unexpected(b"  \n").contains("empty"));
    assert!(unexpected(b"<!DOCTYPE html><html><body>500</body></html>").contains("HTML"));
    assert!(unexpected(b"<html><head><title>Error</title></head></html>").contains("HTML"));
    assert!(unexpected(b"<br />\n<b>Fatal error</b>: x").contains("HTML"));
    assert!(unexpected(&ODD_PREFIXES.as_bytes()[..ODD_PREFIXES.len() / 2]).contains("truncated"));
    assert!(unexpected(b"<a><b></a>").contains("not a SOAP envelope"));
    let mismatched = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><r><x></r></e:Body></e:Envelope>"#;
    assert!(unexpected(mismatched).contains("malformed"));
    assert!(unexpected(b"plain text").contains("text instead"));
    let doctype = r#"<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><r><return>&a;</return></r></e:Body></e:Envelope>"#;
    assert!(unexpected(doctype.as_bytes()).contains("DOCTYPE"));
    let invalid_utf8 = b"<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><r><return>\xff\xfe</return></r></e:Body></e:Envelope>";
    assert!(decode_response(Some(200), invalid_utf8, &DecodeLimits::default()).is_err());
    let bad_int = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><e:Body><r><return xsi:type="xsd:int">twelve</return></r></e:Body></e:Envelope>"#;
    assert!(decode(bad_int)
        .unwrap_err()
        .to_string()
        .contains("not an integer"));
    let href = r##"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><r><return href="#ref1"/></r></e:Body></e:Envelope>"##;
    assert!(decode(href).unwrap_err().to_string().contains("href"));
}

#[test]
fn depth_and_size_are_bounded() {
    let depth = 100_000;
    let mut body = String::from(
        r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><r><return>"#,
    );
    body.push_str(&"<a>".repeat(depth));
    body.push_str(&"</a>".repeat(depth));
    body.push_str("</return></r></e:Body></e:Envelope>");
    let err = decode(&body).unwrap_err();
    assert!(err.to_string().contains("nested deeper"), "{err}");
    let small = DecodeLimits {
        max_bytes: 64,
        ..DecodeLimits::default()
    };
    let err = decode_response(Some(200), ODD_PREFIXES.as_bytes(), &small).unwrap_err();
    assert!(err.to_string().contains("larger than 64 bytes"), "{err}");
}

#[test]
fn error_excerpt_is_short_and_keeps_status() {
    let page = format!(
        "<html><body>{}</body></html>",
        "Internal Server Error ".repeat(100)
    );
    match decode_response(Some(502), page.as_bytes(), &DecodeLimits::default()).unwrap_err() {
        Error::UnexpectedResponse {
            status, excerpt, ..
        } => {
            assert_eq!(status, Some(502));
            assert!(excerpt.starts_with("<html><body>Internal Server Error"));
            assert!(excerpt.chars().count() <= 201);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn whitespace_only_strings_are_kept() {
    let body = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><e:Body><r><return xsi:type="xsd:string"> </return></r></e:Body></e:Envelope>"#;
    assert_eq!(ret(body), Value::from(" "));
}

#[test]
fn fault_message_is_kept_as_sent() {
    let body = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><e:Fault><faultcode> data_processing_error </faultcode><faultstring>a_error&lt;br /&gt;\r\nb_error&lt;br /&gt;\r\n</faultstring></e:Fault></e:Body></e:Envelope>";
    match decode(body).unwrap() {
        Response::Fault(f) => {
            assert_eq!(f.code, "data_processing_error");
            assert_eq!(f.message, "a_error<br />\r\nb_error<br />\r\n");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn html_fragments_are_html() {
    assert!(
        unexpected(b"<div class='alert alert-danger'>Primary ID fehlt!</div>").contains("HTML")
    );
}
