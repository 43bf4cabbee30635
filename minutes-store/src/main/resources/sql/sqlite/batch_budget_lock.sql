-- The batch a meeting belongs to, before its budget is read and reserved from. SQLite needs no row
-- lock: the store runs this inside BEGIN IMMEDIATE, which holds the database's single write lock, so
-- no other reservation can read or change the batch's spending until this one commits.
SELECT m.batch_id
FROM meetings m
WHERE m.id = :meeting_id
