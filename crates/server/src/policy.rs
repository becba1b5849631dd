//! The verdict policy the server hands every device (`serve --policy
//! FILE.json`): a `checkin_core::Policy` as JSON, fields left out keep their
//! defaults, and a field this server does not know is refused at start-up
//! rather than silently ignored (a misspelt rule would otherwise never apply).

use crate::error::ServerError;
use checkin_core::Policy;
use std::path::Path;

/// Reads a policy from JSON text, refusing fields `Policy` does not have.
pub fn parse_policy(text: &str) -> Result<Policy, ServerError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ServerError::Invalid(format!("policy is not JSON: {e}")))?;
    let Some(fields) = value.as_object() else {
        return Err(ServerError::Invalid(
            "policy must be a JSON object of policy fields".into(),
        ));
    };
    let known = known_fields();
    let unknown: Vec<&str> = fields
        .keys()
        .map(String::as_str)
        .filter(|k| !known.iter().any(|f| f == k))
        .collect();
    if !unknown.is_empty() {
        return Err(ServerError::Invalid(format!(
            "unknown policy field(s) {}; known fields: {}",
            unknown.join(", "),
            known.join(", ")
        )));
    }
    // Parsed from the text, not the value, so errors name a line and column.
    serde_json::from_str(text).map_err(|e| ServerError::Invalid(format!("policy: {e}")))
}

/// Reads the policy file at `path` (see [`parse_policy`]).
pub fn load_policy(path: &Path) -> Result<Policy, ServerError> {
    let text = std::fs::read_to_string(path).map_err(|source| ServerError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse_policy(&text).map_err(|e| ServerError::Invalid(format!("{}: {e}", path.display())))
}

/// The field names of `Policy`, as it serialises.
fn known_fields() -> Vec<String> {
    match serde_json::to_value(Policy::default()) {
        Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkin_core::Symptom;

    #[test]
    fn fields_left_out_keep_defaults_and_unknown_ones_are_refused() {
        let p = parse_policy(r#"{"require_declaration": true, "pass_valid_days": 7}"#).unwrap();
        assert!(p.require_declaration);
        assert_eq!(p.pass_valid_days, 7);
        assert_eq!(p.red_symptoms, Policy::default().red_symptoms);
        let p = parse_policy(r#"{"red_symptoms": ["cough"]}"#).unwrap();
        assert_eq!(p.red_symptoms, [Symptom::Cough]);
        assert_eq!(parse_policy("{}").unwrap(), Policy::default());

        let err = parse_policy(r#"{"require_declaraton": true}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unknown policy field(s) require_declaraton"),
            "{err}"
        );
        assert!(err.contains("require_declaration"), "{err}");
        for bad in [
            "",
            "[]",
            "{",
            r#"{"red_symptoms": ["hiccups"]}"#,
            r#"{"pass_valid_days": -1}"#,
            r#"{"require_declaration": "yes"}"#,
        ] {
            assert!(parse_policy(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn certificate_rules_are_read_and_their_misspellings_refused() {
        let p = parse_policy(r#"{"certificates": {"test": null, "recovery": {"max_days": 90}}}"#)
            .unwrap();
        assert_eq!(p.certificates.test, None);
        assert_eq!(p.certificates.recovery.map(|r| r.max_days), Some(90));
        assert_eq!(
            p.certificates.vaccination,
            Policy::default().certificates.vaccination
        );
        for bad in [
            r#"{"certificates": {"tests": null}}"#,
            r#"{"certificates": {"test": {"max_hour": 48}}}"#,
            r#"{"certificates": {"vaccination": {"min_days": -1}}}"#,
        ] {
            assert!(parse_policy(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let err = load_policy(Path::new("/nonexistent/policy.json"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/policy.json"), "{err}");
    }
}
