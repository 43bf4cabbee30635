-- The lane a batch's submitter asked for (options.lane: auto, realtime, flex or batch; issue 17), so the API's
-- batch status echoes it with the batch's other options; null: none asked (realtime). The lane each meeting is
-- planned for and ran in stays on the meeting (V014).
ALTER TABLE submissions ADD COLUMN lane TEXT;
