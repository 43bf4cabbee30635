-- Same as db/migration/sqlite/V004__audio.sql (REAL there is DOUBLE PRECISION here, the same 8-byte float).
-- Audio meetings: the recording lives in the BlobStore under blob_key (the SHA-256 of its bytes, like
-- content_hash); transcript_json stays null until the transcribe step checkpoints the transcript, with
-- what it used. The meeting's cost_usd includes the transcription's from that checkpoint on.
ALTER TABLE meetings ADD COLUMN blob_key TEXT;
ALTER TABLE meetings ADD COLUMN media_type TEXT;                         -- audio/mpeg, video/mp4, ...
ALTER TABLE meetings ADD COLUMN audio_seconds DOUBLE PRECISION;          -- set by the transcription checkpoint
ALTER TABLE meetings ADD COLUMN transcription_cost_usd DOUBLE PRECISION; -- set by the transcription checkpoint
