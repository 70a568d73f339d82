//! Named fixes of upstream specs, in the k8s-openapi style: each fixup is a
//! function that repairs one documented upstream bug in the parsed spec
//! before the frontend reads it, and fails loudly when the spec no longer has
//! that bug, so fixes never rot silently once upstream repairs them.
//!
//! A panel lists its fixups in [`for_panel`]. SFTPGo needs none: its quirks
//! (two operations without `operationId`, `default` responses, the `oneOf`
//! answer of `dumpdata`, the path-level server of `/healthz`) are valid
//! OpenAPI and handled by the frontend and the emitter for every spec.

pub mod ionos;
pub mod ispconfig;

use openapiv3::OpenAPI;

/// One named spec fix.
#[derive(Clone, Copy, Debug)]
pub struct Fixup {
    /// Short name (`ionos_patch_bodies_are_json`).
    pub name: &'static str,
    /// The upstream bug, in one sentence.
    pub bug: &'static str,
    /// Repairs the spec; an `Err` when the bug is not there (anymore).
    pub apply: fn(&mut OpenAPI) -> Result<(), String>,
}

/// The fixups a panel's spec needs, in the order they run.
pub fn for_panel(panel: &str) -> &'static [Fixup] {
    match panel {
        "sftpgo" => &[],
        "ionos" => ionos::FIXUPS,
        _ => &[],
    }
}

/// The fixups of one version of a panel's spec: [`for_panel`], except for
/// older specs kept for diffs that lack some of the current bugs.
pub fn for_spec(panel: &str, version: Option<&str>) -> &'static [Fixup] {
    match (panel, version) {
        ("ionos", Some("v5")) => ionos::FIXUPS_V5,
        _ => for_panel(panel),
    }
}

/// Runs `fixups` in order; the first one that finds nothing to fix stops
/// extraction with its name and the bug it expected.
pub fn apply(spec: &mut OpenAPI, fixups: &[Fixup]) -> Result<(), String> {
    for fixup in fixups {
        (fixup.apply)(spec).map_err(|why| {
            format!(
                "fixup {} no longer applies ({why}); upstream bug was: {}. \
                 Remove the fixup if upstream fixed it.",
                fixup.name, fixup.bug
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rename_title(spec: &mut OpenAPI) -> Result<(), String> {
        if spec.info.title != "Wrong" {
            return Err(format!("title is {:?}", spec.info.title));
        }
        spec.info.title = "Right".to_owned();
        Ok(())
    }

    const FIX: Fixup = Fixup {
        name: "title",
        bug: "the title is wrong",
        apply: rename_title,
    };

    fn spec(title: &str) -> OpenAPI {
        crate::extract::openapi::parse(&format!(
            "openapi: 3.0.3\ninfo: {{title: {title}, version: '1'}}\npaths: {{}}\n"
        ))
        .unwrap()
    }

    #[test]
    fn a_fixup_repairs_its_bug() {
        let mut s = spec("Wrong");
        apply(&mut s, &[FIX]).unwrap();
        assert_eq!(s.info.title, "Right");
    }

    #[test]
    fn a_fixup_without_its_bug_fails_loudly() {
        let err = apply(&mut spec("Fine"), &[FIX]).unwrap_err();
        assert!(err.contains("fixup title no longer applies"), "{err}");
        assert!(err.contains("the title is wrong"), "{err}");
    }
}
