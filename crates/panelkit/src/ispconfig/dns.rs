//! DNS zones and records of every type the panel has.
//!
//! Footguns fixed here (besides the shared ones in [`super::crud`]):
//! - `dns_<type>_add` picks the form by type but never writes `type`, and an
//!   insert applies none of the form's defaults: [`Dns::add`] always sends
//!   `type`, the zone's `server_id` and id, `ttl` (the form's default),
//!   `active = Y`, `aux` and `stamp`, and adds the record as the zone's owner;
//! - `dns_zone_get_id` rejects the trailing dot and matches `origin LIKE
//!   'name%'` unordered (so `example.com` finds `example.com.au.`):
//!   [`Dns::zone`] normalizes the name and looks the zone up by its exact origin;
//! - `dns_<type>_get` / `_update` / `_delete` act on whatever `dns_rr` row has
//!   the id: the helpers only touch rows of the type asked for.
//!
//! Records of every type share `dns_rr`, so the record helpers answer the
//! dynamic [`Record`] (one shape for a zone's mixed listing); each type's
//! generated typed record is a [`DnsRecord`], read with
//! [`Dns::get`] / [`Dns::find`] or converted with `record.typed::<records::DnsMx>()`.
//! Updates take anything `Into<Changes>`, a typed record with only the
//! changed fields set included.
//!
//! Names are compared in ASCII: give internationalized names in their
//! `xn--` form (the panel stores them so).

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use panelkit_core::ispconfig::fields::FormRecord;
use panelkit_core::soap::Value;
use panelkit_core::{Error, Result};
use panelkit_ispconfig::records;

use panelkit_core::ispconfig::fields::FieldInfo;
use panelkit_ispconfig::crud::{self as descriptors, FormCrud};

use super::crud::{self, Changes, Form};
use super::filter::Filter;
use super::record::{many, Record};
use super::Client;

/// A DNS record type the panel has a form (`dns/form/dns_<type>.tform.php`)
/// and remote methods (`dns_<type>_get/_add/_update/_delete`) for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordType {
    /// `A`.
    A,
    /// `AAAA`.
    Aaaa,
    /// `ALIAS`.
    Alias,
    /// `CAA`.
    Caa,
    /// `CNAME`.
    Cname,
    /// `DNAME`.
    Dname,
    /// `DS`.
    Ds,
    /// `HINFO`.
    Hinfo,
    /// `LOC`.
    Loc,
    /// `MX`.
    Mx,
    /// `NAPTR`.
    Naptr,
    /// `NS`.
    Ns,
    /// `PTR`.
    Ptr,
    /// `RP`.
    Rp,
    /// `SRV`.
    Srv,
    /// `SSHFP`.
    Sshfp,
    /// `TLSA`.
    Tlsa,
    /// `TXT`.
    Txt,
}

/// Declares, once per record type, its generated descriptor
/// (`panelkit_ispconfig::crud::DnsA`) and typed record: the overlay's audit
/// facts for the descriptor, the record's [`DnsRecord`] type, and
/// [`RecordType`]'s dispatch to the shared CRUD of the right descriptor.
macro_rules! record_types {
    ($($rtype:ident => $record:ident,)*) => {
        $(
            impl Form for descriptors::$record {
                const WHAT: &'static str = "DNS record";
                // Every field of a record is set by Dns::add_record itself
                // (checked on the genuine panel).
                const FORM_DEFAULTS: bool = false;
            }

            // A DNS form without a fixed `type` could not tell its rows apart.
            const _: () = assert!(<descriptors::$record as FormCrud>::KIND.is_some());

            impl DnsRecord for records::$record {
                const TYPE: RecordType = RecordType::$rtype;
            }
        )*

        impl RecordType {
            /// Every type, in the order of the panel's forms.
            pub const ALL: &'static [RecordType] = &[$(RecordType::$rtype),*];

            /// The type as stored in `dns_rr.type` (`A`, `MX`, ...): the
            /// form's fixed `type`.
            pub fn as_str(self) -> &'static str {
                let kind = match self {
                    $(RecordType::$rtype => <descriptors::$record as FormCrud>::KIND,)*
                };
                kind.unwrap_or_default()
            }

            /// The form's fields, as generated from the inventory.
            fn fields(self) -> &'static [FieldInfo] {
                match self {
                    $(RecordType::$rtype => <records::$record as FormRecord>::FIELDS,)*
                }
            }

            /// The read method's name.
            #[cfg(test)]
            fn get_method(self) -> &'static str {
                match self {
                    $(RecordType::$rtype => <descriptors::$record as FormCrud>::GET,)*
                }
            }

            async fn get(self, client: &Client, id: i64) -> Result<Option<Record>> {
                match self {
                    $(RecordType::$rtype => crud::get::<descriptors::$record>(client, id).await,)*
                }
            }

            async fn find(self, client: &Client, filter: Filter) -> Result<Vec<Record>> {
                match self {
                    $(RecordType::$rtype => crud::find::<descriptors::$record>(client, filter).await,)*
                }
            }

            async fn add(self, client: &Client, owner: i64, row: Record) -> Result<i64> {
                match self {
                    $(RecordType::$rtype => crud::add::<descriptors::$record>(client, owner, row).await,)*
                }
            }

            async fn update(self, client: &Client, id: i64, changes: Changes) -> Result<Record> {
                match self {
                    $(RecordType::$rtype => crud::update::<descriptors::$record>(client, id, changes).await,)*
                }
            }

            async fn delete(self, client: &Client, id: i64) -> Result<bool> {
                match self {
                    $(RecordType::$rtype => crud::delete::<descriptors::$record>(client, id).await,)*
                }
            }
        }
    };
}

record_types! {
    A => DnsA,
    Aaaa => DnsAaaa,
    Alias => DnsAlias,
    Caa => DnsCaa,
    Cname => DnsCname,
    Dname => DnsDname,
    Ds => DnsDs,
    Hinfo => DnsHinfo,
    Loc => DnsLoc,
    Mx => DnsMx,
    Naptr => DnsNaptr,
    Ns => DnsNs,
    Ptr => DnsPtr,
    Rp => DnsRp,
    Srv => DnsSrv,
    Sshfp => DnsSshfp,
    Tlsa => DnsTlsa,
    Txt => DnsTxt,
}

/// A form's literal default of integer field `name`.
fn int_default(fields: &[FieldInfo], name: &str) -> Option<i64> {
    fields
        .iter()
        .find(|f| f.name == name)
        .and_then(|f| f.default)
        .and_then(|d| d.parse().ok())
}

impl RecordType {
    /// The form's default `ttl` (every record form has one; 3600, the
    /// panel's usual, should one lose it).
    pub fn default_ttl(self) -> i64 {
        int_default(self.fields(), "ttl").unwrap_or(3600)
    }

    /// The form's default `aux` (priority / order); 0, the column's default,
    /// for types whose form has no `aux` field.
    pub fn default_aux(self) -> i64 {
        int_default(self.fields(), "aux").unwrap_or(0)
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RecordType {
    type Err = Error;

    /// Case-insensitive (`mx`, `MX`).
    fn from_str(s: &str) -> Result<Self> {
        RecordType::ALL
            .iter()
            .copied()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| Error::Validation {
                status: None,
                code: "unknown_record_type".to_owned(),
                message: format!(
                    "unknown DNS record type {s:?}; the panel has {}",
                    RecordType::ALL
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                fields: vec!["type".to_owned()],
            })
    }
}

/// The generated typed record of one DNS record type's form
/// (`records::DnsA` for `dns/form/dns_a.tform.php`, ...).
pub trait DnsRecord: FormRecord {
    /// The record type the form is for.
    const TYPE: RecordType;
}

impl Form for descriptors::DnsZone {
    const WHAT: &'static str = "DNS zone";
    // Dns::add_zone sets every field itself.
    const FORM_DEFAULTS: bool = false;
}

/// The zone form's descriptor (`dns_zone_*` over `dns_soa.tform.php`).
type ZoneForm = descriptors::DnsZone;

/// A DNS zone (`dns_soa` row).
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    /// `dns_soa.id`.
    pub id: i64,
    /// The origin as stored, with its trailing dot (`example.com.`).
    pub origin: String,
    /// The DNS server the zone lives on.
    pub server_id: i64,
    /// The whole row.
    pub record: Record,
}

impl Zone {
    /// The zone row as the typed record of its form (`dns_soa.tform.php`).
    pub fn typed(&self) -> Result<records::DnsSoa> {
        self.record.typed()
    }

    fn from_record(record: Record) -> Result<Zone> {
        let (Some(id), Some(origin), Some(server_id)) = (
            record.int("id"),
            record.text("origin"),
            record.int("server_id"),
        ) else {
            return Err(Error::unexpected(
                None,
                "a dns_soa row without id, origin or server_id",
                format!("{record:?}").as_bytes(),
            ));
        };
        Ok(Zone {
            id,
            origin,
            server_id,
            record,
        })
    }
}

/// The stored form of a zone name: trimmed, lower-case, exactly one trailing
/// dot. Refuses empty names, empty labels and whitespace or control
/// characters inside; the rest of the syntax is the panel's to check.
pub fn normalize_origin(name: &str) -> Result<String> {
    let trimmed = name.trim();
    let bare = trimmed.strip_suffix('.').unwrap_or(trimmed);
    let bad = bare.is_empty()
        || bare.split('.').any(str::is_empty)
        || bare.chars().any(|c| c.is_whitespace() || c.is_control());
    if bad {
        return Err(Error::Validation {
            status: None,
            code: "invalid_zone_name".to_owned(),
            message: format!("{name:?} is not a zone name"),
            fields: vec!["origin".to_owned()],
        });
    }
    Ok(format!("{}.", bare.to_ascii_lowercase()))
}

/// A record to add: the fields a working record needs, with the form's
/// defaults for those not given.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRecord {
    /// The record type.
    pub rtype: RecordType,
    /// Owner name relative to the zone (`www`), `@`/empty for the apex, or
    /// an absolute name with its trailing dot.
    pub name: String,
    /// The record data (`192.0.2.1`, `mail.example.com.`, `"v=spf1 ..."`).
    pub data: String,
    /// `aux`: MX/SRV priority, NAPTR order; the form's default when `None`.
    pub priority: Option<i64>,
    /// TTL in seconds (the panel requires >= 60); the form's default when `None`.
    pub ttl: Option<i64>,
    /// Whether the record is served (default true).
    pub active: bool,
}

impl NewRecord {
    /// A record with the form's defaults for priority and TTL.
    pub fn new(rtype: RecordType, name: impl Into<String>, data: impl Into<String>) -> Self {
        NewRecord {
            rtype,
            name: name.into(),
            data: data.into(),
            priority: None,
            ttl: None,
            active: true,
        }
    }

    /// A record from presentation-style data: for MX and SRV a leading
    /// number is the priority (`10 mail.example.com.`; `0 5 5060
    /// sip.example.com.` is priority 0, data `5 5060 sip.example.com.`);
    /// other types take `data` as it is.
    pub fn parse(rtype: RecordType, name: &str, data: &str) -> Result<Self> {
        let data = data.trim();
        let mut record = NewRecord::new(rtype, name, data);
        if matches!(rtype, RecordType::Mx | RecordType::Srv) {
            if let Some((first, rest)) = data.split_once(char::is_whitespace) {
                if let Ok(priority) = first.parse::<i64>() {
                    if priority < 0 || rest.trim().is_empty() {
                        return Err(Error::Validation {
                            status: None,
                            code: "invalid_record_data".to_owned(),
                            message: format!("{rtype} data {data:?}: expected PRIORITY TARGET"),
                            fields: vec!["data".to_owned()],
                        });
                    }
                    record.priority = Some(priority);
                    record.data = rest.trim().to_owned();
                }
            }
        }
        Ok(record)
    }

    /// Sets the priority (`aux`).
    pub fn priority(mut self, priority: i64) -> Self {
        self.priority = Some(priority);
        self
    }

    /// Sets the TTL.
    pub fn ttl(mut self, ttl: i64) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// Adds the record switched off.
    pub fn inactive(mut self) -> Self {
        self.active = false;
        self
    }

    /// The full row sent to `dns_<type>_add` for `zone`.
    pub fn to_record(&self, zone: &Zone, stamp: &str) -> Record {
        let name = match self.name.trim() {
            "@" => zone.origin.clone(),
            other => other.to_owned(),
        };
        [
            ("server_id", Value::Int(zone.server_id)),
            ("zone", Value::Int(zone.id)),
            ("name", Value::String(name)),
            ("type", self.rtype.as_str().into()),
            ("data", Value::String(self.data.clone())),
            (
                "aux",
                Value::Int(self.priority.unwrap_or(self.rtype.default_aux())),
            ),
            (
                "ttl",
                Value::Int(self.ttl.unwrap_or(self.rtype.default_ttl())),
            ),
            ("active", if self.active { "Y" } else { "N" }.into()),
            ("stamp", stamp.into()),
        ]
        .into_iter()
        .collect()
    }
}

/// The serial after `current` on day `today` (`YYYYMMDD`), as the panel's
/// `increase_serial` computes it: `YYYYMMDDnn` with `nn` counting up within a
/// day (past 99 the date part moves on by one), or today's `01` when the
/// serial is from an earlier day. The panel uses its own clock; this uses UTC.
pub fn next_serial(current: &str, today: &str) -> String {
    let date: i64 = current.get(..8).and_then(|d| d.parse().ok()).unwrap_or(0);
    let count: i64 = current.get(8..10).and_then(|c| c.parse().ok()).unwrap_or(0);
    let today_n: i64 = today.parse().unwrap_or(0);
    if date >= today_n {
        let (date, count) = if count + 1 > 99 {
            (date + 1, 0)
        } else {
            (date, count + 1)
        };
        format!("{date}{count:02}")
    } else {
        format!("{today}01")
    }
}

/// `YYYY-MM-DD HH:MM:SS` in UTC, the format of `dns_rr.stamp`.
pub fn stamp_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    stamp_at(secs)
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) for seconds since the Unix epoch.
pub fn stamp_at(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// DNS helpers; from [`Client::dns`].
#[derive(Clone, Copy, Debug)]
pub struct Dns<'a> {
    pub(crate) client: &'a Client,
}

impl Dns<'_> {
    /// The zone whose origin is exactly `name` (with or without the trailing
    /// dot, any case); [`Error::NotFound`] when there is none.
    pub async fn zone(&self, name: &str) -> Result<Zone> {
        self.find_zone(name).await?.ok_or_else(|| Error::NotFound {
            status: None,
            code: "no_domain_found".to_owned(),
            message: format!(
                "no DNS zone with origin {}",
                normalize_origin(name).unwrap_or_default()
            ),
        })
    }

    /// The zone whose origin is exactly `name`, if any: looked up with a
    /// filter on the stored origin, never by prefix.
    pub async fn find_zone(&self, name: &str) -> Result<Option<Zone>> {
        let origin = normalize_origin(name)?;
        let filter = Filter::new().eq("origin", &origin);
        let answer = crud::read::<ZoneForm>(self.client, filter.to_value()).await?;
        // The panel compares case-insensitively; origins are stored lower-case.
        let zones = many(answer)?
            .into_iter()
            .filter(|r| {
                r.text("origin")
                    .is_some_and(|o| o.eq_ignore_ascii_case(&origin))
            })
            .map(Zone::from_record)
            .collect::<Result<Vec<_>>>()?;
        match zones.len() {
            0 | 1 => Ok(zones.into_iter().next()),
            n => Err(Error::unexpected(
                None,
                format!("{n} zones with origin {origin}; the panel keeps origins unique"),
                b"",
            )),
        }
    }

    /// The zone with id `id`, if any.
    pub async fn zone_by_id(&self, id: i64) -> Result<Option<Zone>> {
        crud::get::<ZoneForm>(self.client, id)
            .await?
            .map(Zone::from_record)
            .transpose()
    }

    /// Every zone.
    pub async fn zones(&self) -> Result<Vec<Zone>> {
        crud::all::<ZoneForm>(self.client)
            .await?
            .into_iter()
            .map(Zone::from_record)
            .collect()
    }

    /// Adds zone `name` on server `server_id` for `client_id` (0: admin) with
    /// primary name server `ns` and responsible mailbox `mbox` (`hostmaster`
    /// or `hostmaster.example.com.`), the form's timers (refresh 7200, retry
    /// 540, expire 604800, minimum 3600, ttl 3600), today's first serial,
    /// active; answers the new zone's id.
    pub async fn add_zone(
        &self,
        client_id: i64,
        server_id: i64,
        name: &str,
        ns: &str,
        mbox: &str,
    ) -> Result<i64> {
        crud::check_id("server", "server_id", server_id)?;
        let origin = normalize_origin(name)?;
        let mbox = if mbox.contains('.') {
            format!("{}.", mbox.trim_end_matches('.'))
        } else {
            format!("{mbox}.{origin}")
        };
        let serial = format!("{}01", &stamp_now()[..10].replace('-', ""));
        let row: Record = [
            ("server_id", Value::Int(server_id)),
            ("origin", origin.into()),
            ("ns", format!("{}.", ns.trim_end_matches('.')).into()),
            ("mbox", mbox.into()),
            ("serial", serial.into()),
            ("refresh", Value::Int(7200)),
            ("retry", Value::Int(540)),
            ("expire", Value::Int(604_800)),
            ("minimum", Value::Int(3600)),
            ("ttl", Value::Int(3600)),
            ("xfer", "".into()),
            ("also_notify", "".into()),
            ("update_acl", "".into()),
            ("active", "Y".into()),
            ("dnssec_wanted", "N".into()),
        ]
        .into_iter()
        .collect();
        crud::add::<ZoneForm>(self.client, client_id, row).await
    }

    /// Changes a zone (read-merge-write, owner kept unless moved).
    pub async fn update_zone(&self, id: i64, changes: impl Into<Changes>) -> Result<Zone> {
        Zone::from_record(crud::update::<ZoneForm>(self.client, id, changes.into()).await?)
    }

    /// Deletes a zone row (the panel leaves its records in `dns_rr`).
    pub async fn delete_zone(&self, id: i64) -> Result<bool> {
        crud::delete::<ZoneForm>(self.client, id).await
    }

    /// Every record of `zone`, whatever its type.
    pub async fn records(&self, zone: &Zone) -> Result<Vec<Record>> {
        crud::check_id("DNS zone", "zone", zone.id)?;
        let answer = generated_call!(self.client, dns_rr_get_all_by_zone(zone.id))?;
        many(answer)
    }

    /// The `rtype` record with id `id`; `None` when absent or of another type.
    pub async fn record(&self, rtype: RecordType, id: i64) -> Result<Option<Record>> {
        rtype.get(self.client, id).await
    }

    /// The record of type `T` with id `id` as its typed record
    /// (`dns.get::<records::DnsMx>(id)`); `None` when absent or of another type.
    pub async fn get<T: DnsRecord>(&self, id: i64) -> Result<Option<T>> {
        T::TYPE
            .get(self.client, id)
            .await?
            .map(Record::into_typed)
            .transpose()
    }

    /// The records of type `T` in `zone` named exactly `name`, typed.
    pub async fn find<T: DnsRecord>(&self, zone: &Zone, name: &str) -> Result<Vec<T>> {
        let filter = Filter::new().eq("zone", zone.id).eq("name", name);
        T::TYPE
            .find(self.client, filter)
            .await?
            .into_iter()
            .map(Record::into_typed)
            .collect()
    }

    /// The `rtype` records of `zone` named exactly `name`.
    pub async fn find_records(
        &self,
        zone: &Zone,
        rtype: RecordType,
        name: &str,
    ) -> Result<Vec<Record>> {
        let filter = Filter::new().eq("zone", zone.id).eq("name", name);
        rtype.find(self.client, filter).await
    }

    /// Adds `name rtype data` to `zone` with the form's defaults; answers the
    /// new record's id. MX/SRV data may start with the priority.
    pub async fn add_record(
        &self,
        zone: &Zone,
        name: &str,
        rtype: RecordType,
        data: &str,
    ) -> Result<i64> {
        self.add(zone, NewRecord::parse(rtype, name, data)?).await
    }

    /// Adds a record to `zone`, owned by the zone's owner, and bumps the
    /// zone's serial; answers the new record's id.
    ///
    /// The serial is not bumped through the add's `update_serial`: the panel
    /// would update the zone with the add's `client_id` and so re-own the
    /// zone row (its `sys_userid` becomes the client's). It is bumped here
    /// the panel's way ([`next_serial`]) with the zone's owner kept. Either
    /// way the remote user needs `dns_zone_get` and `dns_zone_update` too.
    pub async fn add(&self, zone: &Zone, record: NewRecord) -> Result<i64> {
        crud::check_id("DNS zone", "zone", zone.id)?;
        let owner = self.client.owner_of(&zone.record).await?;
        let row = record.to_record(zone, &stamp_now());
        let id = record.rtype.add(self.client, owner, row).await?;
        self.bump_serial(zone.id).await?;
        Ok(id)
    }

    /// Moves the zone's serial on as the panel's own `increase_serial` does,
    /// keeping its owner.
    async fn bump_serial(&self, zone_id: i64) -> Result<()> {
        let current = crud::get::<ZoneForm>(self.client, zone_id)
            .await?
            .and_then(|z| z.text("serial"))
            .unwrap_or_default();
        let serial = next_serial(&current, &stamp_now()[..10].replace('-', ""));
        crud::update::<ZoneForm>(self.client, zone_id, Changes::new().set("serial", serial))
            .await?;
        Ok(())
    }

    /// Changes a record (read-merge-write, type and owner kept unless moved,
    /// zone serial bumped); answers the record as stored afterwards.
    ///
    /// As in [`Dns::add`], the serial is bumped here rather than through the
    /// update's `update_serial`, which would update the zone with the
    /// update's `client_id`: moving a record would move its zone too.
    pub async fn update_record(
        &self,
        rtype: RecordType,
        id: i64,
        changes: impl Into<Changes>,
    ) -> Result<Record> {
        let record = rtype.update(self.client, id, changes.into()).await?;
        let zone = record
            .int("zone")
            .ok_or_else(|| Error::unexpected(None, "the updated record has no zone", b""))?;
        self.bump_serial(zone).await?;
        Ok(record)
    }

    /// Deletes the `rtype` record with id `id` (never a record of another
    /// type); answers whether one was deleted.
    pub async fn delete_record(&self, rtype: RecordType, id: i64) -> Result<bool> {
        rtype.delete(self.client, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn origins_get_exactly_one_trailing_dot() {
        assert_eq!(normalize_origin("example.com").unwrap(), "example.com.");
        assert_eq!(normalize_origin("Example.COM.").unwrap(), "example.com.");
        assert_eq!(normalize_origin(" example.com. ").unwrap(), "example.com.");
        for bad in ["", ".", "example..com", "a b.com", "example.com..", "\n"] {
            assert!(normalize_origin(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn types_parse_case_insensitively_and_know_their_methods() {
        assert_eq!("mx".parse::<RecordType>().unwrap(), RecordType::Mx);
        assert_eq!(" AAAA ".parse::<RecordType>().unwrap(), RecordType::Aaaa);
        assert!("SPF".parse::<RecordType>().is_err());
        assert_eq!(RecordType::ALL.len(), 18);
        for (i, t) in RecordType::ALL.iter().enumerate() {
            assert_eq!(*t as usize, i, "ALL is in declaration order");
            let lower = t.as_str().to_ascii_lowercase();
            assert_eq!(format!("{t:?}").to_ascii_lowercase(), lower);
            assert_eq!(t.get_method(), format!("dns_{lower}_get"));
        }
    }

    #[test]
    fn each_typed_record_names_its_type() {
        fn form_of<T: DnsRecord>() -> &'static str {
            T::TYPE.get_method()
        }
        assert_eq!(form_of::<records::DnsA>(), "dns_a_get");
        assert_eq!(form_of::<records::DnsMx>(), "dns_mx_get");
        assert_eq!(form_of::<records::DnsTlsa>(), "dns_tlsa_get");
        assert_eq!(form_of::<records::DnsTxt>(), "dns_txt_get");
    }

    #[test]
    fn mx_and_srv_data_carry_the_priority() {
        let mx = NewRecord::parse(RecordType::Mx, "@", "10 mail.example.com.").unwrap();
        assert_eq!(
            (mx.priority, mx.data.as_str()),
            (Some(10), "mail.example.com.")
        );
        let bare = NewRecord::parse(RecordType::Mx, "@", "mail.example.com.").unwrap();
        assert_eq!(
            (bare.priority, bare.data.as_str()),
            (None, "mail.example.com.")
        );
        let srv =
            NewRecord::parse(RecordType::Srv, "_sip._tcp", "0 5 5060 sip.example.com.").unwrap();
        assert_eq!(
            (srv.priority, srv.data.as_str()),
            (Some(0), "5 5060 sip.example.com.")
        );
        let txt = NewRecord::parse(RecordType::Txt, "t", "10 green bottles").unwrap();
        assert_eq!(
            (txt.priority, txt.data.as_str()),
            (None, "10 green bottles")
        );
        assert!(NewRecord::parse(RecordType::Mx, "@", "-1 mail.").is_err());
    }

    #[test]
    fn the_row_has_every_field_a_working_record_needs() {
        let zone = Zone {
            id: 2,
            origin: "example.com.".into(),
            server_id: 1,
            record: Record::new(),
        };
        let row = NewRecord::new(RecordType::Mx, "@", "mail.example.com.")
            .to_record(&zone, "2026-11-24 20:00:00");
        assert_eq!(row.text("type").as_deref(), Some("MX"));
        assert_eq!(row.text("name").as_deref(), Some("example.com."));
        assert_eq!(row.int("aux"), Some(10));
        assert_eq!(row.int("ttl"), Some(3600));
        assert_eq!(row.int("server_id"), Some(1));
        assert_eq!(row.int("zone"), Some(2));
        assert_eq!(row.text("active").as_deref(), Some("Y"));
        assert_eq!(row.text("stamp").as_deref(), Some("2026-11-24 20:00:00"));
        let tlsa =
            NewRecord::new(RecordType::Tlsa, "_443._tcp.www", "3 1 1 ab").to_record(&zone, "");
        assert_eq!(tlsa.int("ttl"), Some(7200));
    }

    #[test]
    fn serials_count_within_a_day_and_restart_on_a_new_one() {
        assert_eq!(next_serial("2026112401", "20261124"), "2026112402");
        assert_eq!(next_serial("2026112499", "20261124"), "2026112500");
        assert_eq!(next_serial("2026010101", "20261124"), "2026112401");
        assert_eq!(next_serial("2027010105", "20261124"), "2027010106");
        assert_eq!(next_serial("", "20261124"), "2026112401");
        assert_eq!(next_serial("garbage", "20261124"), "2026112401");
    }

    #[test]
    fn stamps_are_civil_utc() {
        assert_eq!(stamp_at(0), "1970-01-01 00:00:00");
        assert_eq!(stamp_at(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(stamp_at(1_795_550_400), "2026-11-24 20:00:00");
        assert_eq!(stamp_at(-1), "1969-12-31 23:59:59");
    }

    proptest! {
        /// Normalizing is idempotent and always ends in exactly one dot.
        #[test]
        fn normalize_is_idempotent(name in "[a-zA-Z0-9.\\- ]{0,20}") {
            if let Ok(once) = normalize_origin(&name) {
                prop_assert!(once.ends_with('.') && !once.ends_with(".."));
                prop_assert_eq!(normalize_origin(&once).unwrap(), once.clone());
                prop_assert_eq!(normalize_origin(once.trim_end_matches('.')).unwrap(), once);
            }
        }

        /// The next serial is always larger than a well-formed current one.
        #[test]
        fn serials_only_grow(date in 19_700_101i64..29_991_231, count in 0i64..100, today in 19_700_101i64..29_991_231) {
            let current = format!("{date}{count:02}");
            let next = next_serial(&current, &today.to_string());
            prop_assert!(next.parse::<i64>().unwrap() > current.parse::<i64>().unwrap());
            let _ = next_serial(&current[..current.len() / 2], "x");
        }

        /// MX parsing never panics and keeps the target intact.
        #[test]
        fn mx_parse_never_panics(p in 0i64..100_000, target in "[a-z.]{1,20}", junk in ".{0,20}") {
            let r = NewRecord::parse(RecordType::Mx, "@", &format!("{p} {target}")).unwrap();
            prop_assert_eq!(r.priority, Some(p));
            prop_assert_eq!(r.data, target);
            let _ = NewRecord::parse(RecordType::Mx, "@", &junk);
        }
    }
}
