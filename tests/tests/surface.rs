//! API-surface snapshots: one line per public item of each generated crate and
//! of the overlay (`panelkit`), so
//! a regeneration after a panel upgrade shows up in `cargo insta review`.

use codegen::regen::{workspace_root, PANELS};

#[test]
fn generated_crate_surfaces() {
    let root = workspace_root();
    for panel in PANELS {
        let listing =
            codegen::surface::list(&root.join(panel.crate_dir)).unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(panel.crate_name, listing);
    }
}

/// The hand-audited overlay's surface: a helper added, removed or changed in
/// signature shows up in review like a generated one.
#[test]
fn overlay_crate_surface() {
    let listing = codegen::surface::list(&workspace_root().join("crates/panelkit"))
        .unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("panelkit", listing);
}
