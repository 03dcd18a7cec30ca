-- The queue's order is now expedited first, then the earliest first-response
-- deadline, then the oldest: a regular ticket filed 23 hours ago (due in one
-- hour) comes before a high-priority one filed now (due in four). The index
-- follows the order.

DROP INDEX tickets_queue;
CREATE INDEX tickets_queue ON tickets (expedited, first_response_due_ms, created_ms, id)
    WHERE first_responded_ms IS NULL AND status <> 'closed';
