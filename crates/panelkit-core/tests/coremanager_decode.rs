//! COREmanager documents (out=json and out=xml) → typed documents and errors.

use panelkit_core::coremanager::document::{decode, DecodeLimits};
use panelkit_core::coremanager::{Document, Expect, Format, Outcome};
use panelkit_core::Error;

fn json(body: &str, expect: Expect) -> Result<Document, Error> {
    decode(
        body.as_bytes(),
        Format::Json,
        expect,
        Some(200),
        &DecodeLimits::default(),
    )
}

fn xml(body: &str, expect: Expect) -> Result<Document, Error> {
    decode(
        body.as_bytes(),
        Format::Xml,
        expect,
        Some(200),
        &DecodeLimits::default(),
    )
}

#[test]
fn json_list_with_attributes_and_flags() {
    let body = r#"{"doc":{"$lang":"en","$func":"webdomain","elem":[
        {"name":{"$":"foo.org"},"owner":{"$":"foo_admin"},"php":{},"user":{"$used":"1","$limit":"10"}},
        {"name":{"$":"example.com"},"owner":{"$":"example"}}],"tparams":{"func":{"$":"webdomain"}}}}"#;
    let rows = json(body, Expect::List).unwrap().into_rows().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].get("name"), Some("foo.org"));
    assert!(rows[0].has("php"));
    assert!(!rows[1].has("php"));
    assert_eq!(rows[0].attr("user", "limit"), Some("10"));
    assert_eq!(rows[1].get("owner"), Some("example"));
}

#[test]
fn one_row_list_as_object_is_still_a_list() {
    let body = r#"{"doc":{"elem":{"name":{"$":"only.example"}}}}"#;
    let rows = json(body, Expect::Any).unwrap().into_rows().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get("name"), Some("only.example"));
}

#[test]
fn empty_list_is_a_list_when_a_list_is_expected() {
    let body = r#"{"doc":{"$func":"webdomain","tparams":{"out":{"$":"json"}}}}"#;
    assert_eq!(json(body, Expect::List).unwrap(), Document::List(vec![]));
    // without the hint it is a form without fields, which still reads as no rows
    assert!(json(body, Expect::Any)
        .unwrap()
        .into_rows()
        .unwrap()
        .is_empty());
}

#[test]
fn form_ok_restart_redirect_auth() {
    let form = json(
        r#"{"doc":{"elid":{"$":"example.com"},"name":{"$":"example.com"},"alias":{"$":"www.example.com"},"cgi":{}}}"#,
        Expect::Any,
    )
    .unwrap()
    .into_form()
    .unwrap();
    assert_eq!(form.elid.as_deref(), Some("example.com"));
    assert_eq!(form.get("alias"), Some("www.example.com"));
    assert!(form.fields.has("cgi"));

    assert_eq!(
        json(r#"{"doc":{"ok":{}}}"#, Expect::Any).unwrap(),
        Document::Ok
    );
    assert_eq!(
        json(r#"{"doc":{"ok":{"$":"restart"}}}"#, Expect::Any)
            .unwrap()
            .into_outcome()
            .unwrap(),
        Outcome::RestartNeeded
    );
    assert_eq!(
        json(
            r#"{"doc":{"redirect":{"$":"func=auth&username=u&key=k"}}}"#,
            Expect::Any
        )
        .unwrap(),
        Document::Redirect("func=auth&username=u&key=k".into())
    );
    match json(
        r#"{"doc":{"auth":{"$id":"0123abcd","$":"0123abcd"}}}"#,
        Expect::Any,
    )
    .unwrap()
    {
        Document::Auth(id) => assert_eq!(id.expose(), "0123abcd"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn errors_become_typed_errors() {
    let err = |t: &str| {
        json(
            &format!(
                r#"{{"doc":{{"error":{{"$type":"{t}","$object":"name","$lang":"en","param":{{"$":"name"}},"msg":{{"$":"Bad name"}},"detail":{{"$":"why"}}}}}}}}"#
            ),
            Expect::Any,
        )
        .unwrap_err()
    };
    assert!(matches!(err("auth"), Error::Auth { .. }));
    assert!(matches!(err("access"), Error::Permission { .. }));
    assert!(matches!(err("missed"), Error::NotFound { .. }));
    match err("value") {
        Error::Validation {
            code,
            message,
            fields,
            ..
        } => {
            assert_eq!(code, "value");
            assert_eq!(fields, ["name"]);
            assert!(
                message.contains("Bad name") && message.contains("why"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(err("empty"), Error::Validation { .. }));
    match err("exists") {
        Error::Fault { code, .. } => assert_eq!(code, "exists"),
        other => panic!("{other:?}"),
    }
    let bad_password = json(
        r#"{"doc":{"error":{"$type":"auth","$object":"badpassword","msg":{"$":"Invalid username or password"}}}}"#,
        Expect::Any,
    )
    .unwrap_err();
    match bad_password {
        Error::Auth { hint, .. } => assert!(hint.is_some()),
        other => panic!("{other:?}"),
    }
}

/// COREmanager 6 sends `param` as an array of named elements, and list answers
/// carry metadata, toolbars and paging next to the rows.
#[test]
fn coremanager_6_shapes() {
    let e = json(
        r#"{"doc":{"error":{"$type":"value","$object":"passwd","$lang":"en","detail":{"$":"too short"},"msg":{"$":"Invalid value"},
            "param":[{"$name":"object","$type":"msg","$":"passwd"},{"$name":"value","$":"hunter2"}]}}}"#,
        Expect::Any,
    )
    .unwrap_err();
    match &e {
        Error::Validation {
            fields, message, ..
        } => {
            assert_eq!(fields, &["passwd"]);
            assert!(!message.contains("hunter2"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{e} {e:?}").contains("hunter2"));
    let form = json(
        r#"{"doc":{"$func":"site.edit","elid":{"$":"a.example"},"site_name":{"$":"a.example"},"metadata":{"$type":"form"},
            "saved_filters":{},"tparams":{"func":{"$":"site.edit"}},"p_num":{"$":"1"}}}"#,
        Expect::Any,
    )
    .unwrap()
    .into_form()
    .unwrap();
    let names: Vec<&str> = form.fields.names().collect();
    assert_eq!(names, ["elid", "site_name"]);
}

#[test]
fn xml_documents_decode_like_json() {
    let list = xml(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc>\n\t<elem>\n\t\t<name>foo.org</name>\n\t\t<php/>\n\t\t<user used=\"1\" limit=\"10\"/>\n\t</elem>\n</doc>",
        Expect::List,
    )
    .unwrap()
    .into_rows()
    .unwrap();
    assert_eq!(list[0].get("name"), Some("foo.org"));
    assert_eq!(list[0].get("php"), Some(""));
    assert_eq!(list[0].attr("user", "used"), Some("1"));
    match xml(
        "<?xml version=\"1.0\"?><doc><auth id=\"sess1\"/></doc>",
        Expect::Any,
    )
    .unwrap()
    {
        Document::Auth(id) => assert_eq!(id.expose(), "sess1"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        xml("<doc><ok>restart</ok></doc>", Expect::Any).unwrap(),
        Document::OkRestart
    );
    let e = xml(
        "<doc><error type=\"missed\" object=\"webdomain\" lang=\"en\"><msg>Not found</msg></error></doc>",
        Expect::Any,
    )
    .unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
    // The guide's oldest error form: text only.
    match xml("<doc><error>error message.</error></doc>", Expect::Any).unwrap_err() {
        Error::Fault { code, message, .. } => {
            assert_eq!(code, "unknown");
            assert_eq!(message, "error message.");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn hostile_and_broken_bodies_are_unexpected_responses() {
    let cases: &[(&str, Format, &str)] = &[
        ("", Format::Json, "empty"),
        ("   \n", Format::Xml, "empty"),
        (
            "<!DOCTYPE html><html><body>502</body></html>",
            Format::Json,
            "HTML",
        ),
        ("<html><body>login</body></html>", Format::Xml, "HTML"),
        (
            r#"{"doc":{"elem":[{"name":{"$":"a"#,
            Format::Json,
            "truncated",
        ),
        ("[1,2]", Format::Json, "not an object"),
        (r#"{"nodoc":{}}"#, Format::Json, "no \"doc\""),
        ("<doc><elem><name>a</name>", Format::Xml, "truncated"),
        (
            "<?xml version=\"1.0\"?><!DOCTYPE doc [<!ENTITY x \"y\">]><doc>&x;</doc>",
            Format::Xml,
            "DOCTYPE",
        ),
        ("<notdoc/>", Format::Xml, "not <doc>"),
    ];
    for (body, format, reason) in cases {
        match decode(
            body.as_bytes(),
            *format,
            Expect::Any,
            Some(200),
            &DecodeLimits::default(),
        ) {
            Err(Error::UnexpectedResponse {
                reason: r, status, ..
            }) => {
                assert!(r.contains(reason), "{body:?}: {r}");
                assert_eq!(status, Some(200));
            }
            other => panic!("{body:?}: {other:?}"),
        }
    }
}

#[test]
fn nesting_is_bounded() {
    let deep_json = format!(
        "{{\"doc\":{}{}}}",
        "{\"a\":".repeat(100),
        "{}".to_owned() + &"}".repeat(100)
    );
    assert!(matches!(
        decode(
            deep_json.as_bytes(),
            Format::Json,
            Expect::Any,
            None,
            &DecodeLimits::default()
        ),
        Err(Error::UnexpectedResponse { .. })
    ));
    let deep_xml = format!("<doc>{}{}</doc>", "<a>".repeat(200), "</a>".repeat(200));
    assert!(matches!(
        decode(
            deep_xml.as_bytes(),
            Format::Xml,
            Expect::Any,
            None,
            &DecodeLimits::default()
        ),
        Err(Error::UnexpectedResponse { .. })
    ));
}
