//! The data directory and the database hold personal data, the device
//! credential and the pass signing key: they are readable by their owner
//! only. New ones are created so (no window in which another user could
//! open them); ones left group- or world-accessible by an older version or
//! by hand are tightened, with a warning, at the next open.

use std::path::Path;

/// Creates `dir` (and missing parents) 0700, or tightens an existing one.
/// `holds_data`: the directory already has a store, so a lax mode exposed
/// it and deserves a warning; an empty directory someone made for the
/// station (with `mkdir`, 0755) is closed quietly.
pub(crate) fn data_dir(dir: &Path, holds_data: bool) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        tighten(dir, "data directory", holds_data);
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = holds_data;
        std::fs::create_dir_all(dir)
    }
}

/// Creates the database file 0600 before SQLite opens it, and tightens an
/// existing one and its companions. SQLite gives the `-wal` and `-shm` it
/// creates the main file's mode, so they start private too; ones that
/// already exist keep their mode, hence the look at them here.
pub(crate) fn db_files(db: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(db);
        match created {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            // SQLite meets the same problem when it opens the file and
            // reports it in the store's terms (read-only, cannot open).
            Err(e) => {
                tracing::debug!(path = %db.display(), error = %e, "database file not pre-created")
            }
        }
        tighten(db, "database file", true);
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            let companion = Path::new(&name);
            if companion.exists() {
                tighten(companion, "database file", true);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = db;
}

/// Clears the group and other permission bits of `path` if any is set;
/// `exposed`: warn that it was open (else an info line). Failing to close
/// it is logged, not fatal: the station must still record at the door, and
/// the person who can fix it reads the log.
#[cfg(unix)]
fn tighten(path: &Path, what: &'static str, exposed: bool) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 == 0 {
        return;
    }
    // A sticky directory (such as /tmp) is shared on purpose; closing it
    // would break other programs. The files inside are private anyway.
    if meta.is_dir() && mode & 0o1000 != 0 {
        tracing::info!(path = %path.display(), mode = format_args!("{mode:04o}"), "the {what} is a shared directory; keep the station's data in a directory of its own");
        return;
    }
    let private = mode & 0o700;
    match std::fs::set_permissions(path, std::fs::Permissions::from_mode(private)) {
        Ok(()) if exposed => tracing::warn!(
            path = %path.display(),
            was = format_args!("{mode:04o}"),
            now = format_args!("{private:04o}"),
            "the {what} was readable by other users; made it private to its owner"
        ),
        Ok(()) => tracing::info!(
            path = %path.display(),
            was = format_args!("{mode:04o}"),
            now = format_args!("{private:04o}"),
            "the {what} made private to its owner"
        ),
        Err(e) => tracing::warn!(
            path = %path.display(),
            mode = format_args!("{mode:04o}"),
            error = %e,
            "the {what} is readable by other users and could not be made private; fix its permissions"
        ),
    }
}
