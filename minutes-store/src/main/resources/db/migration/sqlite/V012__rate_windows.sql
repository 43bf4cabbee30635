-- The window each provider was learned to enforce its per-minute limits over (issue 19): a 429 while
-- the minute had room shows the provider quantises it into seconds, and every node sharing the store
-- paces that provider per second from then on (RateWindows). Only 'second' is ever learned: the
-- minute's window is what a throttle starts with.
CREATE TABLE rate_windows (
    provider     TEXT    NOT NULL PRIMARY KEY,
    enforced_per TEXT    NOT NULL CHECK (enforced_per IN ('second')),
    learned_at   INTEGER NOT NULL -- epoch millis, the latest learning
);
