//! `deskmate ticket expedite ID`: the price of an expedited response, and
//! with `--accept-price` the consent to it, through the outbox.

use std::io::{self, Write};

use deskmate_api::{ErrorCode, ExpediteQuote, OutboxState, Price};
use deskmate_core::Core;

use crate::commands::require_session;
use crate::output::{local_time, multi_line, one_line};
use crate::{Failure, Outcome};

/// Reads `--accept-price` as written: `49.00EUR`, `49.00 EUR`, `EUR 49.00`.
pub fn price_parser(text: &str) -> Result<Price, String> {
    Price::parse_written(text)
}

pub async fn expedite(core: &Core, id: i64, accept: Option<Price>) -> Outcome {
    require_session(core).await?;
    let quote = match core.expedite_quote(id).await {
        Ok(quote) => Some(quote),
        // Offline a price can still be accepted: the helpdesk checks it is
        // the current one when the consent arrives, and refuses it if not.
        Err(e) if e.code() == ErrorCode::Network && accept.is_some() => {
            tracing::warn!("{e}");
            None
        }
        Err(e) => return Err(e.into()),
    };
    let mut out = io::stdout().lock();
    if let Some(quote) = &quote {
        write_quote(&mut out, quote)?;
    }
    let Some(accept) = accept else {
        if let Some(quote) = quote.filter(|q| q.can_expedite) {
            let written = quote.price.to_string().replace(' ', "");
            writeln!(
                out,
                "To buy it: deskmate ticket expedite {id} --accept-price {written}"
            )?;
        }
        return Ok(());
    };
    if let Some(quote) = &quote {
        if let Some(why) = &quote.refusal {
            return Err(Failure::Message(format!("cannot expedite: {why}")));
        }
        if accept != quote.price {
            return Err(Failure::Message(format!(
                "the price is {}, not {accept}: nothing was requested; accept exactly the \
                 price shown",
                quote.price
            )));
        }
    } else {
        writeln!(
            out,
            "The helpdesk cannot be reached to confirm the price; your consent to {accept} is \
             queued and refused if the price changed."
        )?;
    }
    match core.expedite(id, accept).await? {
        None => writeln!(out, "sent")?,
        Some(item) if item.state == OutboxState::Failed => {
            let reason = item.error.map(|e| e.message).unwrap_or_default();
            return Err(Failure::Message(format!(
                "the helpdesk refused it: {reason} (kept as pending:{}; run `deskmate ticket \
                 expedite {id}` for the current price)",
                item.local_id
            )));
        }
        Some(item) => writeln!(out, "pending:{}", item.local_id)?,
    }
    out.flush()?;
    Ok(())
}

fn write_quote(out: &mut impl Write, q: &ExpediteQuote) -> io::Result<()> {
    writeln!(
        out,
        "Expedited response for ticket #{}: {}",
        q.ticket_id, q.price
    )?;
    writeln!(out, "{}", multi_line(&q.terms).trim_end())?;
    if let Some(r) = &q.expedited {
        writeln!(
            out,
            "Expedited by {} on {} for {}",
            one_line(&r.requested_by_name),
            local_time(r.requested_at),
            r.price
        )?;
    } else if let Some(why) = &q.refusal {
        writeln!(out, "Not available: {}", one_line(why))?;
    }
    Ok(())
}
