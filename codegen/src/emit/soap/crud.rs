//! CRUD descriptors: for every complete set of `<prefix>_get/_add/_update/
//! _delete` methods that the inventory links to one form, a marker type in
//! the generated `crud` module implementing `FormCrud` — the set's facts as
//! constants (method names, form, table, key column, the `type` its rows
//! carry in a shared table, whether it takes `update_serial`) and its four
//! calls as typed functions that call the generated methods.
//!
//! A helper written over `FormCrud` therefore calls generated methods, not
//! names: a method renamed or removed upstream removes or renames the
//! generated method, and the descriptor calling it stops compiling.
//!
//! Which argument is the record's id and which its owner is read from the
//! parameter names: the id is the parameter named after the form's key
//! column or `primary_id` (or the only one, for get and delete), the owner
//! the other (`client_id`, or `reseller_id` for `client_update`, whose
//! `client_id` is the record's key).

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::records::RecordNames;
use super::{caller_params, feature_name, ident, optional_tail, BASE_GROUP};
use crate::emit::EmitError;
use crate::model::{FieldDefault, FormAccess, Inventory, Operation, Param, Protocol};

/// The parameter that asks a DNS method to bump the zone's serial.
const UPDATE_SERIAL: &str = "update_serial";

/// One complete method set over one form.
struct Set<'a> {
    prefix: String,
    form: &'a str,
    get: &'a Operation,
    add: &'a Operation,
    update: &'a Operation,
    delete: &'a Operation,
}

/// Every complete set, by prefix: each of the four methods links to the same
/// form with the matching access (`read`, `insert`, `update`, `delete`).
fn sets(inventory: &Inventory) -> BTreeMap<String, Set<'_>> {
    let mut by_name: BTreeMap<&str, (&str, &Operation)> = BTreeMap::new();
    for op in &inventory.operations {
        if let Protocol::Soap {
            form: Some(link), ..
        } = &op.protocol
        {
            by_name.insert(op.name.as_str(), (link.form.as_str(), op));
        }
    }
    let linked = |name: &str, access: FormAccess| -> Option<(&str, &Operation)> {
        let (form, op) = by_name.get(name)?;
        let Protocol::Soap {
            form: Some(link), ..
        } = &op.protocol
        else {
            return None;
        };
        link.access.contains(&access).then_some((*form, *op))
    };
    let mut out = BTreeMap::new();
    for name in by_name.keys() {
        let Some(prefix) = name.strip_suffix("_get") else {
            continue;
        };
        let parts = (
            linked(&format!("{prefix}_get"), FormAccess::Read),
            linked(&format!("{prefix}_add"), FormAccess::Insert),
            linked(&format!("{prefix}_update"), FormAccess::Update),
            linked(&format!("{prefix}_delete"), FormAccess::Delete),
        );
        let (Some((form, get)), Some((f2, add)), Some((f3, update)), Some((f4, delete))) = parts
        else {
            continue;
        };
        if form != f2 || form != f3 || form != f4 {
            continue;
        }
        out.insert(
            prefix.to_owned(),
            Set {
                prefix: prefix.to_owned(),
                form,
                get,
                add,
                update,
                delete,
            },
        );
    }
    out
}

/// The `type` a form's rows carry in a table other linked forms share: the
/// literal default of its free-text `type` field (`dns_a.tform.php` → `A`).
/// `None` where the form lets the user pick the type or has none.
fn kind(inventory: &Inventory, form: &str) -> Option<String> {
    let f = inventory.forms.get(form)?;
    let shared = inventory
        .forms
        .iter()
        .any(|(path, other)| path != form && other.db_table == f.db_table);
    let field = f.fields.get("type")?;
    if !shared || field.formtype.as_deref() != Some("TEXT") {
        return None;
    }
    match &field.default {
        Some(FieldDefault::Literal(serde_json::Value::String(s))) if !s.is_empty() => {
            Some(s.clone())
        }
        _ => None,
    }
}

/// The required parameters of `op` other than `params`: its id and owner.
fn ids(op: &Operation) -> Vec<&Param> {
    let params = caller_params(op);
    let optional = optional_tail(params);
    params[..params.len() - optional.len()]
        .iter()
        .filter(|p| p.name != "params")
        .collect()
}

/// The call of `op` with the typed call's arguments: each parameter by its
/// role (`id_param` the id, `params`, any other required one the owner),
/// `update_serial` from the flag, other optional ones left to the upstream
/// default.
fn call(op: &Operation, id_param: Option<&str>, id: TokenStream) -> TokenStream {
    let params = caller_params(op);
    let optional = optional_tail(params);
    let method = ident(&op.name);
    let mut args = Vec::new();
    for (i, p) in params.iter().enumerate() {
        let is_optional = i >= params.len() - optional.len();
        let arg = match p.name.as_str() {
            "params" => quote! { params },
            UPDATE_SERIAL if is_optional => quote! { serial(update_serial) },
            _ if is_optional => quote! { None },
            name if Some(name) == id_param => id.clone(),
            _ => quote! { Value::Int(owner) },
        };
        args.push(arg);
    }
    quote! { client.#method(#(#args),*) }
}

/// Which required parameter of `op` is the record's id: the one named after
/// the key column or `primary_id`; for get and delete the only one.
fn id_param<'a>(op: &'a Operation, key: &str, only: bool) -> Result<&'a str, EmitError> {
    let ids = ids(op);
    if only {
        if let [one] = ids.as_slice() {
            return Ok(one.name.as_str());
        }
    }
    ids.iter()
        .find(|p| p.name == key)
        .or_else(|| ids.iter().find(|p| p.name == "primary_id"))
        .or_else(|| match ids.as_slice() {
            // `(client_id, cron_id, params)`: the owner first, the id second.
            [owner, id] if owner.name == "client_id" => Some(id),
            _ => None,
        })
        .map(|p| p.name.as_str())
        .ok_or_else(|| {
            EmitError(format!(
                "{}: cannot tell the record's id among its parameters",
                op.name
            ))
        })
}

/// The `crud` module: the trait and one descriptor per complete set.
pub(super) fn module(inventory: &Inventory, names: &RecordNames) -> Result<TokenStream, EmitError> {
    let mut items = Vec::new();
    for set in sets(inventory).values() {
        let Some(record) = names.get(set.form) else {
            continue;
        };
        let form = &inventory.forms[set.form];
        let key = form.db_table_idx.as_str();
        // Each required parameter must be the id, the owner or `params`.
        let ok = [set.get, set.add, set.update, set.delete]
            .iter()
            .all(|op| ids(op).len() <= 2);
        if !ok {
            continue;
        }
        let get_id = id_param(set.get, key, true)?;
        let delete_id = id_param(set.delete, key, true)?;
        let update_id = id_param(set.update, key, false)?;
        let get = call(set.get, Some(get_id), quote! { id });
        // An add has no id: its one argument besides `params` is the owner.
        let add = call(set.add, None, TokenStream::new());
        let update = call(set.update, Some(update_id), quote! { Value::Int(id) });
        let delete = call(set.delete, Some(delete_id), quote! { Value::Int(id) });
        let serial = [set.add, set.update, set.delete]
            .iter()
            .any(|op| caller_params(op).iter().any(|p| p.name == UPDATE_SERIAL));
        let group = set.get.group.as_str();
        let cfg = (group != BASE_GROUP).then(|| {
            let feature = feature_name(group);
            quote! { #[cfg(feature = #feature)] }
        });
        let ty = Ident::new(&set.prefix.to_upper_camel_case(), Span::call_site());
        let record_ty = Ident::new(record, Span::call_site());
        let kind = match kind(inventory, set.form) {
            Some(k) => quote! { Some(#k) },
            None => quote! { None },
        };
        let doc = format!(
            " `{p}_get/_add/_update/_delete` over the form `{f}` (table `{t}`, key `{key}`): \
             records [`{record}`](crate::records::{record}).",
            p = set.prefix,
            f = set.form,
            t = form.db_table,
        );
        let (form_path, table) = (set.form, form.db_table.as_str());
        let (gn, an, un, dn) = (
            &set.get.name,
            &set.add.name,
            &set.update.name,
            &set.delete.name,
        );
        // Arguments a method does not take are named `_` in its impl.
        let used = |call: &TokenStream, name: &str| -> Ident {
            if call.to_string().contains(name) {
                Ident::new(name, Span::call_site())
            } else {
                Ident::new(&format!("_{name}"), Span::call_site())
            }
        };
        let add_serial = used(&add, "update_serial");
        let update_serial = used(&update, "update_serial");
        let delete_serial = used(&delete, "update_serial");
        let update_owner = used(&update, "owner");
        items.push(quote! {
            #[doc = #doc]
            #cfg
            #[derive(Clone, Copy, Debug)]
            pub struct #ty;

            #cfg
            impl FormCrud for #ty {
                type Record = crate::records::#record_ty;
                const FORM: &'static str = #form_path;
                const TABLE: &'static str = #table;
                const ID_COLUMN: &'static str = #key;
                const KIND: Option<&'static str> = #kind;
                const GET: &'static str = #gn;
                const ADD: &'static str = #an;
                const UPDATE: &'static str = #un;
                const DELETE: &'static str = #dn;
                const UPDATE_SERIAL: bool = #serial;

                fn get(client: &crate::Client, id: Value) -> impl Future<Output = Result<Value>> + Send + '_ {
                    #get
                }
                fn add(client: &crate::Client, owner: i64, params: Value, #add_serial: bool) -> impl Future<Output = Result<Value>> + Send + '_ {
                    #add
                }
                fn update(client: &crate::Client, #update_owner: i64, id: i64, params: Value, #update_serial: bool) -> impl Future<Output = Result<Value>> + Send + '_ {
                    #update
                }
                fn delete(client: &crate::Client, id: i64, #delete_serial: bool) -> impl Future<Output = Result<Value>> + Send + '_ {
                    #delete
                }
            }
        });
    }
    Ok(quote! {
        use std::future::Future;

        use panelkit_core::ispconfig::fields::FormRecord;

        // The generated client is named in full: `crud::Client` is the
        // descriptor of the `client_*` methods.
        use crate::{Result, Value};

        /// A form's four remote operations, as data and as typed calls of the
        /// generated methods.
        pub trait FormCrud {
            /// The form's typed record.
            type Record: FormRecord;
            /// The form (`interface/web/dns/form/dns_a.tform.php`).
            const FORM: &'static str;
            /// The table the form writes.
            const TABLE: &'static str;
            /// The table's primary key column.
            const ID_COLUMN: &'static str;
            /// The `type` the form's rows carry in a table other forms share
            /// (`A` in `dns_rr`), when the form fixes it.
            const KIND: Option<&'static str>;
            /// The read method (`*_get(id | -1 | filter)`).
            const GET: &'static str;
            /// The insert method.
            const ADD: &'static str;
            /// The update method.
            const UPDATE: &'static str;
            /// The delete method.
            const DELETE: &'static str;
            /// Whether add, update and delete take `update_serial`.
            const UPDATE_SERIAL: bool;

            /// Calls the read method with `id` (an id, `-1` for all, or a filter).
            fn get(client: &crate::Client, id: Value) -> impl Future<Output = Result<Value>> + Send + '_;
            /// Calls the insert method: `params` owned by client `owner`.
            fn add(client: &crate::Client, owner: i64, params: Value, update_serial: bool) -> impl Future<Output = Result<Value>> + Send + '_;
            /// Calls the update method: record `id` gets `params`, owned by
            /// client `owner` (0 keeps the stored owner).
            fn update(client: &crate::Client, owner: i64, id: i64, params: Value, update_serial: bool) -> impl Future<Output = Result<Value>> + Send + '_;
            /// Calls the delete method.
            fn delete(client: &crate::Client, id: i64, update_serial: bool) -> impl Future<Output = Result<Value>> + Send + '_;
        }

        /// `update_serial` as sent: `true`, or left to the upstream default
        /// (`false`) — ignored by methods without it.
        #[allow(dead_code)]
        fn serial(update_serial: bool) -> Option<Value> {
            update_serial.then_some(Value::Bool(true))
        }

        #(#items)*
    })
}

/// The module's doc.
pub(super) const DOC: &str =
    "CRUD descriptors: every complete `*_get/_add/_update/_delete` method set\n\
over one form, as data (method names, key column, shared-table `type`) and as typed calls\n\
of the generated methods ([`FormCrud`]). Code written over `FormCrud` names no method:\n\
a method renamed or removed upstream is a compile error here, a changed form a changed\n\
descriptor.";
