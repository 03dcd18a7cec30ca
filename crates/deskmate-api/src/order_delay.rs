//! Order-delay information requests, as seed 000's portal has them: the
//! provider asks an organisation for one specific thing about a delayed
//! order (a resolution date, a site-access contact, the acceptance or
//! rejection of an extra charge, or information in words), and one of its
//! people answers once, in those typed fields.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Price;
use crate::limits::{BODY_MAX_CHARS, LINE_MAX_CHARS, REFERENCE_MAX_CHARS};
use crate::ticket::check_body;

/// What a site-access contact's phone number may look like: an optional
/// `+`, a digit, then digits, spaces and `( ) . / -`; 3 to 40 characters.
pub const PHONE_PATTERN: &str = "^\\+?[0-9][0-9 ()./-]*$";
/// The longest phone number, in characters.
pub const PHONE_MAX_CHARS: usize = 40;
/// How far ahead a resolution date may be, in days.
pub const RESOLUTION_AHEAD_MAX_DAYS: u64 = 730;

wire_enum! {
    /// Where an order-delay information request stands.
    OrderDelayStatus {
        /// Waiting for the customer's answer.
        Open => "open",
        Answered => "answered",
    }
}

wire_enum! {
    /// What the provider asks for.
    OrderDelayKind {
        /// Information in words (`answer`).
        Information => "information",
        /// The date by which the customer expects the cause resolved (`resolution_date`).
        ResolutionDate => "resolution_date",
        /// Who gives the technicians access to the site (`site_contact`;
        /// `resolution_date` optional: from when access is possible).
        SiteAccess => "site_access",
        /// Acceptance or rejection of the extra charge in `charge` (`charge_accepted`).
        ExtraCharge => "extra_charge",
    }
}

impl Default for OrderDelayKind {
    /// Requests made before typed requests existed asked in words.
    fn default() -> Self {
        Self::Information
    }
}

/// The person who gives the provider's technicians access to the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SiteContact {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 3, max_length = 40, pattern = "^\\+?[0-9][0-9 ()./-]*$")
    )]
    pub phone: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: Option<String>,
}

impl SiteContact {
    /// Surrounding space goes; an empty e-mail address is none.
    pub fn normalized(&self) -> Self {
        Self {
            name: self.name.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            email: self
                .email
                .as_deref()
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_owned),
        }
    }

    /// Checks every field; the problem in plain words.
    pub fn validate(&self) -> Result<(), String> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err("the site contact's name must not be empty".into());
        }
        if name.chars().count() > LINE_MAX_CHARS {
            return Err(format!(
                "the site contact's name must be at most {LINE_MAX_CHARS} characters"
            ));
        }
        check_phone(self.phone.trim())?;
        if let Some(email) = self.email.as_deref().filter(|e| !e.trim().is_empty()) {
            crate::check_email(email)?;
        }
        Ok(())
    }
}

fn check_phone(phone: &str) -> Result<(), String> {
    if phone.is_empty() {
        return Err("the site contact's phone number must not be empty".into());
    }
    let body = phone.strip_prefix('+').unwrap_or(phone);
    let shaped = body.starts_with(|c: char| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '.' | '/' | '-'));
    let len = phone.chars().count();
    if !shaped || !(3..=PHONE_MAX_CHARS).contains(&len) {
        return Err(format!(
            "{phone:?} is not a phone number (3 to {PHONE_MAX_CHARS} characters: \
             digits, spaces, ( ) . / -, an optional + first)"
        ));
    }
    Ok(())
}

/// The provider asks an organisation for what it needs to go on with a
/// delayed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct OrderDelayRequest {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub organisation_id: i64,
    pub order_number: String,
    pub question: String,
    /// What kind of answer it takes.
    #[serde(default)]
    pub kind: OrderDelayKind,
    /// The extra charge to accept or reject (`extra_charge` only).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub charge: Option<Price>,
    /// By when the provider needs the answer.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub due_at: Option<DateTime<Utc>>,
    pub status: OrderDelayStatus,
    /// The answer in words (`information`), or the note given with a typed answer.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub answer: Option<String>,
    /// The date answered (`resolution_date`, optionally `site_access`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub resolution_date: Option<NaiveDate>,
    /// The contact answered (`site_access`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub site_contact: Option<SiteContact>,
    /// Whether the charge was accepted (`extra_charge`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub charge_accepted: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub answered_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub answered_at: Option<DateTime<Utc>>,
}

impl OrderDelayRequest {
    /// This request with `answer` recorded (what the helpdesk will store).
    pub fn answered_with(mut self, answer: &OrderDelayAnswer) -> Self {
        let answer = answer.normalized();
        self.status = OrderDelayStatus::Answered;
        self.answer = Some(answer.answer).filter(|a| !a.is_empty());
        self.resolution_date = answer.resolution_date;
        self.site_contact = answer.site_contact;
        self.charge_accepted = answer.charge_accepted;
        self
    }
}

/// `POST /api/v1/order-delays` request (agents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewOrderDelay {
    #[ts(type = "number")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub organisation_id: i64,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = "\\S")
    )]
    pub order_number: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = "\\S")
    )]
    pub question: String,
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
    /// What kind of answer it takes; `information` when absent.
    #[serde(default)]
    pub kind: OrderDelayKind,
    /// Required for `extra_charge`, refused for the others.
    #[serde(default)]
    pub charge: Option<Price>,
}

impl NewOrderDelay {
    pub fn validate(&self) -> Result<(), String> {
        let order = self.order_number.trim();
        if order.is_empty() {
            return Err("order number must not be empty".into());
        }
        if order.chars().count() > REFERENCE_MAX_CHARS {
            return Err(format!(
                "order number must be at most {REFERENCE_MAX_CHARS} characters"
            ));
        }
        check_body(&self.question, "question")?;
        match (self.kind, &self.charge) {
            (OrderDelayKind::ExtraCharge, Some(charge)) => charge.validate(),
            (OrderDelayKind::ExtraCharge, None) => {
                Err("an extra_charge request needs its charge (amount_minor, currency)".into())
            }
            (kind, Some(_)) => Err(format!("a {kind} request has no charge")),
            (_, None) => Ok(()),
        }
    }
}

/// `POST /api/v1/order-delays/{id}/answer` request (customers): the field
/// the request's `kind` asks for, and optionally a note in `answer`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct OrderDelayAnswer {
    /// The answer in words: required for `information`, else an optional note.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub answer: String,
    /// `resolution_date` (required), `site_access` (optional); not in the past.
    #[serde(default)]
    pub resolution_date: Option<NaiveDate>,
    /// `site_access` only, required there.
    #[serde(default)]
    pub site_contact: Option<SiteContact>,
    /// `extra_charge` only, required there: `true` accepts the charge.
    #[serde(default)]
    pub charge_accepted: Option<bool>,
}

impl OrderDelayAnswer {
    /// An answer in words.
    pub fn words(answer: impl Into<String>) -> Self {
        Self {
            answer: answer.into(),
            ..Self::default()
        }
    }

    /// Surrounding space goes from the note and the contact.
    pub fn normalized(&self) -> Self {
        Self {
            answer: self.answer.trim().to_owned(),
            resolution_date: self.resolution_date,
            site_contact: self.site_contact.as_ref().map(SiteContact::normalized),
            charge_accepted: self.charge_accepted,
        }
    }

    /// Checks that the answer is the kind `kind` asks for and valid, on
    /// `today` (UTC); the problem in plain words.
    pub fn validate_for(&self, kind: OrderDelayKind, today: NaiveDate) -> Result<(), String> {
        if self.answer.chars().count() > BODY_MAX_CHARS {
            return Err(format!(
                "answer must be at most {BODY_MAX_CHARS} characters"
            ));
        }
        let wants = |what: &str| format!("this request asks for {what}");
        let typed = [
            ("resolution_date", self.resolution_date.is_some()),
            ("site_contact", self.site_contact.is_some()),
            ("charge_accepted", self.charge_accepted.is_some()),
        ];
        let allowed: &[&str] = match kind {
            OrderDelayKind::Information => &[],
            OrderDelayKind::ResolutionDate => &["resolution_date"],
            OrderDelayKind::SiteAccess => &["site_contact", "resolution_date"],
            OrderDelayKind::ExtraCharge => &["charge_accepted"],
        };
        if let Some((field, _)) = typed
            .iter()
            .find(|(field, given)| *given && !allowed.contains(field))
        {
            return Err(format!("this {kind} request takes no {field}"));
        }
        match kind {
            OrderDelayKind::Information => check_body(&self.answer, "answer")?,
            OrderDelayKind::ResolutionDate if self.resolution_date.is_none() => {
                return Err(wants("a resolution date (YYYY-MM-DD)"));
            }
            OrderDelayKind::SiteAccess => match &self.site_contact {
                None => return Err(wants("a site contact (name and phone)")),
                Some(contact) => contact.validate()?,
            },
            OrderDelayKind::ExtraCharge if self.charge_accepted.is_none() => {
                return Err(wants(
                    "charge_accepted: true to accept the charge, false to reject it",
                ));
            }
            _ => {}
        }
        if let Some(date) = self.resolution_date {
            check_resolution_date(date, today)?;
        }
        Ok(())
    }
}

/// A resolution date is not before yesterday (time zones) and at most
/// [`RESOLUTION_AHEAD_MAX_DAYS`] ahead of `today`.
fn check_resolution_date(date: NaiveDate, today: NaiveDate) -> Result<(), String> {
    let earliest = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let latest = today
        .checked_add_days(Days::new(RESOLUTION_AHEAD_MAX_DAYS))
        .unwrap_or(today);
    if date < earliest {
        return Err(format!("the resolution date {date} is in the past"));
    }
    if date > latest {
        return Err(format!(
            "the resolution date {date} is more than {RESOLUTION_AHEAD_MAX_DAYS} days ahead"
        ));
    }
    Ok(())
}

/// `GET /api/v1/order-delays`: the caller's organisation's (agents: all),
/// newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct OrderDelayList {
    pub order_delays: Vec<OrderDelayRequest>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    fn contact() -> SiteContact {
        SiteContact {
            name: "Ada Rossi".into(),
            phone: "+39 02 1234 5678".into(),
            email: None,
        }
    }

    #[test]
    fn each_kind_takes_its_own_answer() {
        let date = OrderDelayAnswer {
            resolution_date: Some(today()),
            ..OrderDelayAnswer::default()
        };
        let kind = OrderDelayKind::ResolutionDate;
        assert!(date.validate_for(kind, today()).is_ok());
        assert!(
            date.validate_for(OrderDelayKind::ExtraCharge, today())
                .is_err()
        );
        assert!(
            date.validate_for(OrderDelayKind::Information, today())
                .is_err()
        );
        let access = OrderDelayAnswer {
            site_contact: Some(contact()),
            ..date.clone()
        };
        assert!(
            access
                .validate_for(OrderDelayKind::SiteAccess, today())
                .is_ok()
        );
        assert!(access.validate_for(kind, today()).is_err());
        let charge = OrderDelayAnswer {
            charge_accepted: Some(false),
            ..OrderDelayAnswer::default()
        };
        assert!(
            charge
                .validate_for(OrderDelayKind::ExtraCharge, today())
                .is_ok()
        );
        assert!(
            OrderDelayAnswer::default()
                .validate_for(OrderDelayKind::ExtraCharge, today())
                .is_err()
        );
        assert!(
            OrderDelayAnswer::words("It is fixed")
                .validate_for(OrderDelayKind::Information, today())
                .is_ok()
        );
    }

    #[test]
    fn dates_are_not_in_the_past_nor_too_far_and_contacts_are_whole() {
        let on = |d: NaiveDate| OrderDelayAnswer {
            resolution_date: Some(d),
            ..OrderDelayAnswer::default()
        };
        let kind = OrderDelayKind::ResolutionDate;
        let days = |n| Days::new(n);
        assert!(on(today() - days(1)).validate_for(kind, today()).is_ok());
        assert!(on(today() - days(2)).validate_for(kind, today()).is_err());
        let far = today() + days(RESOLUTION_AHEAD_MAX_DAYS + 1);
        assert!(on(far).validate_for(kind, today()).is_err());
        for (name, phone, email) in [
            ("", "0212345", None),
            ("Ada", "", None),
            ("Ada", "call me", None),
            ("Ada", "12", None),
            ("Ada", "0212345", Some("not an address")),
        ] {
            let c = SiteContact {
                name: name.into(),
                phone: phone.into(),
                email: email.map(str::to_owned),
            };
            assert!(c.validate().is_err(), "{c:?}");
        }
        assert!(contact().validate().is_ok());
    }

    #[test]
    fn only_an_extra_charge_request_has_a_charge() {
        let mut new = NewOrderDelay {
            organisation_id: 1,
            order_number: "ORD-1".into(),
            question: "Do you accept the internal cabling charge?".into(),
            due_at: None,
            kind: OrderDelayKind::ExtraCharge,
            charge: None,
        };
        assert!(new.validate().is_err());
        new.charge = Some(Price::new(12_000, "EUR"));
        assert!(new.validate().is_ok());
        new.kind = OrderDelayKind::SiteAccess;
        assert!(new.validate().is_err());
        let old: NewOrderDelay = serde_json::from_str(
            r#"{"organisation_id": 1, "order_number": "A", "question": "Q?"}"#,
        )
        .unwrap();
        assert_eq!(old.kind, OrderDelayKind::Information);
    }
}
