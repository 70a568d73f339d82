//! `panelctl ispmanager …`: COREmanager-family calls over HTTPS or the local
//! `mgrctl`, and requests rebuilt from panel log lines.

use panelkit::ispmanager::Client;
use panelkit_core::coremanager::{Document, Expect, Mgrctl, Request, Row};
use serde_json::{json, Map, Value};

use crate::cli::{Global, Ispmanager, IspmanagerArgs};
use crate::exit::Failure;
use crate::settings;

/// Runs an `ispmanager` subcommand; the result is printed by the caller.
pub async fn run(global: &Global, args: &IspmanagerArgs) -> Result<Value, Failure> {
    if let Ispmanager::FromLog { line, run: false } = &args.command {
        // Printing needs no panel: the query is the answer.
        let request = Request::from_log_line(line)?;
        return Ok(json!(request.to_query()));
    }
    let audited = client(global, args)?;
    // The verbs other than doctor are raw calls by function name, which is
    // what they are for: the runtime's session client underneath.
    let client = audited.generated().core();
    let document = match &args.command {
        Ispmanager::Doctor => {
            return crate::exit::doctor(panelkit::doctor::ispmanager(&audited).await)
        }
        Ispmanager::Call { func, params } => {
            client
                .execute(with(Request::new(func), params)?, Expect::Any)
                .await?
        }
        Ispmanager::List { func, params } => {
            Document::List(client.list(with(Request::new(func), params)?).await?)
        }
        Ispmanager::Form { func, elid, params } => {
            let mut request = with(Request::new(func), params)?;
            if let Some(elid) = elid {
                request = request.elid(elid.clone());
            }
            Document::Form(client.form(request).await?)
        }
        Ispmanager::FromLog { line, .. } => {
            client
                .execute(Request::from_log_line(line)?, Expect::Any)
                .await?
        }
    };
    Ok(show(document))
}

fn client(global: &Global, args: &IspmanagerArgs) -> Result<Client, Failure> {
    let mut builder = Client::builder();
    if args.local {
        let mut mgrctl = Mgrctl::new(args.manager.clone());
        if let Some(program) = &args.mgrctl {
            mgrctl = mgrctl.program(program);
        }
        builder = builder.mgrctl(mgrctl);
    } else {
        let mut resolved = settings::resolve(global, "ispmanager")?;
        let url = resolved.require_url("ispmanager")?.to_owned();
        let user = resolved.require_user("ispmanager")?.to_owned();
        let password = resolved.require_password("ispmanager")?;
        builder = builder
            .url(url)
            .session(user, password)
            .danger_accept_invalid_certs(resolved.insecure);
        if let Some(ca) = &resolved.ca_file {
            builder = builder.ca_file(ca);
        }
    }
    if let Some(su) = &args.su {
        builder = builder.su(su.clone());
    }
    if let Some(lang) = &args.lang {
        builder = builder.lang(lang.clone());
    }
    Ok(builder.build()?)
}

/// Adds `name=value` parameters.
fn with(mut request: Request, params: &[String]) -> Result<Request, Failure> {
    for param in params {
        let (name, value) = param
            .split_once('=')
            .ok_or_else(|| Failure::config(format!("parameter {param:?}: expected name=value")))?;
        request.set(name, value);
    }
    Ok(request)
}

/// A row as a JSON object: text values, repeated fields as arrays.
fn row(row: &Row) -> Value {
    let mut object = Map::new();
    for name in row.names() {
        let values: Vec<&str> = row.all(name).iter().map(|f| f.text.as_str()).collect();
        let value = match values.as_slice() {
            [one] => json!(one),
            many => json!(many),
        };
        object.insert(name.to_owned(), value);
    }
    Value::Object(object)
}

/// A document as JSON: rows, a form's fields, or the action's outcome.
fn show(document: Document) -> Value {
    match document {
        Document::List(rows) => Value::Array(rows.iter().map(row).collect()),
        Document::Form(form) => row(&form.fields),
        Document::Ok => json!({"ok": true}),
        Document::OkRestart => json!({"ok": true, "restart_needed": true}),
        Document::Redirect(to) => json!({"ok": true, "redirect": to}),
        // A session id is never shown.
        Document::Auth(_) => json!({"ok": true, "authenticated": true}),
    }
}
