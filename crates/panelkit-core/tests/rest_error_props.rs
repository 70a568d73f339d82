//! Property tests: whatever a server answers with — any status, any body,
//! any `Retry-After` — error decoding gives a typed error carrying that
//! status, never a panic.

mod support;

use std::time::{Duration, UNIX_EPOCH};

use panelkit_core::rest::{
    parse_http_date, parse_retry_after, ErrorDecoder, HeaderMap, StatusErrors,
};
use panelkit_core::sftpgo::SftpgoErrors;
use panelkit_core::Error;
use proptest::prelude::*;

fn bodies() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..600),
        // JSON-ish text, cut anywhere.
        (any::<String>(), any::<String>(), 0usize..80).prop_map(|(e, m, cut)| {
            let full = serde_json::json!({"error": e, "message": m}).to_string();
            full.as_bytes()[..cut.min(full.len())].to_vec()
        }),
        "[ -~]{0,200}".prop_map(String::into_bytes),
        Just(b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec()),
        Just(br#"{"error": 5, "message": null}"#.to_vec()),
        Just(br#"{"error": {"code": 3001, "msg": "x"}}"#.to_vec()),
    ]
}

fn decoders() -> Vec<Box<dyn ErrorDecoder>> {
    vec![Box::new(StatusErrors), Box::new(SftpgoErrors)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_answer_is_a_typed_error_with_its_status(
        status in prop_oneof![400u16..600, any::<u16>()],
        body in bodies(),
        retry_after in proptest::option::of("[ -~]{0,40}"),
        content_type in proptest::option::of(prop_oneof![
            Just("application/json".to_owned()),
            Just("text/html; charset=utf-8".to_owned()),
            "[a-z/;= -]{0,30}",
        ]),
    ) {
        let mut headers = HeaderMap::new();
        if let Some(value) = retry_after.as_deref().and_then(|v| v.parse().ok()) {
            headers.insert("retry-after", value);
        }
        if let Some(value) = content_type.as_deref().and_then(|v| v.parse().ok()) {
            headers.insert("content-type", value);
        }
        for decoder in decoders() {
            let error = decoder.decode("op", status, &headers, &body);
            prop_assert_eq!(error.status(), Some(status));
            if status == 429 {
                let is_rate_limited = matches!(error, Error::RateLimited { .. });
                prop_assert!(is_rate_limited, "{:?}", error);
            }
            if let Error::UnexpectedResponse { excerpt, .. } = &error {
                prop_assert!(excerpt.chars().count() <= panelkit_core::error::EXCERPT_CHARS + 1);
            }
            // Every error names the operation it came from.
            let shown = error.to_string();
            prop_assert!(shown.contains("op"), "{}", shown);
        }
    }

    #[test]
    fn retry_after_never_panics_and_is_bounded(value in "[ -~]{0,60}") {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        if let Some(wait) = parse_retry_after(&value, now) {
            prop_assert!(wait <= Duration::from_secs(86_400));
        }
        let _ = parse_http_date(&value);
    }

    #[test]
    fn http_dates_round_trip(secs in 0u64..253_402_300_799) {
        // Format an IMF-fixdate by hand and read it back.
        let t = UNIX_EPOCH + Duration::from_secs(secs);
        let text = support::http_date(t);
        prop_assert_eq!(parse_http_date(&text), Some(t), "{}", text);
    }
}
