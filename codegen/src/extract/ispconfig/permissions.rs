//! The remote users' function groups: `interface/web/*/lib/remote.conf.php`.
//!
//! A remote user (System → Remote Users) is allowed whole groups, each a
//! line `$function_list['f1,f2,...'] = 'Label';` of a module's
//! `remote.conf.php`; the panel stores the ticked keys and `checkPerm()`
//! looks the called function up in them. Knowing the group of a method lets
//! a client say which tick a remote user lacks instead of a bare
//! `permission_denied`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::files::glob_entries;
use super::ExtractError;

/// One module's `remote.conf.php`, read.
pub(super) struct ConfFile {
    /// Path relative to the checkout root.
    pub(super) rel: String,
    /// The file's bytes (an input of the inventory's sha256).
    pub(super) bytes: Vec<u8>,
}

/// For each function, the labels of the groups listing it.
pub(super) type GroupsOf = BTreeMap<String, Vec<String>>;

/// Every module's `remote.conf.php` under `web_dir`, in glob order, and for
/// each function they list the labels of the groups listing it (several
/// groups may list one function; `checkPerm()` allows it for any of them).
pub(super) fn read(web_dir: &Path) -> Result<(Vec<ConfFile>, GroupsOf), ExtractError> {
    let mut files = Vec::new();
    let mut groups = BTreeMap::new();
    for (module_dir, module) in glob_entries(web_dir)? {
        let abs = module_dir.join("lib/remote.conf.php");
        if !abs.is_file() {
            continue;
        }
        let bytes = fs::read(&abs).map_err(|e| ExtractError::Io(abs.clone(), e))?;
        for (functions, label) in function_list(&String::from_utf8_lossy(&bytes)) {
            for function in functions
                .split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
            {
                let listing: &mut Vec<String> = groups.entry(function.to_owned()).or_default();
                if !listing.contains(&label) {
                    listing.push(label.clone());
                }
            }
        }
        files.push(ConfFile {
            rel: format!("interface/web/{module}/lib/remote.conf.php"),
            bytes,
        });
    }
    Ok((files, groups))
}

/// The function names a method body passes to `checkPerm()` as a literal,
/// in order, each once (`$this->checkPerm($session_id, 'client_get_id')`).
pub(super) fn checked(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find("checkPerm(") {
        rest = &rest[at + "checkPerm(".len()..];
        let Some(comma) = rest.find([',', ')']) else {
            break;
        };
        if !rest[comma..].starts_with(',') {
            continue;
        }
        let after = rest[comma + 1..].trim_start();
        let literal = quoted(after).or_else(|| double_quoted(after));
        if let Some((name, tail)) = literal {
            if !out.contains(&name) {
                out.push(name);
            }
            rest = tail;
        }
    }
    out
}

/// The methods a body calls on `$this` (`$this->client_get(`), in order,
/// each once.
pub(super) fn this_calls(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in body.split("$this->").skip(1) {
        let name: String = piece
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let called = piece[name.len()..].trim_start().starts_with('(');
        if called && !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// A double-quoted literal without escapes or interpolation.
fn double_quoted(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('"')?;
    let end = body.find('"')?;
    let value = &body[..end];
    (!value.contains(['\\', '$'])).then(|| (value.to_owned(), &body[end + 1..]))
}

/// The `($function_list key, label)` pairs of one file, in file order.
/// Upstream writes each as one statement with single-quoted literals.
fn function_list(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("$function_list[") {
        rest = &rest[at + "$function_list[".len()..];
        let Some((key, after_key)) = quoted(rest.trim_start()) else {
            continue;
        };
        let after_key = after_key.trim_start();
        let Some(after_bracket) = after_key.strip_prefix(']') else {
            continue;
        };
        let Some(after_eq) = after_bracket.trim_start().strip_prefix('=') else {
            continue;
        };
        let Some((label, after_label)) = quoted(after_eq.trim_start()) else {
            continue;
        };
        out.push((key, label));
        rest = after_label;
    }
    out
}

/// A single-quoted PHP literal at the start of `text` (`\'` and `\\`
/// unescaped) and what follows it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('\'')?;
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, e @ ('\'' | '\\'))) => value.push(e),
                Some((_, e)) => {
                    value.push('\\');
                    value.push(e);
                }
                None => return None,
            },
            '\'' => return Some((value, &body[i + 1..])),
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_and_labels_in_order() {
        let text = "<?php\n$function_list['client_get,client_add'] = 'Client functions';\n\
                    $function_list[ 'dns_a_get' ]='DNS a functions';\n// $function_list[broken\n\
                    $function_list['x\\'y'] = 'Quote \\\\ test';\n";
        assert_eq!(
            function_list(text),
            [
                (
                    "client_get,client_add".to_owned(),
                    "Client functions".to_owned()
                ),
                ("dns_a_get".to_owned(), "DNS a functions".to_owned()),
                ("x'y".to_owned(), "Quote \\ test".to_owned()),
            ]
        );
    }

    #[test]
    fn checked_names_come_from_check_perm_calls() {
        let body = "{ if(!$this->checkPerm($session_id, 'client_get_id')) { throw x; }\n\
                    $this->checkPerm( $session_id , \"client_get\" ); checkPerm($x);\n\
                    $this->checkPerm($session_id, 'client_get_id'); }";
        assert_eq!(checked(body), ["client_get_id", "client_get"]);
        assert!(checked("checkPerm($session_id, $name)").is_empty());
    }

    #[test]
    fn calls_on_this_are_listed_once() {
        let body = "{ $x = $this->client_get ($s, 1); $this->app; $this->client_get($s, 2); \
                    $this->checkPerm($s, 'a'); }";
        assert_eq!(this_calls(body), ["client_get", "checkPerm"]);
    }

    #[test]
    fn unterminated_literals_are_skipped_without_panic() {
        assert!(function_list("$function_list['abc").is_empty());
        assert!(function_list("$function_list['a'] = 'b").is_empty());
        assert!(function_list("$function_list[").is_empty());
    }
}
