#!/usr/bin/env python3
"""For measurement only, never to commit: takes issue 8's request-path limits
out of a copy of the server's source, to compare the 200-device benchmark
with and without them (docs/benchmarks.md, "The abuse limits alone").

    git worktree add /tmp/nolimits HEAD
    bench/sync/without-limits.py /tmp/nolimits
    (cd /tmp/nolimits && cargo build --release -p checkin-e2e --bin sync-bench)
    AB_TMPFS=1 bench/sync/ab.sh 8 /tmp/nolimits/target/release/sync-bench target/release/sync-bench

Removed: the hyper builder (header, idle and write timeouts, connection
caps) in favour of plain axum::serve; the batch slots; per-record admission
checks; the credential read on every request (cached in memory instead);
large batches' hop to the blocking pool (inflated and parsed in place).
Each edit asserts that the code it replaces is still there.
"""
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".") / "crates/server/src"


def edit(rel, old, new):
    p = root / rel
    s = p.read_text()
    if old not in s:
        sys.exit(f"{p}: the code to replace has changed; update this script")
    p.write_text(s.replace(old, new, 1))


edit("serve.rs", """    let limits = state.limits.clone();
    let app = router(state);""", """    #[allow(unreachable_code)]
    {
        let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        return axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
    }
    let state: AppState = unreachable!();
    let limits = state.limits.clone();
    let app = router(state);""")
edit("device_api/mod.rs", "    let _slot = st.load.enter(device.id).await?;\n", "")
edit("device_api/mod.rs", """    checkin_core::admission::check(&record, at.now, at.policy)
        .map_err(|p| format!("{}: {}", p.code(), truncate(&p.to_string(), 300)))?;
""", "")
edit("limits.rs", """        tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .map_err(|e| internal(&e.to_string()))""", """        let out = work();
        drop(permit);
        Ok(out)""")
edit("device_api/auth.rs", """        let device = st
            .db
            .device_by_credential(&secrets::hash_hex(token.as_bytes()))
            .await
            .map_err(ApiError::storage)?
            .ok_or_else(unauthorized)?;""", """        static CACHE: std::sync::OnceLock<
            std::sync::Mutex<std::collections::HashMap<String, checkin_server_db::Device>>,
        > = std::sync::OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let hash = secrets::hash_hex(token.as_bytes());
        let cached = cache.lock().unwrap().get(&hash).cloned();
        let device = match cached {
            Some(d) => d,
            None => {
                let d = st
                    .db
                    .device_by_credential(&hash)
                    .await
                    .map_err(ApiError::storage)?
                    .ok_or_else(unauthorized)?;
                cache.lock().unwrap().insert(hash, d.clone());
                d
            }
        };""")
print(f"limits taken out of {root}")
