//! The table's lines for the floors (references measured in the same run)
//! and for deskmate-server against Request Tracker 5.

use crate::figures::{Goal, RT5_FACTOR, Row, absent};
use crate::{create, sse};

/// `floor_create_per_s` and `floor_create_p99_ms`.
pub fn floor_create_rows(outcome: &Result<create::Outcome, String>) -> Vec<Row> {
    let (rate, p99) = match outcome {
        Ok(o) => (
            (
                Ok(o.per_second()),
                format!(
                    "bare axum, one SQLite insert per request (WAL, synchronous NORMAL): {} rows in \
                     {:.2} s",
                    o.completed,
                    o.elapsed.as_secs_f64()
                ),
            ),
            (
                Ok(o.latencies.percentile_ms(99.0)),
                format!(
                    "p50 {:.2} ms, max {:.2} ms",
                    o.latencies.percentile_ms(50.0),
                    o.latencies.percentile_ms(100.0)
                ),
            ),
        ),
        Err(e) => (
            (Err(absent(e)), String::new()),
            (Err(absent(e)), String::new()),
        ),
    };
    vec![
        Row {
            key: "floor_create_per_s",
            unit: "rows/s",
            goal: Goal::Reference,
            value: rate.0,
            note: rate.1,
        },
        Row {
            key: "floor_create_p99_ms",
            unit: "ms",
            goal: Goal::Reference,
            value: p99.0,
            note: p99.1,
        },
    ]
}

/// `floor_post_per_s`: one session, one connection, one request at a time.
pub fn floor_post_row(outcome: &Result<create::Outcome, String>) -> Row {
    let (value, note) = match outcome {
        Ok(o) => (
            Ok(o.per_second()),
            format!(
                "deskmate-server, {} tickets one after another over one keep-alive connection; \
                 p50 {:.2} ms",
                o.completed,
                o.latencies.percentile_ms(50.0)
            ),
        ),
        Err(e) => (Err(absent(e)), String::new()),
    };
    Row {
        key: "floor_post_per_s",
        unit: "writes/s",
        goal: Goal::Reference,
        value,
        note,
    }
}

/// `sse_floor_p99_ms`: the same fan-out from a bare broadcast server.
pub fn sse_floor_row(outcome: &Result<sse::Outcome, String>) -> Row {
    let (value, note) = match outcome {
        Ok(o) => (
            Ok(o.deliveries.percentile_ms(99.0)),
            format!(
                "bare axum SSE over a tokio broadcast: {} changes x {} streams, p50 {:.0} ms; {} \
                 not delivered",
                o.posts,
                o.connected,
                o.deliveries.percentile_ms(50.0),
                o.missing
            ),
        ),
        Err(e) => (Err(absent(e)), String::new()),
    };
    Row {
        key: "sse_floor_p99_ms",
        unit: "ms",
        goal: Goal::Reference,
        value,
        note,
    }
}

/// `server_create_rt5_x`: deskmate-server's creation rate over RT5's.
pub fn rt5_ratio_row(server: Option<f64>, rt5: Option<f64>) -> Row {
    let value = match (server, rt5) {
        (Some(s), Some(r)) if r > 0.0 => Ok(s / r),
        (None, _) => Err("not measured: server_create_per_s".to_owned()),
        _ => Err("not measured: rt5_create_per_s".to_owned()),
    };
    Row {
        key: "server_create_rt5_x",
        unit: "x",
        goal: Goal::AtLeast(RT5_FACTOR),
        value,
        note: "server_create_per_s / rt5_create_per_s".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::figures::times;

    #[test]
    fn ratio_goals_follow_their_base() {
        let at_most = times(false, 2.0, "floor", Some(10.0));
        assert_eq!(at_most.verdict(20.0), "pass");
        assert_eq!(at_most.verdict(20.1), "MISS");
        assert_eq!(at_most.text(), "<= 2 x floor (= 20.0)");
        let at_least = times(true, 0.25, "floor", Some(1000.0));
        assert_eq!(at_least.verdict(250.0), "pass");
        assert_eq!(at_least.verdict(249.0), "MISS");
        assert_eq!(
            times(true, 0.5, "x", None).verdict(1.0),
            "base not measured"
        );
    }
}
