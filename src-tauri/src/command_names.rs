/// Every command of the app, in one list. `build.rs` grants them to the main
/// window, `lib.rs` registers their handlers from it, and a test checks that
/// the UI's `COMMANDS` (ui/src/shared/backend.ts) names the same ones.
/// Calls `$m!(name, …)` with the list.
macro_rules! for_each_command {
    ($m:ident) => {
        $m!(
            station_status,
            ui_ready,
            gate_admit,
            gate_manual,
            gate_recent,
            gate_set_direction,
            camera_list,
            camera_start,
            camera_stop,
            camera_frame,
            kiosk_declare,
            kiosk_unlock,
            set_kiosk_pin,
            units,
            paper_declare,
            paper_visit,
            same_day,
            quarantine_list,
            quarantine_register,
            quarantine_find,
            quarantine_update,
            sync_now,
            rejected_list,
            rejected_requeue,
            rejected_fix_venue,
            enroll,
            settings_update
        )
    };
}

macro_rules! command_name_list {
    ($($name:ident),*) => {
        &[$(stringify!($name)),*]
    };
}

/// The command names, as the page invokes them.
pub const COMMAND_NAMES: &[&str] = for_each_command!(command_name_list);
