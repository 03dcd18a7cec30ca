//! Server-Sent Events (`text/event-stream`) read as bytes arrive.

/// One event of a `text/event-stream`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
}

/// Splits a `text/event-stream` into events as bytes arrive, whatever the
/// chunking (events may straddle chunks; comments are heartbeats).
#[derive(Debug, Default)]
pub struct SseParser {
    buffer: String,
    event: String,
    id: Option<String>,
    data: Vec<String>,
}

impl SseParser {
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        self.buffer.push_str(&String::from_utf8_lossy(chunk));
        let mut events = Vec::new();
        while let Some(end) = self.buffer.find('\n') {
            let line: String = self.buffer.drain(..=end).collect();
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if !self.data.is_empty() || !self.event.is_empty() {
                    events.push(SseEvent {
                        event: if self.event.is_empty() {
                            "message".to_owned()
                        } else {
                            std::mem::take(&mut self.event)
                        },
                        id: self.id.take(),
                        data: std::mem::take(&mut self.data).join("\n"),
                    });
                }
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => value.clone_into(&mut self.event),
                "id" => self.id = Some(value.to_owned()),
                "data" => self.data.push(value.to_owned()),
                _ => {}
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_straddling_chunks_and_heartbeats() {
        let mut p = SseParser::default();
        assert!(p.push(b": keep-alive\n\n").is_empty());
        assert!(p.push(b"event: change\nid: 7\nda").is_empty());
        let events = p.push(b"ta: {\"seq\":7}\r\n\r\nevent: resync\ndata: {}\n\n");
        assert_eq!(
            events,
            [
                SseEvent {
                    event: "change".into(),
                    id: Some("7".into()),
                    data: "{\"seq\":7}".into()
                },
                SseEvent {
                    event: "resync".into(),
                    id: None,
                    data: "{}".into()
                }
            ]
        );
    }

    #[test]
    fn garbage_never_panics() {
        let mut p = SseParser::default();
        let _ = p.push(&[0xff, 0xfe, b'\n', b'\n', b':']);
        let _ = p.push(b"no colon here\n\n");
    }
}
