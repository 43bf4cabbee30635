-- Serialises packs of one provider and model. SQLite: nothing to lock, the store runs the pack inside
-- BEGIN IMMEDIATE, which holds the file's single write lock until commit (PostgreSQL: an advisory lock).
SELECT 1 AS locked
