//! The helpdesk's attachment limits, known before anything is queued: asked
//! of the helpdesk (at most every few minutes), kept in the cache for when
//! it cannot be reached, and checked against every file the user attaches,
//! so a file it would refuse is refused here, with its reason, at once.

use std::path::Path;

use chrono::Utc;
use deskmate_api::{AttachmentKind, AttachmentLimits};
use serde::{Deserialize, Serialize};

use crate::{Core, CoreError, Result};

const META_KEY: &str = "attachment_limits";

/// How long limits heard from the helpdesk are used without asking again.
const FRESH_FOR_MS: i64 = 10 * 60 * 1000;

/// The limits as kept in the cache: whose, and when they were heard.
#[derive(Serialize, Deserialize)]
struct Kept {
    server_url: String,
    heard_at_ms: i64,
    limits: AttachmentLimits,
}

impl Core {
    /// What the signed-in account's helpdesk accepts: asked when last heard
    /// more than a few minutes ago; when it cannot be asked, what it said
    /// last, else deskmate-server's defaults.
    pub async fn attachment_limits(&self) -> Result<AttachmentLimits> {
        let Ok((session, client, _)) = self.signed_in().await else {
            return Ok(AttachmentLimits::default());
        };
        let kept = self
            .cache
            .meta(META_KEY)
            .await?
            .and_then(|json| serde_json::from_str::<Kept>(&json).ok())
            .filter(|k| k.server_url == session.server_url);
        let now = Utc::now().timestamp_millis();
        if let Some(k) = &kept
            && (0..FRESH_FOR_MS).contains(&(now - k.heard_at_ms))
        {
            return Ok(k.limits.clone());
        }
        match client.attachment_limits().await {
            Ok(limits) => {
                let fresh = Kept {
                    server_url: session.server_url,
                    heard_at_ms: now,
                    limits: limits.clone(),
                };
                if let Ok(json) = serde_json::to_string(&fresh) {
                    self.cache.set_meta(META_KEY, json).await?;
                }
                Ok(limits)
            }
            Err(e) => {
                tracing::info!(error = %e, "the helpdesk's attachment limits are not known now");
                Ok(kept.map(|k| k.limits).unwrap_or_default())
            }
        }
    }
}

/// Whether a file of `size` bytes and `kind` may be sent under `limits`:
/// the reason it may not, for the user.
pub(crate) fn check_file(
    limits: &AttachmentLimits,
    name: &str,
    size: u64,
    kind: Option<AttachmentKind>,
) -> Result<()> {
    if size > limits.max_file_bytes {
        let (mut file, mut most) = (shown_size(size), shown_size(limits.max_file_bytes));
        if file == most {
            (file, most) = (
                format!("{size} bytes"),
                format!("{} bytes", limits.max_file_bytes),
            );
        }
        return Err(CoreError::TooLarge(format!(
            "{name} is {file} and the helpdesk accepts files of at most {most}"
        )));
    }
    if let Some(kind) = kind
        && !limits.kinds.contains(&kind)
    {
        return Err(CoreError::Invalid(format!(
            "{name}: the helpdesk does not accept this kind of file ({kind})"
        )));
    }
    Ok(())
}

/// The size of the file at `path`, for the check before it is copied.
pub(crate) fn size_of(path: &Path) -> Result<u64> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| CoreError::Invalid(format!("cannot read {}: {e}", path.display())))
}

/// `bytes` in the largest unit that keeps a whole number in front:
/// `900 B`, `12.5 KiB`, `10.0 MiB`.
pub fn shown_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    match bytes {
        b if b < KIB => format!("{b} B"),
        b if b < KIB * KIB => format!("{:.1} KiB", b as f64 / KIB as f64),
        b => format!("{:.1} MiB", b as f64 / (KIB * KIB) as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_or_of_a_refused_kind_is_named_with_its_reason() {
        let limits = AttachmentLimits {
            max_file_bytes: 2048,
            kinds: vec![AttachmentKind::Png],
            ..AttachmentLimits::default()
        };
        assert!(check_file(&limits, "a.png", 2048, Some(AttachmentKind::Png)).is_ok());
        let big = check_file(&limits, "a.png", 2049, Some(AttachmentKind::Png)).unwrap_err();
        assert!(matches!(big, CoreError::TooLarge(_)));
        assert_eq!(
            big.to_string(),
            "a.png is 2049 bytes and the helpdesk accepts files of at most 2048 bytes"
        );
        let kind = check_file(&limits, "b.pdf", 10, Some(AttachmentKind::Pdf)).unwrap_err();
        assert!(
            kind.to_string().contains("does not accept this kind"),
            "{kind}"
        );
    }
}
