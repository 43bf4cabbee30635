-- As db/migration/sqlite/V015__batch_deadline.sql; the one difference: BIGINT instants (as V001).
ALTER TABLE batches ADD COLUMN deadline BIGINT;
