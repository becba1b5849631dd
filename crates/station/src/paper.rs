//! Paper entry: declarations and logbooks filled in on paper while a site was
//! offline or for people without phones, typed in later with the date and
//! time written on the paper. The records keep the device clock too.

use crate::kiosk::DeclareInput;
use crate::{
    typed_view, Admission, Declared, PaperDeclaration, PaperVisit, Result, SameDayRecord, Station,
    StationError,
};
use checkin_core::{CheckIn, PayloadKind, Source, Subject, TypedPerson, Verdict};
use chrono::NaiveDate;

impl Station {
    /// Stores a paper declaration (source `paper`) dated as written, and the
    /// visit it records when a direction is given.
    pub fn declare_on_paper(&mut self, input: PaperDeclaration) -> Result<Declared> {
        self.declare(DeclareInput {
            declaration: input.declaration,
            source: Source::Paper,
            venue_id: None,
            occurred_at: Some(input.written_at),
            visit: input.direction,
            issue_pass: false,
        })
    }

    /// Stores a line of a paper logbook as a check-in (source `paper`) at the
    /// station's venue, at the time written.
    pub fn visit_on_paper(&mut self, input: PaperVisit) -> Result<Admission> {
        let venue = self.venue()?;
        let now = self.now();
        if input.written_at > now + chrono::Duration::minutes(5) {
            return Err(StationError::bad(
                "time_in_future",
                "the date and time written in the logbook are later than now: check them (and this station's clock)",
            ));
        }
        input
            .person
            .validate(input.written_at.date_naive())
            .map_err(StationError::InvalidPerson)?;
        // The paper says who came, not how they were: the verdict is the
        // declaration's of that day when there is one, else unknown (amber).
        let subject = Subject::Typed(input.person.clone());
        let verdict = match self.identity_of(&subject)? {
            Some(key) => self
                .store
                .declaration_of_person_on(&key, input.written_at.date_naive())?
                .map(|d| d.verdict),
            None => None,
        }
        .unwrap_or_else(|| {
            Verdict::with(
                checkin_core::Level::Amber,
                checkin_core::Reason::NoDeclaration,
            )
        });
        let mut checkin = CheckIn::new(
            venue,
            input.direction,
            Source::Paper,
            self.store.device_id(),
            now,
            subject,
            verdict,
            None,
        );
        checkin.occurred_at = Some(input.written_at);
        self.store.record_checkin(&mut checkin)?;
        Ok(Admission::Recorded {
            checkin_id: checkin.id.to_string(),
            verdict: checkin.verdict,
            person: Some(typed_view(&input.person)),
            kind: PayloadKind::Text,
            direction: input.direction,
            at: input.written_at,
            pass: None,
        })
    }

    /// Records of a typed person on `day` (the warning before typing a
    /// second paper record for the same person and day).
    pub fn same_day_for(&self, person: &TypedPerson, day: NaiveDate) -> Result<Vec<SameDayRecord>> {
        match person.identity_key() {
            Some(key) => self.same_day_records(&key, day),
            None => Ok(Vec::new()),
        }
    }
}
