//! Keeping the cache and the helpdesk in step: [`pull`] brings what changed
//! (`/api/v1/sync` pages), [`outbox`] sends what the user wrote (drain,
//! backoff, delivery of every write kind), [`live`] follows the helpdesk's
//! event stream and runs the core's one retry clock. Each says what it
//! changed as `deskmate_api::LiveUpdate`s (what the shell hands the window as it is), so the window re-reads only that.

pub(crate) mod live;
pub(crate) mod outbox;
pub(crate) mod pull;

pub use live::FollowOptions;
pub use outbox::file_key;
