-- The window learned per provider AND model (issue 19): OpenAI sets and enforces its rate limits per model
-- (some model families share one), Anthropic per model class, so how one model's limit was found to be
-- enforced says nothing certain of another's. The rows learned per provider alone cannot be told apart by
-- model, and what they say stands for a day at most (Throttle.LEARNED_KEPT): they are dropped, and a
-- throttle that paced per second by them learns its model's window again from one 429 episode.
DROP TABLE rate_windows;
CREATE TABLE rate_windows (
    provider     TEXT    NOT NULL,
    model        TEXT    NOT NULL, -- a provider with no models (sim) is its own model
    enforced_per TEXT    NOT NULL CHECK (enforced_per IN ('second')),
    learned_at   INTEGER NOT NULL, -- epoch millis, the latest learning
    PRIMARY KEY (provider, model)
);
