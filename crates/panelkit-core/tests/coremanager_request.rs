//! Requests: log lines → calls, form encoding, redaction.

use panelkit_core::coremanager::Request;

/// The vendor guide's own example line.
const GUIDE_LINE: &str = "Feb  6 08:08:07 [2346:23826] core_module INFO Request [188.120.252.33][root] 'clicked_button=ok&email_inaccess=&func=domain.edit&ip=8.8.8.8&ip_existing=&maildomain=off&name=domain.name&ns=ns1.example.com.%20ns2.example.com.&operafake=1486357687433&owner=www%2Droot&owner_admins=off&progressid=false&reversezone=&sfrom=ajax&sok=ok&web_inaccess=&webdomain=off&zoom-ip=&zoom-ns='";

#[test]
fn the_guides_log_line() {
    let r = Request::from_log_line(GUIDE_LINE).unwrap();
    assert_eq!(r.func(), "domain.edit");
    assert_eq!(
        r.to_query(),
        "func=domain.edit&ip=8.8.8.8&maildomain=off&name=domain.name&ns=ns1.example.com.+ns2.example.com.&owner=www-root&owner_admins=off&sok=ok&webdomain=off"
    );
}

#[test]
fn odd_lines() {
    // params equal to *, func not first, plus-encoded spaces, a value with '='
    let r = Request::from_log_line(
        "Nov 1 10:00:00 [1:2] core_module INFO Request [2001:db8::1][admin@example.com] 'elid=a.example%2C%20b.example&filter=*&func=webdomain.delete&note=x=y&q=a+b&sfrom=ajax'",
    )
    .unwrap();
    assert_eq!(r.func(), "webdomain.delete");
    assert_eq!(r.get("elid").unwrap().expose(), "a.example, b.example");
    assert!(r.get("filter").is_none());
    assert_eq!(r.get("note").unwrap().expose(), "x=y");
    assert_eq!(r.get("q").unwrap().expose(), "a b");
    // a quote inside the query: the last quote closes it
    let r = Request::from_log_line("INFO Request [ip][u] 'func=x&name=it's'").unwrap();
    assert_eq!(r.get("name").unwrap().expose(), "it's");
    // broken escapes are kept as written
    let r = Request::from_log_line("INFO Request [ip][u] 'func=x&v=100%&w=%zz'").unwrap();
    assert_eq!(r.get("v").unwrap().expose(), "100%");
    assert_eq!(r.get("w").unwrap().expose(), "%zz");
}

#[test]
fn lines_that_are_not_requests() {
    for line in [
        "",
        "INFO Something else",
        "INFO Request [ip][user] no quotes",
        "INFO Request [ip][user] 'sok=ok&name=x'",
        "INFO Request [ip][user] 'func=",
    ] {
        assert!(Request::from_log_line(line).is_err(), "{line:?}");
    }
}

#[test]
fn secrets_are_redacted_in_debug() {
    let r = Request::from_log_line(
        "INFO Request [ip][root] 'func=user.edit&name=bob&passwd=hunter2&confirm=hunter2&db_password=pw9'",
    )
    .unwrap();
    let shown = format!("{r:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("pw9"),
        "{shown}"
    );
    assert!(shown.contains("bob"));
    // the query is the one place that shows them
    assert!(r.to_query().contains("passwd=hunter2"));
}

#[test]
fn group_operations_join_elids() {
    let r = Request::new("webdomain.delete").elids(["a.example", "b.example"]);
    assert_eq!(
        r.to_query(),
        "func=webdomain.delete&elid=a.example%2C+b.example"
    );
}

#[test]
fn reserved_parameters_are_refused() {
    assert!(Request::new("x").param("out", "xml").validate().is_err());
    assert!(Request::new("x")
        .param("authinfo", "a:b")
        .validate()
        .is_err());
    assert!(Request::new("").validate().is_err());
    assert!(Request::new("x").param("su", "bob").validate().is_ok());
}
