//! The README stays true: every diagnostic code is listed, the quick-start scripts exist.

use crate::common;

use kenkomap::diagnostics::Code;

#[test]
fn every_diagnostic_code_is_in_the_readme_table() {
    let readme = std::fs::read_to_string(common::manifest_dir().join("README.md")).unwrap();
    for code in Code::ALL {
        let row = format!("| {} | {} |", code.id(), code.title());
        assert!(readme.contains(&row), "README lacks the row `{row} …`");
    }
}

#[test]
fn quick_start_scripts_exist() {
    let readme = std::fs::read_to_string(common::manifest_dir().join("README.md")).unwrap();
    for script in ["scripts/demo", "scripts/test"] {
        assert!(readme.contains(script));
        let path = common::manifest_dir().join(script);
        assert!(path.is_file(), "{script} is missing");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert!(
                path.metadata().unwrap().permissions().mode() & 0o111 != 0,
                "{script} is not executable"
            );
        }
    }
    let ci = std::fs::read_to_string(common::manifest_dir().join(".ci/run")).unwrap();
    assert!(
        ci.contains("scripts/test"),
        ".ci/run runs the README's test command"
    );
}
