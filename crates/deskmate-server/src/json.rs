//! A JSON body extractor whose every refusal is a typed `{"code","message"}`.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use deskmate_api::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest request body any route accepts (attachments will have their own route).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Like `axum::Json`, but malformed JSON, a missing field, an unknown field or a
/// wrong type is a 400 and an oversized body a 413, all in our error shape.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::bad_request(
                "the request body must be JSON (Content-Type: application/json)",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    ErrorCode::PayloadTooLarge,
                    format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
                )
            } else {
                ApiError::bad_request(format!("the request body could not be read: {rejection}"))
            }
        })?;
        decode(&bytes)
            .map(ApiJson)
            .map_err(|e| ApiError::bad_request(describe(&e)))
    }
}

/// Decodes a request body. JSON has one number type, and JSON Schema counts
/// `84.0` as the integer 84: a body whose integers are written with a zero
/// fraction is read as if they were written without one (only when the
/// plain reading failed, so ordinary bodies take one pass).
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    let first = match serde_json::from_slice(bytes) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    if first.classify() != serde_json::error::Category::Data {
        return Err(first);
    }
    let mut value: serde_json::Value = serde_json::from_slice(bytes)?;
    if !integral_floats_to_integers(&mut value) {
        return Err(first);
    }
    serde_json::from_value(value).map_err(|_| first)
}

/// Rewrites every float with no fraction that fits an `i64` as an integer;
/// says whether any was.
fn integral_floats_to_integers(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let Some(f) = n.as_f64() else { return false };
            // Both bounds exact in f64: -2^63 and 2^63.
            if f.fract() == 0.0
                && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
            {
                #[allow(clippy::cast_possible_truncation)] // integral and in range, checked above
                let i = f as i64;
                *value = Value::from(i);
                return true;
            }
            false
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |any, v| integral_floats_to_integers(v) | any),
        Value::Object(fields) => fields
            .values_mut()
            .fold(false, |any, v| integral_floats_to_integers(v) | any),
        _ => false,
    }
}

fn describe(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof => format!("malformed JSON: {e}"),
        Category::Data => format!("the request does not have the expected fields: {e}"),
        Category::Io => format!("the request body could not be read: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Body {
        minutes: u32,
        amount: i64,
        ratio: f64,
    }

    #[test]
    fn integers_written_with_a_zero_fraction_are_integers() {
        let body: Body = decode(br#"{"minutes": 60.0, "amount": -68670.0, "ratio": 0.5}"#).unwrap();
        assert_eq!(
            body,
            Body {
                minutes: 60,
                amount: -68670,
                ratio: 0.5
            }
        );
        let plain: Body = decode(br#"{"minutes": 30, "amount": 1, "ratio": 2}"#).unwrap();
        assert_eq!(plain.ratio, 2.0);
    }

    #[test]
    fn fractions_and_out_of_range_numbers_are_still_refused() {
        for body in [
            r#"{"minutes": 60.5, "amount": 1, "ratio": 0}"#,
            r#"{"minutes": -1.0, "amount": 1, "ratio": 0}"#,
            r#"{"minutes": 1, "amount": 1e30, "ratio": 0}"#,
            r#"{"minutes": "60", "amount": 1, "ratio": 0}"#,
        ] {
            let e = decode::<Body>(body.as_bytes()).unwrap_err();
            assert_eq!(e.classify(), serde_json::error::Category::Data, "{body}");
        }
        assert_eq!(
            decode::<Body>(b"{").unwrap_err().classify(),
            serde_json::error::Category::Eof
        );
    }
}
