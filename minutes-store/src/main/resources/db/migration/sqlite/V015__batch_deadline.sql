-- When a batch must be done by (--deadline, options.deadline; issue 17), in epoch milliseconds as every
-- instant here; null: no deadline. The batch lane's cut-over (deadline - buffer - realtime drain of what
-- still waits) is worked out from it and the batch's submitted_at.
ALTER TABLE batches ADD COLUMN deadline INTEGER;
