-- The language and the template a meeting's minutes are asked in: its batch's options.language and
-- options.template of the HTTP API (issue 18), kept on its row as max_attempts is (V013), so a claim reads
-- them from the meeting it already holds. Null: the node's settings (language, template) apply.
ALTER TABLE meetings ADD COLUMN language TEXT;
ALTER TABLE meetings ADD COLUMN template TEXT;
