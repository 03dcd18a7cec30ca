//! The demo's attachments, made at seed time (no binary files in the
//! repository): a screenshot of the 502 error and a mail server log.

use chrono::{DateTime, Duration, Utc};
use deskmate_api::Ticket;
use image::{ImageEncoder, Rgb, RgbImage};

use crate::db::{Db, User};
use crate::error::{ApiError, ApiResult};

/// Attaches the demo file of `ticket`, if it has one, as its requester did
/// right after filing it.
pub async fn attach(db: &Db, requester: &User, ticket: &Ticket) -> ApiResult<()> {
    let at = ticket.created_at + Duration::minutes(2);
    let (name, bytes) = if ticket.subject.starts_with("Website returns 502") {
        ("Screenshot 502 Bad Gateway.png", screenshot()?)
    } else if ticket.subject.starts_with("Mailbox info@acme.example") {
        ("bounce-log.txt", bounce_log(ticket.created_at).into_bytes())
    } else {
        return Ok(());
    };
    let accepts = deskmate_api::AttachmentLimits::default();
    let most = accepts.max_file_bytes;
    let file = tokio::task::spawn_blocking(move || {
        crate::handlers::attachments::prepare(name, bytes, most)
    })
    .await??;
    db.add_attachment(ticket.id, requester, &file, None, None, at, &accepts)
        .await?;
    Ok(())
}

fn bounce_log(filed: DateTime<Utc>) -> String {
    let mut log = String::new();
    let senders = [
        (
            "mail.partner.example[198.51.100.7]",
            "accounts@partner.example",
        ),
        ("smtp.bank.example[192.0.2.25]", "notices@bank.example"),
    ];
    for (i, (client, from)) in senders.iter().cycle().take(6).enumerate() {
        let at = filed - Duration::hours(20) + Duration::minutes(37 * i as i64);
        log.push_str(&format!(
            "{} mx1 postfix/smtpd[{}]: NOQUEUE: reject: RCPT from {client}: 550 5.1.1 \
             <info@acme.example>: Recipient address rejected: mailbox unavailable; \
             from=<{from}> to=<info@acme.example> proto=ESMTP helo=<{}>\n",
            at.format("%b %e %H:%M:%S"),
            2211 + i * 17,
            client.split('[').next().unwrap_or(client),
        ));
    }
    log
}

/// A 640x400 browser window showing nginx's 502 page under an error dialog.
fn screenshot() -> ApiResult<Vec<u8>> {
    const DESKTOP: Rgb<u8> = Rgb([38, 70, 112]);
    const WINDOW: Rgb<u8> = Rgb([250, 250, 250]);
    const CHROME: Rgb<u8> = Rgb([222, 225, 230]);
    const INK: Rgb<u8> = Rgb([32, 33, 36]);
    const GREY: Rgb<u8> = Rgb([110, 114, 120]);
    const RED: Rgb<u8> = Rgb([200, 40, 40]);
    const WHITE: Rgb<u8> = Rgb([255, 255, 255]);
    let mut img = RgbImage::from_fn(640, 400, |_, y| {
        let shade = u8::try_from(y / 20).unwrap_or(0);
        Rgb([DESKTOP[0] + shade, DESKTOP[1] + shade, DESKTOP[2] + shade])
    });
    // Browser window, tab strip and address bar.
    fill(&mut img, 16, 16, 608, 368, WINDOW);
    fill(&mut img, 16, 16, 608, 30, CHROME);
    for (i, colour) in [RED, Rgb([230, 170, 30]), Rgb([60, 170, 70])]
        .iter()
        .enumerate()
    {
        disc(&mut img, 32 + 18 * i as u32, 31, 6, *colour);
    }
    fill(&mut img, 100, 22, 440, 18, WINDOW);
    text(&mut img, 110, 28, "HTTPS://WWW.ACME.EXAMPLE/", 1, GREY);
    // nginx's error page.
    text(&mut img, 188, 80, "502 BAD GATEWAY", 3, INK);
    fill(&mut img, 40, 120, 560, 1, CHROME);
    text(&mut img, 270, 132, "NGINX/1.24.0", 1, GREY);
    // The error dialog on top, with its shadow.
    fill(&mut img, 176, 186, 300, 150, Rgb([150, 150, 150]));
    fill(&mut img, 170, 180, 300, 150, WHITE);
    fill(&mut img, 170, 180, 300, 24, CHROME);
    text(&mut img, 180, 189, "ERROR", 1, INK);
    disc(&mut img, 206, 240, 18, RED);
    text(&mut img, 201, 234, "X", 2, WHITE);
    text(&mut img, 236, 226, "WWW.ACME.EXAMPLE", 1, INK);
    text(&mut img, 236, 242, "ERROR 502: BAD GATEWAY", 1, INK);
    fill(&mut img, 380, 296, 76, 24, Rgb([26, 115, 232]));
    text(&mut img, 410, 305, "OK", 1, WHITE);
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(img.as_raw(), 640, 400, image::ExtendedColorType::Rgb8)
        .map_err(ApiError::internal)?;
    Ok(png)
}

fn fill(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, colour: Rgb<u8>) {
    for py in y..(y + h).min(img.height()) {
        for px in x..(x + w).min(img.width()) {
            img.put_pixel(px, py, colour);
        }
    }
}

fn disc(img: &mut RgbImage, cx: u32, cy: u32, r: u32, colour: Rgb<u8>) {
    let r2 = i64::from(r * r);
    for py in cy.saturating_sub(r)..=cy + r {
        for px in cx.saturating_sub(r)..=cx + r {
            let (dx, dy) = (i64::from(px) - i64::from(cx), i64::from(py) - i64::from(cy));
            if dx * dx + dy * dy <= r2 && px < img.width() && py < img.height() {
                img.put_pixel(px, py, colour);
            }
        }
    }
}

/// Upper-case text in a 5x7 pixel font, each pixel `scale` wide.
fn text(img: &mut RgbImage, x: u32, y: u32, s: &str, scale: u32, colour: Rgb<u8>) {
    for (i, c) in s.chars().enumerate() {
        let left = x + i as u32 * 6 * scale;
        for (row, bits) in glyph(c).iter().enumerate() {
            for col in 0..5u32 {
                if bits & (0b10000 >> col) != 0 {
                    let top = y + row as u32 * scale;
                    fill(img, left + col * scale, top, scale, scale, colour);
                }
            }
        }
    }
}

fn glyph(c: char) -> [u8; 7] {
    match c {
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '.' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        ':' => [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00],
        '/' => [0x01, 0x02, 0x02, 0x04, 0x08, 0x08, 0x10],
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'D' => [0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x19, 0x15, 0x13, 0x11, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04],
        _ => [0; 7],
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn the_screenshot_passes_the_upload_checks() {
        let file =
            crate::handlers::attachments::prepare("s.png", super::screenshot().unwrap(), 1 << 20)
                .unwrap();
        assert_eq!((file.width, file.height), (Some(640), Some(400)));
        assert_eq!(file.content_type, "image/png");
    }
}
