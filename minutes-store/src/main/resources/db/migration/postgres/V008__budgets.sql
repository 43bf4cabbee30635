-- Same as db/migration/sqlite/V008__budgets.sql, with DOUBLE PRECISION for REAL (the same 8-byte float)
-- and BOOLEAN for SQLite's 0/1 INTEGER.
-- Budgets (issue 9) and tenant-scoped deduplication.
-- A batch's spending limit in USD; null: no limit. Spent is the sum of its meetings' cost_usd.
ALTER TABLE batches ADD COLUMN budget_usd DOUBLE PRECISION;
-- What an open attempt holds of its batch's budget: the most its next provider call may cost
-- (meeting_budget_reserve). It stops counting once the attempt is finished, whoever finishes it (the
-- node, the reaper after a crash, a cancel), so a dead node's reservations free themselves.
ALTER TABLE attempts ADD COLUMN reserved_usd DOUBLE PRECISION NOT NULL DEFAULT 0;
-- What the submitter asked: start the batch even when its estimate passes the budget.
ALTER TABLE submissions ADD COLUMN allow_over_budget BOOLEAN NOT NULL DEFAULT FALSE;
-- A meeting's tier is now stored whole on the meeting (sensitive when the meeting or its batch is), so
-- deduplication by title compares meetings' tiers: the CLI's sensitive batches get it here.
UPDATE meetings SET tier = 'sensitive' WHERE batch_id IN (SELECT id FROM batches WHERE tier = 'sensitive');
