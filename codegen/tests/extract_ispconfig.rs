//! The ISPConfig extractor on PHP fixtures we wrote (never the real sources):
//! odd formatting, comments and strings that look like code, defaults,
//! references, multi-line signatures, visibility, traits, the dispatcher's
//! load order and shadowing, module remote.d directories, bad input.
//!
//! The fixture's expectations were checked against PHP itself: a throwaway
//! script that loads the files like `remoting_handler_base.inc.php` and reads
//! them with Reflection agrees on every name, location and parameter (PHP
//! also lists `__toString`, a magic method the extractor leaves out).

use std::fs;
use std::path::{Path, PathBuf};

use codegen::extract::ispconfig::{extract, ExtractError, SourceMeta};
use codegen::model::{Inventory, Operation, Protocol, Shadowed};
use sha2::{Digest, Sha256};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ispconfig/checkout")
}

fn meta() -> SourceMeta {
    SourceMeta {
        upstream_version: "0.0-fixture".into(),
        ..SourceMeta::default()
    }
}

fn inventory() -> Inventory {
    extract(&fixture_root(), meta()).expect("fixture extracts")
}

fn op<'a>(inv: &'a Inventory, name: &str) -> &'a Operation {
    inv.operation(name)
        .unwrap_or_else(|| panic!("{name} missing"))
}

fn class(op: &Operation) -> &str {
    match &op.protocol {
        Protocol::Soap { class, .. } => class,
        other => panic!("not SOAP: {other:?}"),
    }
}

fn shadowed(op: &Operation) -> &[Shadowed] {
    match &op.protocol {
        Protocol::Soap { shadowed, .. } => shadowed,
        other => panic!("not SOAP: {other:?}"),
    }
}

/// `(name, default, required, by_ref, ty)` of one parameter.
type ParamFacts<'a> = (&'a str, Option<&'a str>, bool, bool, Option<&'a str>);

fn params(op: &Operation) -> Vec<ParamFacts<'_>> {
    op.params
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.default.as_deref(),
                p.required,
                p.by_ref,
                p.ty.as_deref(),
            )
        })
        .collect()
}

#[test]
fn finds_exactly_the_public_dispatched_methods() {
    let inv = inventory();
    let names: Vec<&str> = inv.operations.iter().map(|o| o.name.as_str()).collect();
    // Not here: private/protected methods, `__construct`/`__toString`, code
    // in comments, strings, heredocs and inline HTML, top-level functions,
    // undispatched classes, `remote.d/notes.php` (not `*.inc.php`), and the
    // hidden module `web/.trash`.
    assert_eq!(
        names,
        [
            "base_overridden",
            "billing_invoice_get",
            "billing_shared",
            "dns_a_add",
            "dns_rr_get_all_by_zone",
            "dns_templatezone_add",
            "dns_typed",
            "dns_zone_get_id",
            "get_function_list",
            "login",
            "logout",
            "mail_trait_get",
            "mail_user_get",
            "monitor_jobqueue_count",
            "server_get",
            "server_get_all",
            "server_get_serverid_by_ip",
            "shared_get",
            "sites_web_domain_update",
        ]
    );
}

#[test]
fn files_are_read_in_the_dispatchers_glob_order() {
    let inv = inventory();
    assert_eq!(
        inv.source.files,
        [
            "interface/lib/classes/remoting.inc.php",
            "interface/lib/classes/remote.d/dns.inc.php",
            "interface/lib/classes/remote.d/mail.inc.php",
            "interface/lib/classes/remote.d/monitor.inc.php",
            "interface/lib/classes/remote.d/server.inc.php",
            "interface/lib/classes/remote.d/sites.inc.php",
            // One glob over `web/*/.../*.inc.php`, sorted by whole path.
            "interface/web/billing-extra/lib/classes/remote.d/billing_extra.inc.php",
            "interface/web/billing/lib/classes/remote.d/billing.inc.php",
        ]
    );
}

#[test]
fn lines_groups_and_classes() {
    let inv = inventory();
    let cases = [
        // `public   function` with the brace on the next line.
        ("dns_a_add", "remote.d/dns.inc.php:4", "dns", "remoting_dns"),
        // No visibility keyword, signature over two lines.
        (
            "dns_zone_get_id",
            "remote.d/dns.inc.php:11",
            "dns",
            "remoting_dns",
        ),
        // `Public Function`, after a one-line doc comment.
        (
            "dns_rr_get_all_by_zone",
            "remote.d/dns.inc.php:32",
            "dns",
            "remoting_dns",
        ),
        // Returns by reference, after an attribute.
        (
            "mail_user_get",
            "remote.d/mail.inc.php:12",
            "mail",
            "remoting_mail",
        ),
        // From a trait: reflection names the using class.
        (
            "mail_trait_get",
            "remote.d/mail.inc.php:4",
            "mail",
            "remoting_mail",
        ),
        // Declared in mail.inc.php, dispatched when monitor.inc.php is globbed.
        (
            "monitor_jobqueue_count",
            "remote.d/mail.inc.php:21",
            "mail",
            "remoting_monitor",
        ),
        ("login", "remoting.inc.php:15", "remoting", "remoting"),
        (
            "get_function_list",
            "remoting.inc.php:58",
            "remoting",
            "remoting",
        ),
    ];
    for (name, location, group, class_name) in cases {
        let o = op(&inv, name);
        assert_eq!(
            o.source_location,
            format!("interface/lib/classes/{location}"),
            "{name}"
        );
        assert_eq!(o.group, group, "{name}");
        assert_eq!(class(o), class_name, "{name}");
    }
    let module = op(&inv, "billing_invoice_get");
    assert_eq!(
        module.source_location,
        "interface/web/billing/lib/classes/remote.d/billing.inc.php:3"
    );
    assert_eq!(module.group, "billing");
    assert_eq!(class(module), "remoting_billing");
}

#[test]
fn session_flag_follows_the_first_parameter() {
    let inv = inventory();
    let session = |name| match &op(&inv, name).protocol {
        Protocol::Soap { session, .. } => *session,
        other => panic!("not SOAP: {other:?}"),
    };
    assert!(session("dns_a_add"));
    assert!(!session("login"));
    assert!(!session("dns_typed"));
}

#[test]
fn defaults_as_written() {
    let inv = inventory();
    assert_eq!(
        params(op(&inv, "dns_templatezone_add")),
        [
            ("session_id", None, true, false, None),
            ("client_id", None, true, false, None),
            ("template_id", None, true, false, None),
            ("domain", None, true, false, None),
            ("ip", Some("''"), false, false, None),
            ("ns1", Some("\"ns1.example.com\""), false, false, None),
            ("out", Some("array()"), false, true, None),
            (
                "opts",
                Some("array('a' => 1, 'b' => [2, 3])"),
                false,
                false,
                None
            ),
        ]
    );
    assert_eq!(
        params(op(&inv, "dns_rr_get_all_by_zone")),
        [
            ("session_id", None, true, false, None),
            ("zone_id", Some("-1"), false, false, None),
            ("filter", Some("[]"), false, false, None),
            ("strict", Some("FALSE"), false, false, None),
            // The comment after the default is not part of it.
            ("limit", Some("10"), false, false, None),
            ("order", Some("\"name ASC\""), false, false, None),
        ]
    );
    assert_eq!(
        params(op(&inv, "server_get")),
        [
            ("session_id", None, true, false, None),
            ("server_id", Some("null"), false, false, None),
            ("section", Some("''"), false, false, None),
        ]
    );
    assert_eq!(
        params(op(&inv, "login"))[2],
        ("client_login", Some("false"), false, false, None)
    );
}

#[test]
fn types_variadics_and_attributes() {
    let inv = inventory();
    assert_eq!(
        params(op(&inv, "dns_typed")),
        [
            ("params", Some("null"), false, false, Some("?array")),
            // A variadic is never required.
            ("ids", None, false, false, Some("int")),
        ]
    );
    assert_eq!(
        params(op(&inv, "mail_trait_get"))[1],
        ("secret", Some("'x'"), false, false, Some("string"))
    );
}

#[test]
fn doc_comments_give_summary_and_return_type() {
    let inv = inventory();
    let s = op(&inv, "server_get");
    assert_eq!(s.summary.as_deref(), Some("Gets the server configuration."));
    assert_eq!(s.returns.as_deref(), Some("array"));
    let list = op(&inv, "get_function_list");
    assert_eq!(list.summary.as_deref(), Some("Get a list of functions"));
    assert_eq!(list.returns.as_deref(), Some("mixed"));
    assert_eq!(op(&inv, "logout").summary, None);
    // Over 100 characters: prose, not a summary.
    assert_eq!(op(&inv, "dns_rr_get_all_by_zone").summary, None);
    // The doc comment belongs to remoting::base_overridden, which lost.
    assert_eq!(op(&inv, "base_overridden").summary, None);
}

#[test]
fn inherited_base_method_wins_over_an_earlier_redeclaration() {
    let inv = inventory();
    let s = op(&inv, "server_get");
    assert_eq!(
        s.source_location,
        "interface/lib/classes/remoting.inc.php:38"
    );
    assert_eq!(class(s), "remoting");
    let lost = shadowed(s);
    assert_eq!(lost.len(), 1);
    assert_eq!(
        lost[0].source_location,
        "interface/lib/classes/remote.d/server.inc.php:4"
    );
    assert_eq!(lost[0].class, "remoting_server");
    assert_eq!(
        lost[0].reason,
        "remote.d classes loaded after remoting_server inherit remoting::server_get \
         and overwrite the dispatcher's entry"
    );
}

#[test]
fn later_class_wins_and_fixed_names_stay_with_the_base() {
    let inv = inventory();
    // Declared by dns and sites: sites is globbed later.
    let shared = op(&inv, "shared_get");
    assert_eq!(class(shared), "remoting_sites");
    assert_eq!(
        params(shared)[1],
        ("sites_only", Some("true"), false, false, None)
    );
    assert_eq!(
        shadowed(shared)
            .iter()
            .map(|s| s.source_location.as_str())
            .collect::<Vec<_>>(),
        ["interface/lib/classes/remote.d/dns.inc.php:36"]
    );
    // Overridden by the last module loaded: the override wins.
    let over = op(&inv, "base_overridden");
    assert_eq!(class(over), "remoting_billing");
    assert_eq!(shadowed(over)[0].class, "remoting");
    // billing-extra sorts before billing, so billing's declaration wins.
    let billing = op(&inv, "billing_shared");
    assert_eq!(class(billing), "remoting_billing");
    assert_eq!(shadowed(billing)[0].class, "remoting_billing_extra");
    // logout is mapped to remoting after everything else.
    let logout = op(&inv, "logout");
    assert_eq!(class(logout), "remoting");
    assert_eq!(
        shadowed(logout)[0].reason,
        "the dispatcher maps logout to remoting after loading every class"
    );
}

#[test]
fn installed_classes_dir_gives_the_same_inventory() {
    let from_checkout = inventory();
    let installed = extract(&fixture_root().join("interface/lib/classes"), meta()).unwrap();
    assert_eq!(installed, from_checkout);
}

#[test]
fn provenance_and_determinism() {
    let meta = SourceMeta {
        upstream_version: "0.0-fixture".into(),
        repository: Some("example/ispconfig".into()),
        tag: Some("0.0-fixture".into()),
        commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
    };
    let a = extract(&fixture_root(), meta.clone()).unwrap();
    let b = extract(&fixture_root(), meta).unwrap();
    assert_eq!(a.to_json(), b.to_json());
    assert_eq!(a.panel, "ispconfig");
    assert_eq!(a.format, codegen::model::FORMAT_VERSION);
    assert_eq!(a.source.root, "interface/lib/classes");
    assert_eq!(a.source.repository.as_deref(), Some("example/ispconfig"));
    assert_eq!(a.extractor.name, "ispconfig-php");
    insta::assert_snapshot!(a.to_json());
}

#[test]
fn sha256_covers_the_files_sorted_by_path() {
    let tmp = tempfile::tempdir().unwrap();
    let classes = tmp.path().join("remote.d");
    fs::create_dir_all(&classes).unwrap();
    let base = "<?php class remoting { function login($u, $p) {} }";
    let dns = "<?php class remoting_dns extends remoting {}";
    fs::write(tmp.path().join("remoting.inc.php"), base).unwrap();
    fs::write(classes.join("dns.inc.php"), dns).unwrap();
    let inv = extract(tmp.path(), meta()).unwrap();
    // "remote.d/..." sorts before "remoting.inc.php" ('e' < 'i').
    let mut input = Vec::new();
    for (rel, text) in [
        ("interface/lib/classes/remote.d/dns.inc.php", dns),
        ("interface/lib/classes/remoting.inc.php", base),
    ] {
        input.extend_from_slice(rel.as_bytes());
        input.push(0);
        input.extend_from_slice(text.as_bytes());
        input.push(0);
    }
    let expected: String = Sha256::digest(&input)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(inv.source.sha256, expected);
}

#[test]
fn bad_input_is_a_typed_error() {
    let missing = extract(Path::new("/nonexistent/panelkit"), meta()).unwrap_err();
    assert!(matches!(missing, ExtractError::Io(..)), "{missing}");

    let empty = tempfile::tempdir().unwrap();
    let not_ispconfig = extract(empty.path(), meta()).unwrap_err();
    assert!(
        matches!(not_ispconfig, ExtractError::NotIspconfig(_)),
        "{not_ispconfig}"
    );
    assert!(not_ispconfig.to_string().contains("no remoting.inc.php"));

    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("remote.d")).unwrap();
    for (body, expected) in [
        ("<?php /* never closed", "line 1: unterminated comment"),
        (
            "<?php class remoting {\n function f($a = 'x) {} }",
            "line 2: unterminated string",
        ),
        (
            "<?php class remoting { function f() { $x = <<<EOT\nnever closed\n",
            "unterminated heredoc",
        ),
        ("<?php class remoting { public function f($a", "not closed"),
        (
            "<?php class remoting { public function ($a) {} }",
            "without a name",
        ),
        ("<?php class other {}", "no class remoting"),
    ] {
        fs::write(dir.path().join("remoting.inc.php"), body).unwrap();
        let err = extract(dir.path(), meta()).unwrap_err();
        assert!(err.to_string().contains(expected), "{body}: {err}");
        assert!(err
            .to_string()
            .starts_with("interface/lib/classes/remoting.inc.php"));
    }

    // A broken remote.d file names itself.
    fs::write(
        dir.path().join("remoting.inc.php"),
        "<?php class remoting {}",
    )
    .unwrap();
    fs::write(dir.path().join("remote.d/dns.inc.php"), "<?php \"open").unwrap();
    let err = extract(dir.path(), meta()).unwrap_err();
    assert!(matches!(err, ExtractError::Scan(..)));
    assert_eq!(
        err.to_string(),
        "interface/lib/classes/remote.d/dns.inc.php: line 1: unterminated string"
    );
}

#[test]
fn a_directory_named_like_a_class_file_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("remote.d/odd.inc.php")).unwrap();
    fs::write(
        dir.path().join("remoting.inc.php"),
        "<?php class remoting { function logout($session_id) {} }",
    )
    .unwrap();
    let inv = extract(dir.path(), meta()).unwrap();
    assert_eq!(inv.source.files, ["interface/lib/classes/remoting.inc.php"]);
    assert_eq!(inv.operations.len(), 1);
}

#[cfg(unix)]
#[test]
fn unreadable_remote_dir_is_an_io_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let remote = dir.path().join("remote.d");
    fs::create_dir_all(&remote).unwrap();
    fs::write(
        dir.path().join("remoting.inc.php"),
        "<?php class remoting {}",
    )
    .unwrap();
    fs::set_permissions(&remote, fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything; the check only means something for other users.
    let readable_anyway = fs::read_dir(&remote).is_ok();
    let result = extract(dir.path(), meta());
    fs::set_permissions(&remote, fs::Permissions::from_mode(0o755)).unwrap();
    if !readable_anyway {
        assert!(matches!(result, Err(ExtractError::Io(..))));
    }
}

#[test]
fn truncated_fixtures_never_panic_the_scanner() {
    // Every prefix of every fixture file: cut strings, comments, heredocs,
    // signatures and bodies all end as `Ok` or a `ScanError`.
    let mut files = Vec::new();
    let mut dirs = vec![fixture_root()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "php") {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 8);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (cut, _) in text.char_indices() {
            let _ = codegen::extract::php::scan(&text[..cut]);
        }
    }
}
