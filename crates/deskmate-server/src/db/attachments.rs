//! Attachments' storage: metadata and bytes in one table (migration 0006),
//! stamped with the change counter like messages.

use deskmate_api::{Attachment, limits};

use super::*;

/// A file that passed every check of [`crate::handlers::attachments::prepare`], ready to store.
#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub file_name: String,
    /// Sniffed from the bytes.
    pub content_type: &'static str,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub bytes: Vec<u8>,
}

/// An attachment and its bytes, for the download.
#[derive(Debug)]
pub struct AttachmentContent {
    pub attachment: Attachment,
    pub bytes: Vec<u8>,
}

macro_rules! attachment_query {
    ($extra:literal, $tail:literal) => {
        concat!(
            "SELECT a.id, a.ticket_id, a.message_id, a.file_name, a.content_type, a.size_bytes, ",
            "a.sha256, a.width, a.height, a.created_ms, u.name AS author_name, ",
            "u.role AS author_role",
            $extra,
            " FROM attachments a JOIN users u ON u.id = a.author_id ",
            $tail
        )
    };
}

const ATTACHMENTS_OF: &str = attachment_query!(
    "",
    "WHERE a.ticket_id = $1 AND (NOT a.internal OR $2) ORDER BY a.id"
);
const ATTACHMENT_CONTENT: &str = attachment_query!(
    ", a.content",
    "WHERE a.ticket_id = $1 AND a.id = $2 AND (NOT a.internal OR $3)"
);
const SYNC_ATTACHMENTS: &str = attachment_query!(
    ", a.change_seq",
    "JOIN tickets t ON t.id = a.ticket_id \
     WHERE ($1 = 'all' OR ($1 = 'org' AND t.organisation_id = $2) \
     OR ($1 = 'own' AND t.requester_id = $2)) AND (NOT a.internal OR $3) \
     AND a.change_seq > $4 AND a.change_seq <= $5 ORDER BY a.change_seq LIMIT $6"
);
/// Takes the ticket's row lock (PostgreSQL) so uploads to one ticket take
/// turns and its limits hold; SQLite's writers take turns anyway.
const LOCK_TICKET: &str = "UPDATE tickets SET status = status WHERE id = $1";
const ATTACHED_SO_FAR: &str = "SELECT COUNT(*) AS n, \
     CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS total \
     FROM attachments WHERE ticket_id = $1";
const LINKED_MESSAGE: &str =
    "SELECT author_id, internal FROM messages WHERE id = $1 AND ticket_id = $2";
const STAMP_ATTACHMENT: &str = "UPDATE attachments SET change_seq = $1 WHERE id = $2";
const TOUCH_TICKET: &str = "UPDATE tickets SET updated_ms = $1 WHERE id = $2";

fn attachment_from_row(row: &impl Columns) -> ApiResult<Attachment> {
    let role = row.text("author_role")?;
    let side = |column: &str| -> ApiResult<Option<u32>> {
        row.opt_int(column)?
            .map(|v| {
                u32::try_from(v)
                    .map_err(|_| ApiError::internal(format_args!("stored {column} {v}")))
            })
            .transpose()
    };
    Ok(Attachment {
        id: row.int("id")?,
        ticket_id: row.int("ticket_id")?,
        message_id: row.opt_int("message_id")?,
        file_name: row.text("file_name")?,
        content_type: row.text("content_type")?,
        size_bytes: row.int("size_bytes")?,
        sha256: row.text("sha256")?,
        width: side("width")?,
        height: side("height")?,
        author_kind: author_kind(stored("role", &role, Role::parse(&role))?),
        author_name: row.text("author_name")?,
        created_at: from_millis(row.int("created_ms")?)?,
    })
}

impl Db {
    /// A ticket's attachments, oldest first; those of internal notes only when asked.
    pub async fn attachments(
        &self,
        ticket_id: i64,
        with_internal: bool,
    ) -> ApiResult<Vec<Attachment>> {
        let rows = self
            .fetch_all(sql(ATTACHMENTS_OF).bind(ticket_id).bind(with_internal))
            .await?;
        rows.iter().map(attachment_from_row).collect()
    }

    /// One attachment of a ticket with its bytes (`None`: unknown, or internal
    /// and not asked for).
    pub async fn attachment_content(
        &self,
        ticket_id: i64,
        attachment_id: i64,
        with_internal: bool,
    ) -> ApiResult<Option<AttachmentContent>> {
        let row = self
            .fetch_optional(
                sql(ATTACHMENT_CONTENT)
                    .bind(ticket_id)
                    .bind(attachment_id)
                    .bind(with_internal),
            )
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(AttachmentContent {
            attachment: attachment_from_row(&row)?,
            bytes: row.bytes("content")?,
        }))
    }

    /// The attachments (metadata) `scope` may see stamped after `cursor`,
    /// at most `limit`, with their change numbers, for `/sync`.
    pub(super) async fn attachments_changed(
        &self,
        (kind, viewer): (&'static str, i64),
        with_internal: bool,
        (cursor, high): (i64, i64),
        limit: i64,
    ) -> ApiResult<Vec<(i64, Attachment)>> {
        self.fetch_all(
            sql(SYNC_ATTACHMENTS)
                .bind(kind)
                .bind(viewer)
                .bind(with_internal)
                .bind(cursor)
                .bind(high)
                .bind(limit),
        )
        .await?
        .iter()
        .map(|r| Ok((r.int("change_seq")?, attachment_from_row(r)?)))
        .collect()
    }

    /// Stores a file on a ticket that is not closed, within the ticket's
    /// limits, linked to `message_id` (one of the author's messages on the
    /// ticket) if given; one transaction, announced like a message. The
    /// ticket holds at most `limits`' files and bytes (never more than
    /// [`limits`]' own).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment(
        &self,
        ticket_id: i64,
        author: &User,
        file: &NewAttachment,
        message_id: Option<i64>,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
        accepts: &deskmate_api::AttachmentLimits,
    ) -> ApiResult<Written<Attachment>> {
        let max_files =
            (limits::TICKET_ATTACHMENTS_MAX_COUNT as i64).min(i64::from(accepts.max_ticket_files));
        let max_bytes = (limits::TICKET_ATTACHMENTS_MAX_BYTES as i64)
            .min(i64::try_from(accepts.max_ticket_bytes).unwrap_or(i64::MAX));
        const INSERT: &str = "INSERT INTO attachments (ticket_id, message_id, author_id, \
             file_name, content_type, size_bytes, sha256, width, height, internal, created_ms, \
             content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
        let size = i64::try_from(file.bytes.len()).map_err(ApiError::internal)?;
        self.write(author.id, idempotency, 201, async |tx| {
            let locked = tx
                .execute(sql(LOCK_TICKET).bind(ticket_id))
                .await?
                .rows_affected();
            if locked == 0 {
                return Err(ApiError::not_found(format!("no ticket #{ticket_id}")));
            }
            let row = tx.fetch_one(sql(TICKET_BY_ID).bind(ticket_id)).await?;
            let ticket = ticket_from_row(&row)?;
            if ticket.status == TicketStatus::Closed {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "this ticket is closed: reopen it before attaching files",
                ));
            }
            let internal = match message_id {
                None => false,
                Some(id) => {
                    let row = tx
                        .fetch_optional(sql(LINKED_MESSAGE).bind(id).bind(ticket_id))
                        .await?;
                    let linked = row
                        .map(|r| Ok::<_, ApiError>((r.int("author_id")?, r.flag("internal")?)))
                        .transpose()?
                        .filter(|(_, internal)| !internal || author.role == Role::Agent);
                    match linked {
                        None => {
                            return Err(ApiError::not_found(format!(
                                "no message #{id} on this ticket"
                            )));
                        }
                        Some((by, _)) if by != author.id => {
                            return Err(ApiError::forbidden(
                                "files can be attached to your own messages only",
                            ));
                        }
                        Some((_, internal)) => internal,
                    }
                }
            };
            let so_far = tx.fetch_one(sql(ATTACHED_SO_FAR).bind(ticket_id)).await?;
            let (count, total) = (so_far.int("n")?, so_far.int("total")?);
            if count >= max_files {
                return Err(ApiError::validation(format!(
                    "a ticket holds at most {max_files} files"
                )));
            }
            if total + size > max_bytes {
                return Err(ApiError::validation(format!(
                    "a ticket holds at most {} of files; this one has {} bytes left",
                    mib(max_bytes),
                    (max_bytes - total).max(0)
                )));
            }
            let row = tx
                .fetch_one(
                    sql(INSERT)
                        .bind(ticket_id)
                        .bind(message_id)
                        .bind(author.id)
                        .bind(file.file_name.clone())
                        .bind(file.content_type)
                        .bind(size)
                        .bind(file.sha256.clone())
                        .bind(file.width.map(i64::from))
                        .bind(file.height.map(i64::from))
                        .bind(internal)
                        .bind(millis(now))
                        .bind(file.bytes.clone()),
                )
                .await?;
            let id = row.int("id")?;
            let change = |seq, kind, id, internal| ChangeEvent {
                seq,
                kind,
                id,
                ticket_id: Some(ticket_id),
                audience: Audience::Ticket {
                    organisation_id: ticket.organisation_id,
                    requester_id: ticket.requester_id,
                    internal,
                },
            };
            let mut events = Vec::new();
            if !internal {
                tx.execute(sql(TOUCH_TICKET).bind(millis(now)).bind(ticket_id))
                    .await?;
                events.push(change(
                    tx.stamp(STAMP_TICKET, ticket_id).await?,
                    ChangeKind::Ticket,
                    ticket_id,
                    false,
                ));
            }
            events.push(change(
                tx.stamp(STAMP_ATTACHMENT, id).await?,
                ChangeKind::Attachment,
                id,
                internal,
            ));
            let attachment = Attachment {
                id,
                ticket_id,
                message_id,
                file_name: file.file_name.clone(),
                content_type: file.content_type.to_owned(),
                size_bytes: size,
                sha256: file.sha256.clone(),
                width: file.width,
                height: file.height,
                author_kind: author_kind(author.role),
                author_name: author.name.clone(),
                created_at: from_millis(millis(now))?,
            };
            Ok((attachment, events))
        })
        .await
    }
}

/// `bytes` in MiB, or in bytes when less than one.
fn mib(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}
