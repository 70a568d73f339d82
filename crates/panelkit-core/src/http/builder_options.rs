//! The transport settings every panel's client builder offers, written once
//! so that a new trust option reaches every panel and their docs agree.

/// Expands to the builder methods for timeouts and TLS trust. The builder
/// needs two fields: `http: HttpConfig` and `pin_error: Option<Error>` (a
/// malformed fingerprint is kept there and reported by `build`, so that the
/// chain of builder calls stays infallible).
macro_rules! http_options {
    () => {
        /// Whole-request timeout of one HTTP exchange (default 60 s).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.http.timeout = timeout;
            self
        }

        /// Connect timeout (default 10 s).
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.http.connect_timeout = timeout;
            self
        }

        /// Replaces the TLS settings (which server certificates are trusted).
        pub fn tls(mut self, tls: $crate::http::TlsConfig) -> Self {
            self.http.tls = tls;
            self
        }

        /// Trusts a PEM CA file (or the panel's self-signed certificate) on
        /// top of the system roots.
        pub fn ca_file(mut self, path: impl Into<::std::path::PathBuf>) -> Self {
            self.http.tls = ::std::mem::take(&mut self.http.tls).ca_file(path);
            self
        }

        /// Accepts exactly the certificate with this SHA-256 fingerprint (hex,
        /// with or without `:`). A malformed fingerprint is reported by
        /// [`Self::build`].
        pub fn pin_sha256(mut self, fingerprint: &str) -> Self {
            match ::std::mem::take(&mut self.http.tls).pin_sha256(fingerprint) {
                Ok(tls) => self.http.tls = tls,
                Err(e) => self.pin_error = Some(e),
            }
            self
        }

        /// Turns TLS verification off. Last resort for a self-signed panel
        /// when neither a CA file nor a pin is possible; a warning is logged.
        pub fn danger_accept_invalid_certs(mut self, yes: bool) -> Self {
            self.http.tls = ::std::mem::take(&mut self.http.tls).danger_accept_invalid_certs(yes);
            self
        }
    };
}

pub(crate) use http_options;
