-- The right to request a (paid) expedited response, which a customer admin
-- may withhold. Accounts that exist keep it (DEFAULT 1): before this right
-- every ticket's author could expedite, and an upgrade must not take away
-- what people could do yesterday; their admin withdraws it where wanted.
-- New accounts get it only when it is given (every insert names it).
ALTER TABLE users ADD COLUMN right_expedite INTEGER NOT NULL DEFAULT 1
    CHECK (right_expedite IN (0, 1));
-- Agents never expedite (the customer pays).
UPDATE users SET right_expedite = 0 WHERE role = 'agent';
