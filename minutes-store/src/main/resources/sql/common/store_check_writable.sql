-- A write that changes no row: it needs the write lock (SQLite: BEGIN IMMEDIATE already took it;
-- PostgreSQL: a ROW EXCLUSIVE lock on batches) and a writable database, so a read-only database,
-- a read-only standby or transaction, or another writer holding the lock makes it fail.
UPDATE batches
SET priority = priority
WHERE 1 = 0
