//! Property tests: the COREmanager decoders and the log-line parser never
//! panic, whatever they are given.

use panelkit_core::coremanager::document::{decode, DecodeLimits};
use panelkit_core::coremanager::{Expect, Format, Request};
use proptest::prelude::*;

const SAMPLE_JSON: &str = r#"{"doc":{"$lang":"en","elem":[{"name":{"$":"a.example"},"user":{"$used":"1"}},{"name":{"$":"b"}}],"error":{"$type":"value","param":{"$":"name"},"msg":{"$":"bad"}},"ok":{"$":"restart"}}}"#;
const SAMPLE_XML: &str = "<?xml version=\"1.0\"?><doc><elem><name>a</name><php/><user used=\"1\"/></elem><error type=\"missed\"><msg>x</msg></error><auth id=\"s\"/></doc>";

fn mutate(base: &str, cuts: &[(usize, u8)]) -> Vec<u8> {
    let mut bytes = base.as_bytes().to_vec();
    for &(at, b) in cuts {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        match b % 3 {
            0 => bytes[at] = b,
            1 => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, b),
        }
    }
    bytes
}

fn all_ways(body: &[u8]) {
    for format in [Format::Json, Format::Xml] {
        for expect in [Expect::Any, Expect::List] {
            let _ = decode(body, format, expect, Some(200), &DecodeLimits::default());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        all_ways(&body);
    }

    #[test]
    fn mutated_documents_never_panic(cuts in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8)) {
        all_ways(&mutate(SAMPLE_JSON, &cuts));
        all_ways(&mutate(SAMPLE_XML, &cuts));
    }

    #[test]
    fn truncated_documents_never_panic(at in 0usize..400) {
        for base in [SAMPLE_JSON, SAMPLE_XML] {
            let end = at.min(base.len());
            all_ways(&base.as_bytes()[..end]);
        }
    }

    #[test]
    fn arbitrary_json_shapes_never_panic(text in r#"\{"doc":[\{\}\[\]"$a-z:,0-9 ]{0,80}\}?"#) {
        all_ways(text.as_bytes());
    }

    #[test]
    fn log_lines_never_panic(line in ".{0,200}") {
        let _ = Request::from_log_line(&line);
        let _ = Request::from_log_line(&format!("INFO Request [1.2.3.4][root] '{line}'"));
    }
}
