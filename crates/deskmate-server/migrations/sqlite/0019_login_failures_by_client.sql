-- Failed sign-ins are counted per address and client (the peer's IP), per
-- client across addresses (password spraying), and per address across
-- clients (a slower limit with a short lock), so a stranger's guesses no
-- longer lock the owner out. Rows older than the longest window are purged
-- on every write, whatever their address.
ALTER TABLE login_failures ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_client ON login_failures (client, at_ms);
CREATE INDEX login_failures_at ON login_failures (at_ms);
