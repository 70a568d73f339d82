// The tests of `overlay_ispconfig_dns.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use panelkit::ispconfig::dns::{NewRecord, RecordType};
use panelkit::ispconfig::{Changes, Client, Record, Value};
use panelkit_core::Error;

use crate::overlay_common::{map, overlay, record as record_of};

/// The `dns_rr` row with `id`, whatever its type (`dns_a_get` reads any).
async fn rr(ispc: &Client, id: i64) -> Record {
    let v = ispc.generated().dns_a_get(id).await.unwrap();
    Record::from_value(v).unwrap_or_else(|e| panic!("no dns_rr row {id}: {e}"))
}

async fn zone_serial(ispc: &Client, id: i64) -> String {
    let v = ispc.generated().dns_zone_get(id).await.unwrap();
    Record::from_value(v).unwrap().text("serial").unwrap()
}

#[tokio::test]
async fn add_sets_the_type_and_every_field_a_record_needs() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    // Raw: the MX form is picked, but `type` is never written and the form's
    // defaults (active Y, aux 10, ttl 3600) are not applied.
    let raw_id = ispc
        .generated()
        .dns_mx_add(
            2,
            map(&[
                ("server_id", 1.into()),
                ("zone", 2.into()),
                ("name", "raw".into()),
                ("data", "mx.example.net.".into()),
                ("ttl", 3600.into()),
            ]),
            None,
        )
        .await
        .unwrap();
    let raw = rr(&ispc, raw_id.as_i64().unwrap()).await;
    assert_eq!(raw.text("type").as_deref(), Some(""), "{raw:?}");
    assert_eq!(raw.text("active").as_deref(), Some("N"));
    assert_eq!(raw.int("aux"), Some(0));
    // Raw without ttl: '' < '60' fails the RANGE validator.
    let err = ispc
        .generated()
        .dns_a_add(
            2,
            map(&[
                ("zone", 2.into()),
                ("name", "x".into()),
                ("data", "192.0.2.9".into()),
            ]),
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { fields, .. } if fields.contains(&"ttl_range_error".to_owned())),
        "{err:?}"
    );

    // Helper: type, zone, server, ttl, active, aux, stamp; owned like the zone.
    let serial_before = zone_serial(&ispc, 2).await;
    let zone = ispc.dns().zone("example.com").await.unwrap();
    let id = ispc
        .dns()
        .add_record(&zone, "mail2", RecordType::Mx, "20 mx2.example.net.")
        .await
        .unwrap();
    let row = rr(&ispc, id).await;
    assert_eq!(row.text("type").as_deref(), Some("MX"));
    assert_eq!(row.text("data").as_deref(), Some("mx2.example.net."));
    assert_eq!(row.int("aux"), Some(20));
    assert_eq!(row.int("ttl"), Some(3600));
    assert_eq!(row.text("active").as_deref(), Some("Y"));
    assert_eq!(row.int("server_id"), Some(1));
    assert_eq!(row.int("zone"), Some(2));
    assert_eq!(row.text("stamp").map(|s| s.len()), Some(19), "{row:?}");
    assert_eq!(
        row.int("sys_groupid"),
        Some(3),
        "owned by the zone's client"
    );
    assert_ne!(zone_serial(&ispc, 2).await, serial_before, "serial bumped");
}

#[tokio::test]
async fn every_record_type_is_added_with_its_type() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let zone = ispc.dns().zone("example.com.").await.unwrap();
    let cases = [
        (RecordType::A, "a1", "192.0.2.5"),
        (RecordType::Aaaa, "aaaa1", "2001:db8::5"),
        (RecordType::Alias, "alias1", "target.example.net."),
        (RecordType::Caa, "caa1", "0 issue \"letsencrypt.org\""),
        (RecordType::Cname, "cname1", "www.example.com."),
        (RecordType::Dname, "dname1", "other.example.net."),
        (RecordType::Ds, "ds1", "12345 13 2 abcdef0123"),
        (RecordType::Hinfo, "hinfo1", "\"PC\" \"Linux\""),
        (
            RecordType::Loc,
            "loc1",
            "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
        ),
        (RecordType::Mx, "mx1", "10 mail.example.com."),
        (
            RecordType::Naptr,
            "naptr1",
            "10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.com.",
        ),
        (RecordType::Ns, "sub", "ns2.example.net."),
        (RecordType::Ptr, "ptr1", "host.example.com."),
        (
            RecordType::Rp,
            "rp1",
            "hostmaster.example.com. txt.example.com.",
        ),
        (RecordType::Srv, "_sip._tcp", "0 5 5060 sip.example.com."),
        (RecordType::Sshfp, "sshfp1", "1 1 abcdef0123"),
        (RecordType::Tlsa, "_443._tcp.www", "3 1 1 abcdef0123"),
        (RecordType::Txt, "txt1", "hello world"),
    ];
    assert_eq!(cases.len(), RecordType::ALL.len());
    for (rtype, name, data) in cases {
        let id = ispc
            .dns()
            .add_record(&zone, name, rtype, data)
            .await
            .unwrap_or_else(|e| panic!("{rtype}: {e}"));
        let stored = ispc.dns().record(rtype, id).await.unwrap().unwrap();
        assert_eq!(stored.text("type").as_deref(), Some(rtype.as_str()));
        assert_eq!(stored.text("name").as_deref(), Some(name));
        assert_eq!(stored.int("ttl"), Some(rtype.default_ttl()));
        let found = ispc.dns().find_records(&zone, rtype, name).await.unwrap();
        assert_eq!(found.len(), 1, "{rtype} {name}: {found:?}");
    }
    let srv = ispc
        .dns()
        .find_records(&zone, RecordType::Srv, "_sip._tcp")
        .await
        .unwrap();
    assert_eq!(srv[0].int("aux"), Some(0));
    assert_eq!(
        srv[0].text("data").as_deref(),
        Some("5 5060 sip.example.com.")
    );
}

#[tokio::test]
async fn zone_lookup_is_exact_where_the_raw_lookup_is_a_prefix_match() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let raw = ispc.generated();
    assert_eq!(
        raw.dns_zone_get_id("example.com").await.unwrap(),
        Value::Int(1)
    );
    assert_eq!(
        raw.dns_zone_get_id("example.co").await.unwrap(),
        Value::Int(1)
    );
    assert!(matches!(
        raw.dns_zone_get_id("example.com.").await.unwrap_err(),
        Error::NotFound { .. }
    ));
    for name in [
        "example.com",
        "example.com.",
        "EXAMPLE.com",
        " example.com. ",
    ] {
        let zone = ispc.dns().zone(name).await.unwrap();
        assert_eq!(
            (zone.id, zone.origin.as_str()),
            (2, "example.com."),
            "{name}"
        );
    }
    assert_eq!(ispc.dns().zone("example.com.au").await.unwrap().id, 1);
    assert_eq!(ispc.dns().find_zone("example.co").await.unwrap(), None);
    assert!(matches!(
        ispc.dns().zone("example.co").await.unwrap_err(),
        Error::NotFound { .. }
    ));
    assert!(matches!(
        ispc.dns().zone("exa mple.com").await.unwrap_err(),
        Error::Validation { .. }
    ));
}

#[tokio::test]
async fn get_and_delete_only_touch_records_of_their_type() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    // Raw: dns_a_get(13) answers the CNAME; dns_aaaa_delete deletes a CNAME.
    let raw = Record::from_value(ispc.generated().dns_a_get(13).await.unwrap()).unwrap();
    assert_eq!(raw.text("type").as_deref(), Some("CNAME"));
    assert_eq!(ispc.dns().record(RecordType::A, 13).await.unwrap(), None);
    assert!(ispc
        .dns()
        .record(RecordType::Cname, 13)
        .await
        .unwrap()
        .is_some());
    assert!(!ispc
        .dns()
        .delete_record(RecordType::Aaaa, 13)
        .await
        .unwrap());
    assert_eq!(rr(&ispc, 13).await.text("type").as_deref(), Some("CNAME"));
    assert_eq!(
        ispc.generated().dns_aaaa_delete(13, None).await.unwrap(),
        Value::Int(1)
    );
    assert_eq!(ispc.generated().dns_a_get(13).await.unwrap(), Value::Null);
    // The helper deletes its own type.
    assert!(ispc.dns().delete_record(RecordType::A, 10).await.unwrap());
    assert_eq!(ispc.dns().record(RecordType::A, 10).await.unwrap(), None);
    // Absent: None / false, never an error.
    assert_eq!(ispc.dns().record(RecordType::A, 999).await.unwrap(), None);
    assert!(!ispc.dns().delete_record(RecordType::A, 999).await.unwrap());
}

#[tokio::test]
async fn update_keeps_the_owner_unless_asked_to_move_and_bumps_the_serial() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    assert_eq!(rr(&ispc, 10).await.int("sys_groupid"), Some(3));
    // Raw: passing the client the caller acts for (client 1) re-owns the record.
    ispc.generated()
        .dns_a_update(1, 10, map(&[("data", "192.0.2.11".into())]), None)
        .await
        .unwrap();
    assert_eq!(rr(&ispc, 10).await.int("sys_groupid"), Some(2));
    // Helper: owner kept (group 2 now), data changed, serial bumped.
    let serial = zone_serial(&ispc, 2).await;
    let updated = ispc
        .dns()
        .update_record(RecordType::A, 10, Changes::new().set("data", "192.0.2.12"))
        .await
        .unwrap();
    assert_eq!(updated.text("data").as_deref(), Some("192.0.2.12"));
    assert_eq!(updated.int("sys_groupid"), Some(2));
    assert_eq!(
        updated.int("sys_userid"),
        rr(&ispc, 10).await.int("sys_userid")
    );
    assert_eq!(updated.text("type").as_deref(), Some("A"));
    assert_eq!(updated.int("ttl"), Some(3600));
    assert_ne!(zone_serial(&ispc, 2).await, serial);
    // Asked to move: client 2 (group 3); the zone stays where it is (the
    // raw update_serial would have moved the zone row to client 2 as well).
    let zone_before = record_of(ispc.generated().dns_zone_get(2).await.unwrap());
    let moved = ispc
        .dns()
        .update_record(RecordType::A, 10, Changes::new().move_to(2))
        .await
        .unwrap();
    assert_eq!(moved.int("sys_groupid"), Some(3));
    let zone_after = record_of(ispc.generated().dns_zone_get(2).await.unwrap());
    assert_eq!(zone_after.int("sys_userid"), zone_before.int("sys_userid"));
    assert_eq!(
        zone_after.int("sys_groupid"),
        zone_before.int("sys_groupid")
    );
    assert!(zone_after.int("serial") > zone_before.int("serial"));
    // Updating a record through another type's helper is refused.
    assert!(matches!(
        ispc.dns()
            .update_record(RecordType::Txt, 10, Changes::new().set("data", "x"))
            .await
            .unwrap_err(),
        Error::NotFound { .. }
    ));
}

#[tokio::test]
async fn ids_at_or_below_zero_are_refused_before_anything_is_sent() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    // Raw: a nil id on update is the panel's HTML error page, 0 is invalid_id.
    let html = ispc
        .generated()
        .dns_a_update(0, Value::Null, map(&[("data", "192.0.2.1".into())]), None)
        .await
        .unwrap_err();
    assert!(matches!(html, Error::UnexpectedResponse { .. }), "{html:?}");
    let before = peer.stats().await;
    for id in [0, -1] {
        for err in [
            ispc.dns()
                .update_record(RecordType::A, id, Changes::new().set("data", "192.0.2.1"))
                .await
                .unwrap_err(),
            ispc.dns().record(RecordType::A, id).await.unwrap_err(),
            ispc.dns()
                .delete_record(RecordType::A, id)
                .await
                .unwrap_err(),
        ] {
            match err {
                Error::Validation { code, .. } => assert_eq!(code, "invalid_id"),
                other => panic!("expected invalid_id, got {other:?}"),
            }
        }
    }
    let after = peer.stats().await;
    assert_eq!(after.calls, before.calls, "nothing was sent");
}

#[tokio::test]
async fn filters_are_exact_where_the_raw_filter_is_like_and_case_insensitive() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let zone = ispc.dns().zone("example.com").await.unwrap();
    let raw = ispc
        .generated()
        .dns_a_get(map(&[("zone", 2.into()), ("name", "w%".into())]))
        .await
        .unwrap();
    assert_eq!(raw.as_list().unwrap().len(), 1, "LIKE matched www");
    let raw_case = ispc
        .generated()
        .dns_a_get(map(&[("zone", 2.into()), ("name", "WWW".into())]))
        .await
        .unwrap();
    assert_eq!(
        raw_case.as_list().unwrap().len(),
        1,
        "= is case-insensitive"
    );
    let dns = ispc.dns();
    assert!(dns
        .find_records(&zone, RecordType::A, "w%")
        .await
        .unwrap()
        .is_empty());
    assert!(dns
        .find_records(&zone, RecordType::A, "WWW")
        .await
        .unwrap()
        .is_empty());
    let www = dns.find_records(&zone, RecordType::A, "www").await.unwrap();
    assert_eq!(www.len(), 1);
    assert_eq!(www[0].int("id"), Some(10));
    // The raw filter by name alone also lists the other types' rows.
    let raw_mx = ispc
        .generated()
        .dns_mx_get(map(&[("zone", 2.into())]))
        .await
        .unwrap();
    assert!(raw_mx.as_list().unwrap().len() > 1);
    let mx = dns
        .find_records(&zone, RecordType::Mx, "example.com.")
        .await
        .unwrap();
    assert_eq!(mx.len(), 1);
    assert_eq!(dns.records(&zone).await.unwrap().len(), 4);
}

#[tokio::test]
async fn zones_are_added_with_the_forms_timers_and_listed() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let id = ispc
        .dns()
        .add_zone(2, 1, "New-Zone.example.", "ns1.example.net", "hostmaster")
        .await
        .unwrap();
    let zone = ispc.dns().zone("new-zone.example").await.unwrap();
    assert_eq!(zone.id, id);
    assert_eq!(
        zone.record.text("mbox").as_deref(),
        Some("hostmaster.new-zone.example.")
    );
    assert_eq!(zone.record.int("refresh"), Some(7200));
    assert_eq!(zone.record.text("active").as_deref(), Some("Y"));
    assert_eq!(zone.record.int("sys_groupid"), Some(3));
    assert_eq!(ispc.dns().zones().await.unwrap().len(), 4);
    let updated = ispc
        .dns()
        .update_zone(id, Changes::new().set("ttl", 600))
        .await
        .unwrap();
    assert_eq!(updated.record.int("ttl"), Some(600));
    assert_eq!(updated.record.int("refresh"), Some(7200));
    assert_eq!(updated.record.int("sys_groupid"), Some(3));
    assert!(ispc.dns().delete_zone(id).await.unwrap());
    assert_eq!(ispc.dns().zone_by_id(id).await.unwrap(), None);
}

#[test]
fn new_record_defaults_are_visible_without_a_panel() {
    // A pure check next to the wire ones: what `add` sends for an inactive TXT.
    let zone = panelkit::ispconfig::dns::Zone {
        id: 2,
        origin: "example.com.".into(),
        server_id: 1,
        record: Record::new(),
    };
    let row = NewRecord::new(RecordType::Txt, "t", "x")
        .ttl(120)
        .inactive()
        .to_record(&zone, "2026-01-01 00:00:00");
    assert_eq!(row.text("active").as_deref(), Some("N"));
    assert_eq!(row.int("ttl"), Some(120));
}

#[tokio::test]
async fn adding_a_record_bumps_the_serial_without_re_owning_the_zone() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let zone_row = |v: Value| Record::from_value(v).unwrap();
    let before = zone_row(ispc.generated().dns_zone_get(2).await.unwrap());
    assert_eq!(
        (before.int("sys_userid"), before.int("sys_groupid")),
        (Some(1), Some(3))
    );
    // Helper: the zone keeps sys_userid 1, its serial moves on.
    let zone = ispc.dns().zone("example.com").await.unwrap();
    ispc.dns()
        .add_record(&zone, "kept", RecordType::A, "192.0.2.40")
        .await
        .unwrap();
    let after = zone_row(ispc.generated().dns_zone_get(2).await.unwrap());
    assert_eq!(after.int("sys_userid"), Some(1), "owner kept");
    assert_eq!(after.int("sys_groupid"), Some(3));
    assert!(after.int("serial") > before.int("serial"));
    // Raw: update_serial updates the zone with the add's client_id, which
    // re-owns the zone row to that client's user.
    ispc.generated()
        .dns_a_add(
            2,
            map(&[
                ("server_id", 1.into()),
                ("zone", 2.into()),
                ("name", "raw".into()),
                ("type", "A".into()),
                ("data", "192.0.2.41".into()),
                ("ttl", 3600.into()),
                ("active", "Y".into()),
            ]),
            Some(Value::Bool(true)),
        )
        .await
        .unwrap();
    let raw = zone_row(ispc.generated().dns_zone_get(2).await.unwrap());
    assert_eq!(raw.int("sys_userid"), Some(3), "re-owned by the raw add");
    assert!(raw.int("serial") > after.int("serial"));
}
