package io.minutes.core.engine;

import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.Transcriber;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a batch would take before it is sent, counting only what would really be sent: a meeting the
 * store would skip as a duplicate ({@link io.minutes.core.port.BatchStore#batchPreview}) and a
 * transcript whose answer the result cache holds cost nothing. Recordings count what transcribing
 * them may cost; their analysis is not known before their transcript is. {@code minutes estimate},
 * {@code minutes run --budget} and the API's budget check all estimate here.
 */
public final class Estimator {
    private final Analyzer analyzer;
    private final Transcriber transcriber;
    private final BlobStore blobs;

    /**
     * @param analyzer    as the pipeline calls it (redaction and the result cache included), so a cached
     *                    answer is known as such
     * @param transcriber may be null when recordings are not estimated
     * @param blobs       where the recordings of the meetings are kept; may be null with a null transcriber
     */
    public Estimator(Analyzer analyzer, Transcriber transcriber, BlobStore blobs) {
        this.analyzer = analyzer;
        this.transcriber = transcriber;
        this.blobs = blobs;
    }

    /**
     * Totals over the meetings that would be sent. {@code meetings}: transcripts to analyse with a
     * provider call; {@code cached}: answered from the result cache; {@code duplicates}: skipped as
     * duplicates of meetings already stored or earlier in the batch; {@code recordings}: to transcribe
     * ({@code audioSeconds} long, up to {@code transcriptionMaxCostUsd}), their analysis not counted;
     * {@code notSent}: too short or unreadable. {@code maxCostUsd} includes the transcriptions.
     * {@code seconds} is the shortest time the configured limits allow, null when none is configured.
     */
    public record Estimate(int meetings, int cached, int duplicates, int recordings, int notSent, long inputTokens,
                           long maxOutputTokens, double maxCostUsd, double audioSeconds, double transcriptionMaxCostUsd,
                           Double seconds) {
    }

    /**
     * @param preview    the state each meeting would be stored in (from the store's batchPreview), or null to take
     *                   every meeting with a transcript or a recording as one to send
     * @param trustCache false for a batch that replaces earlier results: their cached answers are dropped first
     */
    public Estimate estimate(List<NewMeeting> meetings, List<MeetingState> preview, boolean trustCache, RateLimits limits) {
        return estimate(meetings, preview, trustCache, limits, null);
    }

    /** The same for {@code tenant}'s meetings: only its own cached answers count (null: no tenant, as the CLI's). */
    public Estimate estimate(List<NewMeeting> meetings, List<MeetingState> preview, boolean trustCache, RateLimits limits,
                             String tenant) {
        return count(meetings, preview, trustCache, limits, tenant, new ArrayList<>());
    }

    /** One meeting that would be sent for analysis: its index among the meetings, and what its call(s) would take. */
    public record Sent(int index, Analyzer.Estimate estimate) {
    }

    /** The meetings that would be sent for analysis (as {@link #estimate} counts them), each with its estimate. */
    public List<Sent> sent(List<NewMeeting> meetings, List<MeetingState> preview, boolean trustCache, String tenant) {
        List<Sent> sent = new ArrayList<>();
        count(meetings, preview, trustCache, RateLimits.NONE, tenant, sent);
        return sent;
    }

    private Estimate count(List<NewMeeting> meetings, List<MeetingState> preview, boolean trustCache, RateLimits limits,
                           String tenant, List<Sent> each) {
        if (preview != null && preview.size() != meetings.size()) {
            throw new IllegalArgumentException(preview.size() + " previewed states for " + meetings.size() + " meetings");
        }
        int sent = 0;
        int cached = 0;
        int duplicates = 0;
        int recordings = 0;
        int notSent = 0;
        long in = 0;
        long out = 0;
        double cost = 0;
        double audioSeconds = 0;
        double transcriptionCost = 0;
        for (int i = 0; i < meetings.size(); i++) {
            NewMeeting m = meetings.get(i);
            boolean toProcess = m.transcript() != null || m.audio() != null;
            if (!toProcess) {
                notSent++;
                continue;
            }
            if (preview != null && preview.get(i) != MeetingState.QUEUED) {
                duplicates++;
                continue;
            }
            if (m.audio() != null) {
                recordings++;
                Transcriber.Estimate e = transcription(m);
                audioSeconds += e.audioSeconds();
                transcriptionCost += e.maxCostUsd();
                continue;
            }
            Analyzer.Estimate e = analyzer.estimate(new Analyzer.Request(m.source(), m.title(), m.transcript(), tenant));
            if (e.cached() && trustCache) {
                cached++;
                continue;
            }
            sent++;
            each.add(new Sent(i, e));
            in += e.inputTokens();
            out += e.maxOutputTokens();
            cost += e.maxCostUsd();
        }
        Double seconds = null;
        seconds = slowest(seconds, sent, limits.requestsPerMinute());
        seconds = slowest(seconds, in + out, limits.tokensPerMinute());
        seconds = slowest(seconds, in, limits.inputTokensPerMinute());
        seconds = slowest(seconds, out, limits.outputTokensPerMinute());
        return new Estimate(sent, cached, duplicates, recordings, notSent, in, out, cost + transcriptionCost, audioSeconds,
                transcriptionCost, seconds);
    }

    private Transcriber.Estimate transcription(NewMeeting m) {
        if (transcriber == null || blobs == null) return Transcriber.Estimate.NONE;
        String key = m.audio().blobKey();
        Optional<MediaFormat> format = MediaFormat.fromMediaType(m.audio().mediaType());
        long size;
        try {
            size = blobs.size(key).orElse(0L);
        } catch (IOException e) {
            size = 0;
        }
        if (format.isEmpty() || size == 0) return Transcriber.Estimate.NONE; // it will fail before any call
        return transcriber.estimate(new Transcriber.Request(m.source(), m.source(), m.title(), format.get(), size,
                Transcriber.AudioSource.of(blobs, key)));
    }

    private static Double slowest(Double sofar, long amount, long perMinute) {
        if (perMinute == 0) return sofar;
        double seconds = amount * 60.0 / perMinute;
        return sofar == null ? seconds : Math.max(sofar, seconds);
    }
}
