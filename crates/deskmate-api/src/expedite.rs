//! The paid expedited response: a customer accepts the provider's price and
//! the ticket goes before every standard-response ticket in the queue
//! (`/api/v1/tickets/{id}/expedite`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An amount of money: in the currency's smallest unit (cents), with two
/// decimal places (`4900` EUR is 49.00 EUR).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Price {
    /// In the currency's smallest unit, e.g. `4900` for 49.00.
    #[ts(type = "number")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub amount_minor: i64,
    /// ISO 4217, three capital letters, e.g. `EUR`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Z]{3}$"))]
    pub currency: String,
}

impl Price {
    pub fn new(amount_minor: i64, currency: impl Into<String>) -> Self {
        Self {
            amount_minor,
            currency: currency.into(),
        }
    }

    /// Reads `49`, `49.5` or `49.00` (at most two decimals, more than zero)
    /// and a currency like `EUR` (any case); the problem in plain words.
    pub fn parse(amount: &str, currency: &str) -> Result<Self, String> {
        let amount = amount.trim();
        let bad = || format!("{amount:?} is not an amount like 49.00");
        let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || (amount.contains('.') && !digits(fraction)) || fraction.len() > 2 {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
        let amount_minor = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .ok_or_else(bad)?;
        let price = Self::new(amount_minor, currency.trim().to_ascii_uppercase());
        price.validate()?;
        Ok(price)
    }

    /// Reads a price as written on a command line: `49.00EUR`, `49.00 EUR`
    /// or `EUR 49.00`.
    pub fn parse_written(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let split = |at: usize| (&text[..at], &text[at..]);
        let (amount, currency) = match text.find(|c: char| c.is_ascii_alphabetic()) {
            Some(0) => {
                let at = text
                    .find(|c: char| !c.is_ascii_alphabetic())
                    .unwrap_or(text.len());
                let (currency, amount) = split(at);
                (amount, currency)
            }
            Some(at) => split(at),
            None => (text, ""),
        };
        Self::parse(amount, currency)
            .map_err(|e| format!("{e}: write the price as 49.00EUR ({text:?})"))
    }

    /// Checks the amount is positive and the currency three capital letters.
    pub fn validate(&self) -> Result<(), String> {
        if self.amount_minor <= 0 {
            return Err("the amount must be more than zero".into());
        }
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!(
                "{:?} is not a currency code like EUR",
                self.currency
            ));
        }
        Ok(())
    }
}

impl std::fmt::Display for Price {
    /// `49.00 EUR`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.amount_minor < 0 { "-" } else { "" };
        let abs = self.amount_minor.unsigned_abs();
        write!(f, "{sign}{}.{:02} {}", abs / 100, abs % 100, self.currency)
    }
}

/// An expedited response a customer bought for a ticket: their consent to
/// the price, and the charge the provider bills the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct ExpediteRequest {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub ticket_id: i64,
    /// The price the customer accepted, charged to the organisation.
    pub price: Price,
    /// Who accepted it.
    #[ts(type = "number")]
    pub requested_by_id: i64,
    pub requested_by_name: String,
    pub requested_at: DateTime<Utc>,
    /// The terms the customer accepted with the price.
    pub terms: String,
    /// The invoice that billed the charge; absent while it is pending.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    #[ts(type = "number | null")]
    pub invoice_id: Option<i64>,
}

/// `GET /api/v1/expedite-charges`: the organisation's expedited responses as
/// charges, newest first, one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct ExpediteChargeList {
    pub charges: Vec<ExpediteRequest>,
    /// Pass as `cursor` for the next page; `None` on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
}

/// `GET /api/v1/tickets/{id}/expedite`: what an expedited response of this
/// ticket costs now, and whether the caller can have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct ExpediteQuote {
    #[ts(type = "number")]
    pub ticket_id: i64,
    /// The price now: accept exactly this one.
    pub price: Price,
    /// What the customer agrees to.
    pub terms: String,
    /// Whether the caller can expedite the ticket now.
    pub can_expedite: bool,
    /// Why not, when `can_expedite` is false (closed, expedited already,
    /// not the caller's to pay for).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub refusal: Option<String>,
    /// Who expedited the ticket, when, at which price; absent while it is not.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub expedited: Option<ExpediteRequest>,
}

/// `POST /api/v1/tickets/{id}/expedite` request: the customer's consent to
/// the exact price they were shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewExpedite {
    pub accepted_price: Price,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_and_print_in_two_decimals() {
        assert_eq!(
            Price::parse("49.00", "eur").unwrap(),
            Price::new(4900, "EUR")
        );
        assert_eq!(Price::parse("49.5", "EUR").unwrap().amount_minor, 4950);
        assert_eq!(Price::parse("49", "EUR").unwrap().amount_minor, 4900);
        assert_eq!(Price::new(4905, "EUR").to_string(), "49.05 EUR");
        for bad in ["", "49.", ".5", "49.001", "-1", "0", "4 9", "1e3"] {
            assert!(Price::parse(bad, "EUR").is_err(), "{bad:?}");
        }
        assert!(Price::parse("49", "EURO").is_err());
        assert!(Price::parse("49", "").is_err());
    }

    #[test]
    fn written_prices_take_the_currency_on_either_side() {
        let p = Price::new(4900, "EUR");
        for text in ["49.00EUR", "49.00 EUR", "EUR 49.00", "eur49", " 49 eur "] {
            assert_eq!(Price::parse_written(text).unwrap(), p, "{text:?}");
        }
        for bad in ["49.00", "EUR", "49,00EUR", "49.00 E U R"] {
            assert!(Price::parse_written(bad).is_err(), "{bad:?}");
        }
    }
}
