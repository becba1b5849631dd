//! Where the device store lives: the same place, chosen the same way, as the
//! `checkin` CLI, so the app and the station CLI see one queue.

use std::ffi::OsString;
use std::path::PathBuf;

/// Environment variable that overrides the platform data directory.
pub const ENV_DATA_DIR: &str = "CHECKIN_DATA_DIR";

/// The data directory for this process: `--data-dir DIR` on the command
/// line, else `CHECKIN_DATA_DIR` when set and not empty, else the platform
/// data directory of `vn.checkin.checkin` (e.g. `~/.local/share/checkin`).
/// `None` only when none of these exists (no home directory).
pub fn resolve() -> Option<PathBuf> {
    choose(
        std::env::args_os().skip(1),
        std::env::var_os(ENV_DATA_DIR),
        platform_dir(),
    )
}

/// The platform data directory the CLI also defaults to.
pub fn platform_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("vn", "checkin", "checkin").map(|p| p.data_dir().to_path_buf())
}

fn choose(
    args: impl IntoIterator<Item = OsString>,
    env: Option<OsString>,
    platform: Option<PathBuf>,
) -> Option<PathBuf> {
    if let Some(dir) = flag_value(args) {
        return Some(dir);
    }
    match env {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => platform,
    }
}

/// The value of `--data-dir DIR` or `--data-dir=DIR`; the last one wins.
/// Other arguments are left for Tauri and the WebView.
fn flag_value(args: impl IntoIterator<Item = OsString>) -> Option<PathBuf> {
    let mut found = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            found = args
                .next()
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or(found);
        } else if let Some(v) = arg.to_str().and_then(|a| a.strip_prefix("--data-dir=")) {
            if !v.is_empty() {
                found = Some(PathBuf::from(v));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn precedence_is_flag_then_env_then_platform() {
        let platform = Some(PathBuf::from("/home/u/.local/share/checkin"));
        let cases: &[(&[&str], Option<&str>, Option<&str>)] = &[
            (&[], None, Some("/home/u/.local/share/checkin")),
            (&[], Some(""), Some("/home/u/.local/share/checkin")),
            (&[], Some("/env"), Some("/env")),
            (&["--data-dir", "/flag"], Some("/env"), Some("/flag")),
            (&["--data-dir=/flag"], Some("/env"), Some("/flag")),
            (&["--data-dir=/a", "--data-dir", "/b"], None, Some("/b")),
            (&["--data-dir"], Some("/env"), Some("/env")),
            (
                &["--data-dir", ""],
                None,
                Some("/home/u/.local/share/checkin"),
            ),
            (
                &["--other", "x"],
                None,
                Some("/home/u/.local/share/checkin"),
            ),
        ];
        for (args, env, want) in cases {
            let got = choose(os(args), env.map(OsString::from), platform.clone());
            assert_eq!(got, want.map(PathBuf::from), "args {args:?} env {env:?}");
        }
    }

    #[test]
    fn none_without_any_source() {
        assert_eq!(choose(os(&[]), None, None), None);
    }

    #[test]
    fn platform_dir_matches_the_cli() {
        // The CLI uses ProjectDirs::from("vn", "checkin", "checkin") too; a home
        // directory exists on every machine the tests run on.
        let dir = platform_dir().expect("platform data dir");
        assert!(dir.ends_with("checkin"), "{}", dir.display());
    }
}
