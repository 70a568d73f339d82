//! Servers: the list as a paged stream, one server by id, and lookups by
//! name, domain or IP address.
//!
//! The answers are read leniently (every field but `id` optional, unknown
//! fields kept in [`Server::other`]) because the documentation shows the
//! shape without promising every field on every install.

use std::collections::BTreeMap;

use panelkit_core::dcimanager::{self, OrderBy, Service, Where};
use panelkit_core::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{pages, Client};
use crate::paging::Pages;

/// The operation a server is going through (`operation` on a server).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// Its id (an integer in the documentation; kept as sent).
    #[serde(default)]
    pub id: Option<Value>,
    /// Its status as the panel spells it.
    #[serde(default)]
    pub status: Option<String>,
    /// Details about the status (an object in the documentation).
    #[serde(default)]
    pub status_info: Option<Value>,
    /// Progress steps.
    #[serde(default)]
    pub progress_info: Option<Value>,
}

impl Operation {
    /// The id as text, for errors and progress lines.
    pub fn id_text(&self) -> Option<String> {
        match &self.id {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        }
    }

    /// `status_info` as one line: a string as it is, a `msg`/`message`
    /// field of an object, else the compact JSON; empty when absent.
    pub fn status_text(&self) -> String {
        match &self.status_info {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Object(map)) if map.is_empty() => String::new(),
            Some(Value::Object(map)) => ["msg", "message", "error"]
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_str))
                .map_or_else(|| Value::Object(map.clone()).to_string(), str::to_owned),
            Some(other) => other.to_string(),
        }
    }
}

/// A server as `GET /server` rows and `GET /server/{id}` show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Server {
    /// Its id.
    pub id: i64,
    /// Its domain name.
    #[serde(default)]
    pub domain: Option<String>,
    /// Its configuration.
    #[serde(default)]
    pub configuration: Option<String>,
    /// Its state (`active`, `suspending`, ...).
    #[serde(default)]
    pub state: Option<String>,
    /// Details about the state.
    #[serde(default)]
    pub state_info: Option<Value>,
    /// Power: `on`, `off` or `unknown` (any case).
    #[serde(default)]
    pub power_status: Option<String>,
    /// The owner's email; `None` for a free server.
    #[serde(default)]
    pub owner_email: Option<String>,
    /// The operation in progress (or the last one), when any.
    #[serde(default)]
    pub operation: Option<Operation>,
    /// Its IP addresses (objects with `name`, `family`, ...).
    #[serde(default)]
    pub ip: Vec<Value>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl Server {
    /// Reads a server from the panel's JSON; a wrong shape is an
    /// [`Error::UnexpectedResponse`] naming `operation`.
    pub fn from_value(operation: &str, value: Value) -> Result<Server> {
        let excerpt = value.to_string();
        serde_json::from_value(value).map_err(|e| {
            Error::unexpected(
                Some(200),
                format!("{operation}: not a server ({e})"),
                excerpt.as_bytes(),
            )
        })
    }

    /// The addresses in `ip` (their `name` fields).
    pub fn addresses(&self) -> impl Iterator<Item = &str> {
        self.ip
            .iter()
            .filter_map(|ip| ip.get("name").and_then(Value::as_str))
    }

    /// Whether `power_status` is `wanted` (case-insensitive).
    pub fn power_is(&self, wanted: &str) -> bool {
        self.power_status
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case(wanted))
    }
}

/// What to look a server up by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerKey {
    /// The server's name: a `where=name EQ '…'` filter, the field public
    /// clients filter the list on.
    Name(String),
    /// The domain name, compared exactly.
    Domain(String),
    /// One of its IP addresses, compared exactly.
    Ip(String),
}

impl ServerKey {
    /// The `where=` filter the panel applies, when one is documented.
    fn filter(&self) -> Option<Where> {
        match self {
            ServerKey::Name(name) => Some(Where::eq("name", name.as_str())),
            ServerKey::Domain(_) | ServerKey::Ip(_) => None,
        }
    }

    /// Whether `server` matches exactly (after the panel's filter, if any):
    /// a domain case-insensitively and without a trailing dot, an address
    /// as written.
    fn matches(&self, server: &Server) -> bool {
        match self {
            ServerKey::Name(_) => true,
            ServerKey::Domain(domain) => {
                let wanted = domain.trim_end_matches('.');
                server
                    .domain
                    .as_deref()
                    .is_some_and(|d| d.trim_end_matches('.').eq_ignore_ascii_case(wanted))
            }
            ServerKey::Ip(ip) => server.addresses().any(|a| a == ip),
        }
    }
}

/// Where a server listing starts from: a filter, an order, and how many
/// servers each request asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListOptions {
    /// Only servers matching this (`where=`); a value the syntax cannot
    /// carry is the stream's first item, an [`Error::Config`].
    pub filter: Option<Where>,
    /// In this order (`orderby=`); the panel's own order when `None`.
    pub order: Option<OrderBy>,
    /// Servers per request (at least 1; default
    /// [`DEFAULT_PAGE_SIZE`](panelkit_core::dcimanager::list::DEFAULT_PAGE_SIZE)).
    pub page_size: Option<u32>,
}

/// The server helpers of a [`Client`] (`client.servers()`): listing and
/// looking servers up here, power commands in [`super::power`].
#[derive(Clone, Copy, Debug)]
pub struct Servers<'a> {
    pub(super) client: &'a Client,
}

impl<'a> Servers<'a> {
    /// Every server, page by page (the list operation `server_list`,
    /// `GET /api/dci/v3/server` with `limit=offset,count`).
    pub fn all(&self) -> Pages<'a, Server> {
        self.all_with(ListOptions::default())
    }

    /// Every server matching `options.filter`, in `options.order`, page by
    /// page (`server_list` as in [`Servers::all`]).
    pub fn all_with(&self, options: ListOptions) -> Pages<'a, Server> {
        let query = dcimanager::list(Service::Dci, "/server").map(|mut query| {
            if let Some(filter) = options.filter {
                query = query.filter(filter);
            }
            if let Some(order) = options.order {
                query = query.order(order);
            }
            query
        });
        pages(self.client.rest(), query, options.page_size)
    }

    /// One server (generated `server_get`); an unknown id is the panel's
    /// [`Error::NotFound`].
    pub async fn get(&self, id: i64) -> Result<Server> {
        let value = self.client.generated().server_get(id).await?;
        Server::from_value("server_get", value)
    }

    /// The servers matching `key` exactly. By name the panel filters
    /// (`where=`; a value with a single quote is refused with
    /// [`Error::Config`], as the syntax has no documented escape). No
    /// documented filter covers domains or addresses, so those read the
    /// whole list and compare each server exactly, never as a pattern.
    pub async fn find(&self, key: &ServerKey) -> Result<Vec<Server>> {
        let filter = key.filter();
        if let Some(filter) = &filter {
            // Fail on a bad value before any request.
            filter.render()?;
        }
        let mut stream = self.all_with(ListOptions {
            filter,
            order: Some(OrderBy::asc("id")),
            page_size: None,
        });
        let mut found = Vec::new();
        while let Some(server) = stream.next().await {
            let server = server?;
            if key.matches(&server) {
                found.push(server);
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// JSON shaped like the panel's answers: the server's own keys at any
    /// depth, with values of every type.
    fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let key = prop::sample::select(vec![
            "id",
            "domain",
            "power_status",
            "operation",
            "status",
            "status_info",
            "ip",
            "name",
            "state",
            "msg",
        ]);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            ".{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map(key.clone(), inner, 0..6).prop_map(|m| {
                    Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
                }),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn any_json_reads_as_a_server_or_a_typed_error(value in json_value()) {
            match Server::from_value("t", value) {
                Ok(server) => {
                    let _ = server.addresses().count();
                    if let Some(op) = &server.operation {
                        let _ = (op.status_text(), op.id_text());
                    }
                    for command in [super::super::PowerCommand::On, super::super::PowerCommand::Off] {
                        let _ = server.power_is(command.leads_to());
                    }
                }
                Err(e) => {
                    let typed = matches!(e, Error::UnexpectedResponse { .. });
                    proptest::prop_assert!(typed, "{:?}", e);
                }
            }
        }

        #[test]
        fn any_status_info_becomes_one_text(info in proptest::arbitrary::any::<String>(), n in proptest::arbitrary::any::<i64>()) {
            for value in [json!(info), json!({"msg": info}), json!({"x": n}), json!([n]), json!(n)] {
                let op = Operation { status_info: Some(value), ..Operation::default() };
                let _ = op.status_text();
            }
        }
    }

    #[test]
    fn reads_sparse_and_full_servers() {
        let s = Server::from_value("t", json!({"id": 3})).unwrap();
        assert_eq!(s.id, 3);
        assert!(s.operation.is_none());
        let s = Server::from_value(
            "t",
            json!({"id": 4, "power_status": "ON", "operation": {"id": 9, "status": "failed",
                   "status_info": {"msg": "BMC down"}}, "ip": [{"name": "192.0.2.4"}], "rack": "A1"}),
        )
        .unwrap();
        assert!(s.power_is("on"));
        assert_eq!(s.addresses().collect::<Vec<_>>(), ["192.0.2.4"]);
        let op = s.operation.unwrap();
        assert_eq!(op.id_text().as_deref(), Some("9"));
        assert_eq!(op.status_text(), "BMC down");
        assert_eq!(s.other["rack"], "A1");
        for bad in [
            json!([]),
            json!({"id": "x"}),
            json!(null),
            json!({"domain": "a"}),
        ] {
            assert!(matches!(
                Server::from_value("t", bad),
                Err(Error::UnexpectedResponse { .. })
            ));
        }
    }
}
