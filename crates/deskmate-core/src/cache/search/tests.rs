use chrono::Utc;
use deskmate_api::{AuthorKind, Department, Message, Priority, SyncPage, Ticket, TicketStatus};

use super::similar::SIMILAR_LIMIT;
use super::*;

fn ticket(id: i64, subject: &str, body: &str) -> Ticket {
    let at = Utc::now();
    Ticket {
        id,
        organisation_id: 1,
        requester_id: 2,
        requester_name: "Umberto".into(),
        department: Department::Technical,
        priority: Priority::Regular,
        status: TicketStatus::Open,
        subject: subject.into(),
        body: body.into(),
        details: Default::default(),
        created_at: at,
        updated_at: at,
        expedited: false,
        expedited_at: None,
        availability: None,
    }
}

fn message(id: i64, ticket_id: i64, body: &str) -> Message {
    Message {
        id,
        ticket_id,
        author_id: 50,
        author_name: "Alice Agent".into(),
        author_kind: AuthorKind::Agent,
        body: body.into(),
        internal: false,
        created_at: Utc::now(),
    }
}

async fn cache() -> (tempfile::TempDir, Cache) {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(dir.path().join("c.sqlite3")).await.unwrap();
    (dir, cache)
}

async fn ids(cache: &Cache, query: &str) -> Vec<i64> {
    cache
        .search(query, 50)
        .await
        .unwrap()
        .iter()
        .map(|h| h.ticket.id)
        .collect()
}

/// FTS5's own check that each index matches its content table exactly.
async fn assert_index_exact(cache: &Cache) {
    cache
        .call(|c| {
            c.execute_batch(
                "INSERT INTO tickets_fts (tickets_fts, rank) VALUES ('integrity-check', 1);
                 INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1);",
            )?;
            Ok(())
        })
        .await
        .unwrap();
}

#[test]
fn user_text_is_quoted_never_syntax() {
    assert_eq!(fts_query("quota").as_deref(), Some("\"quota\"*"));
    assert_eq!(fts_query("quota ").as_deref(), Some("\"quota\""));
    assert_eq!(
        fts_query("mail quota").as_deref(),
        Some("\"mail\" \"quota\"*")
    );
    // One letter is not a prefix (it would read every word with that letter).
    assert_eq!(fts_query("mail q").as_deref(), Some("\"mail\" \"q\""));
    assert_eq!(fts_query("say \"hi").as_deref(), Some("\"say\" \"hi\"*"));
    assert_eq!(fts_query("a OR b").as_deref(), Some("\"a\" \"b\""));
    // Words as the index cuts them: never a phrase, never a column filter.
    assert_eq!(
        fts_query("subject:vpn -down").as_deref(),
        Some("\"subject\" \"vpn\" \"down\"*")
    );
    assert_eq!(fts_query("quota. ").as_deref(), Some("\"quota\""));
    assert_eq!(fts_query("e-mail").as_deref(), Some("\"e\" \"mail\"*"));
    for nothing in [
        "",
        "   ",
        "\"",
        "\"\"",
        "*",
        "AND (",
        "( ) * ^ : - +",
        "NEAR",
        "\0\n\t",
    ] {
        assert_eq!(fts_query(nothing), None, "{nothing:?}");
    }
    let long = "word ".repeat(1000);
    assert_eq!(
        fts_query(&long).unwrap().matches('"').count(),
        MAX_TERMS * 2
    );
}

#[tokio::test]
async fn hostile_input_is_a_result_never_an_error() {
    let (_dir, cache) = cache().await;
    cache
        .replace_tickets(vec![ticket(
            1,
            "AND (OR) NOT * \"quoted\"",
            "NEAR(a b) col:x ^y",
        )])
        .await
        .unwrap();
    for input in [
        "\"",
        "\"\"",
        "AND (",
        "*",
        "(",
        ")",
        "NEAR(a b)",
        "a OR",
        "NOT",
        "-",
        "^y",
        "col:x",
        "{subject}: x",
        "x\"y",
        "\\",
        "'",
        "''",
        "%",
        "_",
        "\u{0}",
        "🙂",
        "ž\u{30c}",
        "subject:*",
        "\"AND\"",
        "quoted\"*",
        "a AND",
        "((((",
    ] {
        let hits = cache.search(input, 10).await;
        assert!(hits.is_ok(), "{input:?}: {hits:?}");
    }
    assert_eq!(ids(&cache, "quoted").await, vec![1]);
    assert_eq!(
        ids(&cache, "col:x").await,
        vec![1],
        "a phrase, not a column filter"
    );
    assert!(ids(&cache, "AND (").await.is_empty());
    assert!(ids(&cache, "   ").await.is_empty());
}

#[tokio::test]
async fn subject_ranks_above_body_and_messages_and_each_ticket_once() {
    let (_dir, cache) = cache().await;
    cache
        .replace_tickets(vec![
            ticket(1, "Printer jammed", "The VPN is fine; the printer jams."),
            ticket(2, "VPN drops every hour", "Since Monday."),
            ticket(3, "Slow laptop", "Nothing about networks."),
        ])
        .await
        .unwrap();
    cache
        .replace_conversation(
            3,
            vec![
                message(10, 3, "Is the VPN client up to date?"),
                message(11, 3, "Please restart the VPN client."),
            ],
            None,
        )
        .await
        .unwrap();
    let hits = cache.search("vpn", 50).await.unwrap();
    let ids: Vec<i64> = hits.iter().map(|h| h.ticket.id).collect();
    assert_eq!(ids[0], 2, "the subject match first: {hits:?}");
    assert_eq!(ids.len(), 3, "each ticket once: {hits:?}");
    let slow = hits.iter().find(|h| h.ticket.id == 3).unwrap();
    assert!(
        slow.snippet
            .contains(&format!("{SNIPPET_MARK_START}VPN{SNIPPET_MARK_END}")),
        "{slow:?}"
    );
    assert!(slow.snippet.contains("client"), "{slow:?}");
    let printer = hits.iter().find(|h| h.ticket.id == 1).unwrap();
    assert!(
        printer.snippet.contains("printer jams"),
        "the body: {printer:?}"
    );
    assert_eq!(cache.search("vpn", 1).await.unwrap().len(), 1);
    assert_eq!(cache.search("vpn", 0).await.unwrap().len(), 0);
}

#[tokio::test]
async fn accents_prefixes_and_every_word() {
    let (_dir, cache) = cache().await;
    cache
        .replace_tickets(vec![
            ticket(1, "Fattura della città", "Il numero è sbagliato."),
            ticket(2, "Číslo faktúry", "Účtovné číslo nesedí, prosím o opravu."),
            ticket(3, "Neznan račun", "Ne morem se prijaviti v košarico."),
        ])
        .await
        .unwrap();
    assert_eq!(ids(&cache, "citta").await, vec![1]);
    assert_eq!(ids(&cache, "CITTÀ").await, vec![1]);
    assert_eq!(ids(&cache, "cislo").await, vec![2]);
    assert_eq!(ids(&cache, "uctovne cis").await, vec![2]);
    assert_eq!(ids(&cache, "racun").await, vec![3]);
    assert_eq!(ids(&cache, "kosar").await, vec![3], "prefix as you type");
    assert!(
        ids(&cache, "kosar ").await.is_empty(),
        "a finished word is whole"
    );
    assert!(ids(&cache, "citta cislo").await.is_empty(), "every word");
}

#[tokio::test]
async fn the_index_follows_every_write() {
    let (_dir, cache) = cache().await;
    cache
        .replace_tickets(vec![
            ticket(1, "Alpha", "first"),
            ticket(2, "Beta", "second"),
        ])
        .await
        .unwrap();
    cache
        .replace_conversation(1, vec![message(10, 1, "gamma reply")], None)
        .await
        .unwrap();
    assert_eq!(ids(&cache, "gamma").await, vec![1]);

    // An upsert that changes the text, one that changes only the status.
    cache
        .upsert_ticket(ticket(2, "Delta", "second"))
        .await
        .unwrap();
    let mut closed = ticket(1, "Alpha", "first");
    closed.status = TicketStatus::Closed;
    cache.upsert_ticket(closed).await.unwrap();
    assert!(ids(&cache, "beta").await.is_empty());
    assert_eq!(ids(&cache, "delta").await, vec![2]);
    assert_eq!(ids(&cache, "alpha").await, vec![1]);

    // A conversation replaced: the old message is gone from the index.
    cache
        .replace_conversation(1, vec![message(11, 1, "epsilon")], None)
        .await
        .unwrap();
    assert!(ids(&cache, "gamma").await.is_empty());
    assert_eq!(ids(&cache, "epsilon").await, vec![1]);
    assert_index_exact(&cache).await;

    // INSERT OR REPLACE deletes the old row: the delete trigger still runs.
    cache
        .call(|c| {
            c.execute(
                "INSERT OR REPLACE INTO messages (id, ticket_id, author_id, author_name,
                   author_kind, body, internal, created_at)
                 SELECT id, ticket_id, author_id, author_name, author_kind, 'zeta', internal,
                   created_at FROM messages WHERE id = 11",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    assert!(ids(&cache, "epsilon").await.is_empty());
    assert_eq!(ids(&cache, "zeta").await, vec![1]);
    assert_index_exact(&cache).await;

    // The list replaced: ticket 1 and its conversation leave the cache.
    cache
        .replace_tickets(vec![ticket(2, "Delta", "second")])
        .await
        .unwrap();
    assert!(ids(&cache, "alpha").await.is_empty());
    assert!(ids(&cache, "zeta").await.is_empty());
    assert_eq!(ids(&cache, "delta").await, vec![2]);
    assert_index_exact(&cache).await;

    cache.clear_tickets().await.unwrap();
    assert!(ids(&cache, "delta").await.is_empty());
    assert_index_exact(&cache).await;
    let rows: i64 = cache
        .call(|c| {
            Ok(c.query_row(
                "SELECT (SELECT count(*) FROM tickets_fts) + (SELECT count(*) FROM messages_fts)",
                [],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn an_upgraded_cache_indexes_what_it_already_held() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite3");
    {
        let c = Connection::open(&path).unwrap();
        for sql in [
            include_str!("../migrations/0001_init.sql"),
            include_str!("../migrations/0002_outbox.sql"),
        ] {
            c.execute_batch(sql).unwrap();
        }
        c.pragma_update(None, "user_version", 2).unwrap();
        // A row as schema 2 knew it (today's upsert writes later columns).
        c.execute(
            "INSERT INTO tickets (id, organisation_id, requester_id, requester_name, \
             department, priority, status, subject, body, created_at, updated_at) \
             VALUES (5, 1, 2, 'Umberto', 'technical', 'regular', 'open', 'Old ticket', \
             'from before', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')",
            [],
        )
        .unwrap();
        super::super::messages::upsert_message(&c, &message(50, 5, "kept quota")).unwrap();
    }
    let cache = Cache::open(&path).await.unwrap();
    assert_eq!(ids(&cache, "quota").await, vec![5]);
    assert_eq!(ids(&cache, "old").await, vec![5]);
    assert_index_exact(&cache).await;
}

/// Migration 12 rebuilds the indexes, even those a bulk sync left for its
/// end, and every trigger is back afterwards.
#[tokio::test]
async fn the_messages_index_upgrade_finishes_an_interrupted_bulk_sync() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite3");
    {
        let c = Connection::open(&path).unwrap();
        super::super::migrations::migrate_to(&c, 11).unwrap();
        super::super::tickets::upsert(&c, &ticket(1, "Indexed", "before")).unwrap();
        // A bulk sync under way: no triggers, rows not indexed yet.
        c.execute_batch(
            "DROP TRIGGER tickets_fts_insert; DROP TRIGGER tickets_fts_delete;
             DROP TRIGGER tickets_fts_update; DROP TRIGGER messages_fts_insert;
             DROP TRIGGER messages_fts_delete; DROP TRIGGER messages_fts_update;
             INSERT INTO meta (key, value) VALUES ('search_index_bulk', '1');",
        )
        .unwrap();
        super::super::tickets::upsert(&c, &ticket(2, "Pending", "x")).unwrap();
        super::super::messages::upsert_message(&c, &message(20, 2, "certificate renewed")).unwrap();
    }
    let cache = Cache::open(&path).await.unwrap();
    assert!(!in_bulk(&cache).await);
    assert_eq!(ids(&cache, "indexed").await, vec![1]);
    assert_eq!(ids(&cache, "pending").await, vec![2]);
    assert_eq!(
        ids(&cache, "cert").await,
        vec![2],
        "four letters, three indexed"
    );
    assert_eq!(ids(&cache, "certificate ").await, vec![2]);
    assert_index_exact(&cache).await;
    cache
        .replace_conversation(1, vec![message(10, 1, "certainly")], None)
        .await
        .unwrap();
    assert_eq!(ids(&cache, "certa").await, vec![1], "the triggers are back");
    assert_index_exact(&cache).await;
}

#[tokio::test]
async fn a_message_of_an_uncached_ticket_is_no_hit() {
    let (_dir, cache) = cache().await;
    cache
        .replace_tickets(vec![ticket(1, "One", "x")])
        .await
        .unwrap();
    cache
        .replace_conversation(7, vec![message(70, 7, "orphan words")], None)
        .await
        .unwrap();
    assert!(ids(&cache, "orphan").await.is_empty());
}

/// Many documents that all hold the same word: the answer stays bounded
/// and fast (read against the 1.5 s of ranking every match).
#[tokio::test]
async fn very_common_words_stay_bounded() {
    let (_dir, cache) = cache().await;
    cache
        .call(|c| {
            let tx = c.transaction()?;
            for id in 1..=20_000_i64 {
                super::super::tickets::upsert(
                    &tx,
                    &ticket(
                        id,
                        &format!("the ticket number {id}"),
                        "the the the body text",
                    ),
                )?;
                super::super::messages::upsert_message(
                    &tx,
                    &message(id, id, "the agent answered the question"),
                )?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let hits = cache.search("the", MAX_LIMIT + 50).await.unwrap();
    let took = started.elapsed();
    assert_eq!(hits.len(), MAX_LIMIT);
    assert!(hits.iter().all(|h| h.snippet.contains(SNIPPET_MARK_START)));
    // Generous for a debug build on a busy 2-core machine.
    assert!(took < std::time::Duration::from_secs(2), "{took:?}");
    let exact = cache.search("number 12345 ", 10).await.unwrap();
    assert_eq!(exact.first().map(|h| h.ticket.id), Some(12_345));
}

/// A word in nearly every document: the hits are exactly the newest of the
/// best kind (subject, then description, then a message), however many
/// older documents hold it too.
#[tokio::test]
async fn common_words_return_exactly_the_newest_hits_of_the_best_kind() {
    let (_dir, cache) = cache().await;
    cache
        .call(|c| {
            let tx = c.transaction()?;
            for id in 1..=6_000_i64 {
                let subject = if id % 3 == 0 {
                    format!("the ticket {id}")
                } else {
                    format!("ticket {id}")
                };
                let body = match id {
                    10 | 20 | 30 => "the quota is full",
                    _ if id > 5_000 => "the mailbox quota",
                    _ => "the body text",
                };
                super::super::tickets::upsert(&tx, &ticket(id, &subject, body))?;
                let text = if id % 1000 == 7 {
                    "run kinit"
                } else {
                    "the answer"
                };
                super::super::messages::upsert_message(&tx, &message(id, id, text))?;
            }
            // The newest message that says it is of an old ticket.
            super::super::messages::upsert_message(&tx, &message(9_000, 4, "kinit again"))?;
            tx.commit()?;
            Ok(())
        })
        .await
        .unwrap();
    let the = ids(&cache, "the ").await;
    assert_eq!(the, (0..50).map(|i| 6_000 - 3 * i).collect::<Vec<_>>());
    let all = cache.search("the ", MAX_LIMIT).await.unwrap();
    assert_eq!(all.len(), MAX_LIMIT);
    assert_eq!(all.last().map(|h| h.ticket.id), Some(6_000 - 3 * 99));

    // Subject matches first, then the newest descriptions.
    let quota: Vec<i64> = cache
        .search("ticket quota", 8)
        .await
        .unwrap()
        .iter()
        .map(|h| h.ticket.id)
        .collect();
    assert_eq!(
        quota,
        vec![6_000, 5_999, 5_998, 5_997, 5_996, 5_995, 5_994, 5_993]
    );
    let quota = ids(&cache, "quota ").await;
    assert_eq!(quota.len(), 50);
    assert_eq!(quota[..3], [6_000, 5_999, 5_998]);

    // Only in messages: the ticket with the newest matching message first.
    assert_eq!(
        ids(&cache, "kinit").await,
        vec![4, 5_007, 4_007, 3_007, 2_007, 1_007, 7]
    );
    let hits = cache.search("kinit", 1).await.unwrap();
    assert!(hits[0].snippet.contains("again"), "{hits:?}");
}

/// A ticket found by its subject alone shows where one of its messages
/// says the words, when its description does not.
#[tokio::test]
async fn a_subject_hit_shows_a_message_that_says_it() {
    let (_dir, cache) = cache().await;
    cache
        .replace_tickets(vec![
            ticket(1, "Fritzbox", "Nothing here."),
            ticket(2, "Fritzbox", "x"),
        ])
        .await
        .unwrap();
    cache
        .replace_conversation(
            1,
            vec![
                message(10, 1, "The fritzbox rebooted"),
                message(11, 1, "Thanks"),
            ],
            None,
        )
        .await
        .unwrap();
    let hits = cache.search("fritzbox ", 10).await.unwrap();
    assert_eq!(
        hits.iter().map(|h| h.ticket.id).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert!(hits[1].snippet.contains("rebooted"), "{hits:?}");
    assert!(
        hits[0]
            .snippet
            .contains(&format!("{SNIPPET_MARK_START}Fritzbox{SNIPPET_MARK_END}")),
        "the subject: {hits:?}"
    );
}

#[tokio::test]
async fn similar_open_tickets_share_enough_words() {
    let (_dir, cache) = cache().await;
    let mut closed = ticket(3, "Website returns 502 again", "Closed long ago.");
    closed.status = TicketStatus::Closed;
    let mut waiting = ticket(4, "Invoice charged twice", "Refund the second payment.");
    waiting.status = TicketStatus::WaitingForCustomer;
    cache
        .replace_tickets(vec![
            ticket(
                1,
                "Website returns 502 Bad Gateway",
                "After the PHP upgrade.",
            ),
            ticket(2, "Mailbox full", "The website mailbox quota."),
            closed,
            waiting,
            ticket(5, "Router one", "x"),
            ticket(6, "Router two", "x"),
            ticket(7, "Router three", "x"),
            ticket(8, "Router four", "x"),
        ])
        .await
        .unwrap();
    let similar = |s: &'static str, b: &'static str| {
        let cache = cache.clone();
        async move {
            cache
                .similar_open_tickets(s, b)
                .await
                .unwrap()
                .iter()
                .map(|h| h.ticket.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(similar("Website returns 502", "").await, vec![1]);
    assert_eq!(similar("website retur", "").await, vec![1], "as typed");
    assert_eq!(
        similar("Website", "").await,
        vec![2, 1],
        "one word, newest first"
    );
    assert_eq!(similar("charged", "").await, vec![4], "waiting counts");
    assert!(similar("the", "").await.is_empty(), "too common");
    assert!(similar("we", "").await.is_empty(), "too short");
    assert!(similar("", "").await.is_empty());
    assert!(similar("Printer on fire", "").await.is_empty());
    assert_eq!(similar("Router", "").await.len(), SIMILAR_LIMIT);
    let hits = cache
        .similar_open_tickets("Website down", "returns 502 after the upgrade")
        .await
        .unwrap();
    assert_eq!(hits.first().map(|h| h.ticket.id), Some(1), "{hits:?}");
    assert!(hits[0].snippet.contains(SNIPPET_MARK_START), "{hits:?}");
}

fn page(tickets: Vec<Ticket>, messages: Vec<Message>, cursor: i64, more: bool) -> SyncPage {
    SyncPage {
        tickets,
        messages,
        more,
        ..SyncPage::empty(cursor)
    }
}

async fn in_bulk(cache: &Cache) -> bool {
    cache
        .call(|c| super::super::search_index::in_bulk(c))
        .await
        .unwrap()
}

#[tokio::test]
async fn prefixes_short_and_long_find_words_by_their_start() {
    let (_dir, cache) = cache().await;
    let mut tickets = vec![
        ticket(1, "Server down", "The mail server is down."),
        ticket(2, "Servers slow", "All of them."),
        ticket(3, "Passwort", "Reset it."),
    ];
    // Many words sharing their first four letters with one host.
    for id in 10..3010 {
        tickets.push(ticket(id, "Host", &format!("Host vps{}", 100_000 + id)));
    }
    cache.replace_tickets(tickets).await.unwrap();
    cache
        .replace_conversation(3, vec![message(30, 3, "Your new password is set")], None)
        .await
        .unwrap();
    assert_eq!(
        ids(&cache, "serv").await,
        vec![2, 1],
        "a four-letter prefix"
    );
    assert_eq!(ids(&cache, "server").await, vec![2, 1], "a longer one");
    assert_eq!(ids(&cache, "servers").await, vec![2]);
    assert_eq!(
        ids(&cache, "server ").await,
        vec![1],
        "a finished word is whole"
    );
    assert_eq!(ids(&cache, "passwo").await, vec![3], "subject and message");
    assert_eq!(ids(&cache, "password").await, vec![3], "in a message only");
    assert_eq!(ids(&cache, "vps103000").await, vec![3000]);
    assert_eq!(
        ids(&cache, "vps10300").await,
        (3000..=3009).rev().collect::<Vec<_>>()
    );
    assert_eq!(ids(&cache, "vps1").await.len(), 50, "bounded by the limit");
    let hits = cache.search("vps103005", 5).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        hits[0]
            .snippet
            .contains(&format!("{SNIPPET_MARK_START}vps103005{SNIPPET_MARK_END}")),
        "{hits:?}"
    );
}

#[tokio::test]
async fn a_bulk_first_sync_is_searchable_and_later_pages_keep_the_index_exact() {
    let (_dir, cache) = cache().await;
    cache
        .apply_sync_page(page(
            vec![ticket(1, "Kerberos ticket", "Realm broken")],
            vec![message(10, 1, "try kinit again")],
            2,
            true,
        ))
        .await
        .unwrap();
    assert!(in_bulk(&cache).await, "many pages into an empty cache");
    cache
        .apply_sync_page(page(
            vec![
                ticket(2, "Fritzbox reboot", "Loops"),
                ticket(1, "Kerberos realm", "x"),
            ],
            vec![message(11, 2, "firmware update")],
            5,
            false,
        ))
        .await
        .unwrap();
    assert!(!in_bulk(&cache).await, "the last page built the index");
    assert_eq!(ids(&cache, "kinit").await, vec![1]);
    assert_eq!(ids(&cache, "firmware").await, vec![2]);
    assert_eq!(ids(&cache, "realm").await, vec![1]);
    assert!(
        ids(&cache, "broken").await.is_empty(),
        "the rewritten text only"
    );
    assert_index_exact(&cache).await;

    // Later pages go through the triggers again.
    cache
        .apply_sync_page(page(
            vec![ticket(2, "Fritzbox fixed", "Loops")],
            vec![
                message(12, 1, "kerberos works now"),
                message(11, 2, "rolled back"),
            ],
            7,
            true,
        ))
        .await
        .unwrap();
    assert!(!in_bulk(&cache).await, "the cache was not empty");
    assert_eq!(ids(&cache, "fixed").await, vec![2]);
    assert!(ids(&cache, "reboot").await.is_empty());
    assert!(ids(&cache, "firmware").await.is_empty());
    assert_eq!(ids(&cache, "rolled").await, vec![2]);
    assert_eq!(ids(&cache, "works").await, vec![1]);
    assert_index_exact(&cache).await;
}

#[tokio::test]
async fn a_bulk_sync_cut_short_is_indexed_when_it_stops_or_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite3");
    let cache = Cache::open(&path).await.unwrap();
    cache
        .apply_sync_page(page(
            vec![ticket(1, "Dmarc report", "x")],
            Vec::new(),
            1,
            true,
        ))
        .await
        .unwrap();
    assert!(in_bulk(&cache).await);
    cache.finish_search_index().await.unwrap();
    assert!(!in_bulk(&cache).await);
    assert_eq!(ids(&cache, "dmarc").await, vec![1]);
    cache
        .upsert_ticket(ticket(1, "Anycast", "x"))
        .await
        .unwrap();
    assert_eq!(
        ids(&cache, "anycast").await,
        vec![1],
        "the triggers are back"
    );
    assert_index_exact(&cache).await;

    // A crash in the middle of a bulk sync: the next open builds the index.
    cache.clear_tickets().await.unwrap();
    cache
        .apply_sync_page(page(
            vec![ticket(2, "Ddos alert", "x")],
            Vec::new(),
            1,
            true,
        ))
        .await
        .unwrap();
    assert!(in_bulk(&cache).await);
    drop(cache);
    let cache = Cache::open(&path).await.unwrap();
    assert!(!in_bulk(&cache).await);
    assert_eq!(ids(&cache, "ddos").await, vec![2]);
    assert_index_exact(&cache).await;
}
