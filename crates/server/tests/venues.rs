//! `admin import-venues` and `admin venue list`, through the binary, on
//! SQLite and on PostgreSQL when configured.

mod common;
use common::{admin_cli as admin, databases, stdout_of};

fn list(db: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["venue", "list", "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&stdout_of(&admin(db, &args))).unwrap()
}

#[tokio::test]
async fn a_province_moves_its_qr_points_in_from_csv() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("points.csv");
    // A byte-order mark and CRLF, as spreadsheets save; a quoted address with
    // a comma; both date forms officials write.
    std::fs::write(
        &file,
        "\u{feff}name,category,commune_code,address,registered_on\r\n\
         Chợ Trung Xuân,market,14995,\"Bản Muống, xã Trung Xuân\",2021-08-02\r\n\
         Trường THCS Sơn Lư,school,14998,Khu 1,09/08/2021\r\n\
         UBND xã Phú Nghiêm,workplace,15001,,2021-08-10\r\n",
    )
    .unwrap();
    for (name, db) in databases(dir.path(), "venues.db").await {
        let out = stdout_of(&admin(&db, &["import-venues", file.to_str().unwrap()]));
        let ids: Vec<&str> = out.lines().collect();
        assert_eq!(ids.len(), 3, "{name}: {out}");
        for (id, commune) in ids.iter().zip(["14995", "14998", "15001"]) {
            assert!(id.starts_with(&format!("38-{commune}-")), "{name}: {id}");
        }
        let all = list(&db, &[]);
        let got: Vec<(&str, &str, &str, &str)> = all
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["id"].as_str().unwrap(),
                    v["name"].as_str().unwrap(),
                    v["registered_on"].as_str().unwrap(),
                    v["district_code"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (ids[0], "Chợ Trung Xuân", "2021-08-02", "387"),
                (ids[1], "Trường THCS Sơn Lư", "2021-08-09", "387"),
                (ids[2], "UBND xã Phú Nghiêm", "2021-08-10", "388"),
            ],
            "{name}"
        );
        assert_eq!(all[0]["address"], "Bản Muống, xã Trung Xuân", "{name}");
        // Filters by district, commune and venue.
        assert_eq!(list(&db, &["--unit", "387"]).as_array().unwrap().len(), 2);
        assert_eq!(list(&db, &["--unit", "15001"])[0]["id"], ids[2]);
        assert_eq!(list(&db, &["--unit", ids[1]])[0]["id"], ids[1]);
        let csv = stdout_of(&admin(&db, &["venue", "list", "--format", "csv"]));
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("id,name,category,commune_code,district_code,province_code,address,registered_on,created_at")
        );
        let first = lines.next().unwrap();
        assert!(
            first.starts_with(&format!(
                "{},Chợ Trung Xuân,market,14995,387,38,\"Bản Muống, xã Trung Xuân\",2021-08-02,",
                ids[0]
            )),
            "{name}: {first}"
        );
        // A venue added by hand counts from today.
        let added = stdout_of(&admin(
            &db,
            &[
                "venue",
                "add",
                "--name",
                "Quầy thuốc",
                "--category",
                "other",
                "--commune",
                "14995",
            ],
        ));
        let today = checkin_core::calendar::local_date(&chrono::Utc::now()).to_string();
        let v = list(&db, &["--unit", added.trim()]);
        assert_eq!(v[0]["registered_on"], today, "{name}");
    }
}

#[tokio::test]
async fn a_bad_row_names_its_line_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "name,category,commune_code,address,registered_on\n\
             Chợ Trung Xuân,market,14995,,2021-08-02\n\
             ,school,14998,,2021-08-09\n\
             Trạm y tế,clinic,99999,,2021-08-09\n\
             Quầy thuốc,spaceport,14995,,2021-08-09\n\
             Nhà văn hóa,workplace,14995,,2021-13-45\n\
             Tiệm tạp hóa,other,14995,,2019-12-31\n",
            vec![
                "line 3: name is empty",
                "line 4: unknown commune \"99999\"",
                "line 5:",
                "line 6: registered_on \"2021-13-45\" is not a date",
                "line 7: registered_on 2019-12-31 is outside",
            ],
        ),
        (
            "ten,loai,xa,dia_chi,ngay\nChợ,market,14995,,2021-08-02\n",
            vec!["line 1: the header must be name,category,commune_code,address,registered_on"],
        ),
        (
            "name,category,commune_code,address,registered_on\nChợ,market,14995\n",
            vec!["line 2: 3 columns, expected 5"],
        ),
        (
            "name,category,commune_code,address,registered_on\n",
            vec!["no venues"],
        ),
    ];
    for (name, db) in databases(dir.path(), "venues.db").await {
        for (i, (text, wants)) in cases.iter().enumerate() {
            let file = dir.path().join(format!("bad{i}.csv"));
            std::fs::write(&file, text).unwrap();
            let out = admin(&db, &["import-venues", file.to_str().unwrap()]);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name} case {i}: {err}");
            assert!(out.stdout.is_empty(), "{name} case {i}");
            for want in wants {
                assert!(err.contains(want), "{name} case {i}: {want:?} not in {err}");
            }
            assert!(!err.contains("panicked"), "{err}");
        }
        assert_eq!(list(&db, &[]), serde_json::json!([]), "{name}");
    }
}

fn report(db: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(common::BIN)
        .arg("report")
        .args(args)
        .args(["--database", db])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

#[tokio::test]
async fn reports_print_json_and_the_officials_csv() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("points.csv");
    std::fs::write(
        &file,
        "name,category,commune_code,address,registered_on\n\
         Chợ Trung Xuân,market,14995,,2021-08-02\n\
         Trường THCS Sơn Lư,school,14998,,2021-08-12\n",
    )
    .unwrap();
    for (name, db) in databases(dir.path(), "venues.db").await {
        stdout_of(&admin(&db, &["import-venues", file.to_str().unwrap()]));
        let q = ["qr-points", "--unit", "387", "--as-of", "2021-08-15"];
        let json: serde_json::Value = serde_json::from_str(&stdout_of(&report(
            &db,
            &[&q[..], &["--format", "json"]].concat(),
        )))
        .unwrap();
        assert_eq!(json["unit"]["name"], "Huyện Quan Sơn", "{name}");
        assert_eq!(json["compare"], "2021-08-08");
        assert_eq!(json["total"]["venues"], 2);
        // One of them was a QR point already on the compare date.
        assert_eq!(json["total"]["venues_change"], 1);
        let csv = stdout_of(&report(&db, &[&q[..], &["--format", "csv"]].concat()));
        assert_eq!(
            csv,
            "\u{feff}STT,Huyện,Thị trấn/xã,Tổng số địa điểm tạo mã QR,Tổng lượt quét,\
             Tăng/giảm địa điểm,Tăng/giảm lượt quét,Thấp\r\n\
             1,Huyện Quan Sơn,Xã Trung Xuân,1,0,0,0,x\r\n\
             2,Huyện Quan Sơn,Thị trấn Sơn Lư,1,0,1,0,x\r\n\
             ,Tổng cộng,,2,0,1,0,\r\n",
            "{name}"
        );
        let silent: serde_json::Value = serde_json::from_str(&stdout_of(&report(
            &db,
            &["silent-points", "--unit", "38", "--week", "2021-W32"],
        )))
        .unwrap();
        assert_eq!(
            silent["sent_no_data"].as_array().unwrap().len(),
            2,
            "{name}"
        );
        for (args, want) in [
            (vec!["qr-points"], "needs --unit"),
            (vec!["nonsense", "--unit", "387"], "unknown report"),
            (vec!["qr-points", "--unit", "99"], "unknown unit"),
            (vec!["qr-points", "--unit", "14995"], "district or province"),
            (
                vec!["silent-points", "--unit", "38", "--week", "2021-32"],
                "ISO week",
            ),
            (
                vec!["e-vs-paper", "--unit", "38", "--from", "2021-08-09"],
                "--to",
            ),
            (
                vec!["qr-points", "--unit", "387", "--format", "pdf"],
                "unknown format",
            ),
        ] {
            let out = report(&db, &args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name} {args:?}: {err}");
            assert!(err.contains(want), "{name} {args:?}: {err}");
        }
    }
}
