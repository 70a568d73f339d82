//! `from_env()` reads the process environment. Alone in its binary: it sets
//! variables, which must not race with other tests reading them.

use panelkit_core::ionos::{ClientBuilder, ENV_API_URL, ENV_PASSWORD, ENV_TOKEN, ENV_USERNAME};
use panelkit_core::rest::RestClient;
use panelkit_core::Error;

#[test]
fn from_env_reads_the_ionos_variables() {
    for name in [ENV_USERNAME, ENV_PASSWORD, ENV_TOKEN, ENV_API_URL] {
        std::env::remove_var(name);
    }
    let error = ClientBuilder::<RestClient>::from_env().unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert!(error.to_string().contains("IONOS_TOKEN"), "{error}");

    std::env::set_var(ENV_USERNAME, "user@example.com");
    std::env::set_var(ENV_PASSWORD, "env-hunter2");
    let client = ClientBuilder::<RestClient>::from_env()
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://api.ionos.com/cloudapi/v6");
    assert!(!format!("{client:?}").contains("env-hunter2"));

    std::env::set_var(ENV_API_URL, "https://api.example.test");
    std::env::set_var(ENV_TOKEN, "env-token-secret");
    let builder = ClientBuilder::<RestClient>::from_env().unwrap();
    assert!(!format!("{builder:?}").contains("env-token-secret"));
    let client = builder.build().unwrap();
    assert_eq!(client.base_url(), "https://api.example.test/cloudapi/v6");

    std::env::set_var(ENV_API_URL, "::not a url");
    let error = ClientBuilder::<RestClient>::from_env().unwrap_err();
    assert!(error.to_string().contains(ENV_API_URL), "{error}");
}
