//! Bursts of calls against the ISPConfig peer with several workers, so the
//! calls really overlap: a dead session must never lock the client's IP out
//! (the panel counts every call with an unknown or expired session id; 10 in
//! 5 minutes lock the IP out), a lockout must fail fast without sending
//! anything, and calls in flight stay within the client's bound.
//!
//! The peer's `counted` is the total of failures its lock-out counter ever
//! counted; `max_in_flight` the most remote calls it had at once.
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `ispconfig_burst/cases.rs`).

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("ispconfig_burst/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("ispconfig_burst/cases.rs");
}
