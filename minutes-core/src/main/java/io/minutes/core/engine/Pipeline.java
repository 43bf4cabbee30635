package io.minutes.core.engine;

import io.minutes.core.domain.Budget;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.MeetingQueue;
import io.minutes.core.port.StoreUnavailableException;
import io.minutes.core.port.Transcriber;
import io.minutes.core.port.TranscriberException;
import io.minutes.core.style.Style;
import io.minutes.core.style.Stylist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The steps one meeting goes through on one attempt: transcribe (recordings only, and only while no
 * transcript is checkpointed) -> analyze. A finished transcription is checkpointed in the store under
 * the lease before the analysis starts, so a retry of the analysis never pays for it twice; a store
 * outage at that moment does not lose it: the checkpoint is written through the dispatcher's
 * {@link Checkpoints}, which hold it and try again while the lease is held.
 * Failures come back as values; an exception from an adapter is a bug, logged with its stack trace
 * and failed permanently so one meeting's bug cannot take the batch down. A store that cannot be
 * reached ({@link StoreUnavailableException}) is no failure of the meeting: it is thrown on to the dispatcher.
 */
public final class Pipeline {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    private final Analyzer analyzer;
    private final Transcription transcription;
    private final SensitiveTier sensitive;
    private final Budgets budgets;
    private final Stylist stylist;
    private final Flex flex;

    /**
     * Where meetings planned for the flex lane send their calls: {@link #laneFor} the flex tier while their batch's
     * deadline lets them, and after a refusal for flex capacity, {@link #mayWait} or run realtime at once.
     */
    public interface Flex {
        /** No flex lane on this node: a meeting planned for flex runs realtime. */
        Flex NONE = new Flex() {
            @Override
            public Lane laneFor(ClaimedMeeting meeting, long inputTokens) {
                return Lane.REALTIME;
            }

            @Override
            public Optional<Duration> mayWait(ClaimedMeeting meeting, Failure refusal, long inputTokens) {
                return Optional.empty();
            }
        };

        /** The lane {@code meeting}'s calls go in now ({@code inputTokens}: its estimate). */
        Lane laneFor(ClaimedMeeting meeting, long inputTokens);

        /** How long {@code meeting}, refused flex capacity, waits before it tries flex again; empty: it runs realtime now. */
        Optional<Duration> mayWait(ClaimedMeeting meeting, Failure refusal, long inputTokens);
    }

    /**
     * Where the batches' budgets are held and reserved from. {@link #in} keeps them in the store, so
     * every node and every restart sees the same spending. Only meetings of a batch with a budget
     * ({@link ClaimedMeeting#budgeted()}) reserve.
     */
    @FunctionalInterface
    public interface Budgets {
        Budgets NONE = (meeting, usd) -> new MeetingQueue.Reservation(true, Optional.empty());

        /** Reserves up to {@code usd} for the meeting's next provider call (see {@link MeetingQueue#meetingBudgetReserve}). */
        MeetingQueue.Reservation reserve(ClaimedMeeting meeting, double usd);

        static Budgets in(MeetingQueue store) {
            return (meeting, usd) -> store.meetingBudgetReserve(new MeetingQueue.BudgetReserveParams(meeting.id(), meeting.attempt(), usd));
        }
    }

    /**
     * What the transcribe step needs: the transcriber, where recordings are kept, and where the
     * transcript is checkpointed, as the lease {@code owner} (the dispatcher's worker id).
     */
    public record Transcription(Transcriber transcriber, BlobStore blobs, MeetingQueue store, String owner,
                                Clock clock) {
    }

    /** The providers a sensitive meeting may go to by default: the offline analyzer and a local transcription command. */
    public static final Set<String> DEFAULT_ALLOW_SENSITIVE = Set.of("local", "command");

    /** @param sensitive who may receive a meeting of the sensitive tier, by the names the configuration gives them */
    public Pipeline(Analyzer analyzer, Transcription transcription, SensitiveTier sensitive, Budgets budgets) {
        this(analyzer, transcription, sensitive, budgets, Stylist.ofDefaults());
    }

    /** @param stylist decides each meeting's language and template from the node's settings and its batch's options */
    public Pipeline(Analyzer analyzer, Transcription transcription, SensitiveTier sensitive, Budgets budgets,
                    Stylist stylist) {
        this(analyzer, transcription, sensitive, budgets, stylist, Flex.NONE);
    }

    /** @param flex how meetings planned for the flex lane are sent ({@link Flex#NONE}: realtime) */
    public Pipeline(Analyzer analyzer, Transcription transcription, SensitiveTier sensitive, Budgets budgets,
                    Stylist stylist, Flex flex) {
        this.analyzer = analyzer;
        this.transcription = transcription;
        this.sensitive = sensitive;
        this.budgets = budgets;
        this.stylist = stylist;
        this.flex = java.util.Objects.requireNonNull(flex, "flex");
    }

    /**
     * How a checkpoint of something paid for is written. The dispatcher's holds it while the store is
     * unavailable and tries again with backoff, as it does an outcome, until the write is done or
     * refused (false: the lease was lost), or shutdown stops it ({@link StoppedHolding}).
     */
    @FunctionalInterface
    interface Checkpoints {
        /** Writes once: an unavailable store is thrown on ({@link StoreUnavailableException}). */
        Checkpoints ONCE = BooleanSupplier::getAsBoolean;

        boolean write(BooleanSupplier write) throws StoppedHolding;
    }

    /** Runs the steps, writing the transcription checkpoint once (see {@link Checkpoints#ONCE}). */
    public StepOutcome run(ClaimedMeeting meeting) {
        try {
            return run(meeting, Checkpoints.ONCE);
        } catch (StoppedHolding e) {
            throw new IllegalStateException("a single write cannot be stopped while held", e);
        }
    }

    StepOutcome run(ClaimedMeeting meeting, Checkpoints checkpoints) throws StoppedHolding {
        if (meeting.tier() == Tier.SENSITIVE) {
            Optional<Failure> refused = refuseSensitive(meeting);
            if (refused.isPresent()) return new StepOutcome.Failed(refused.get());
        }
        boolean budgeted = meeting.budgeted();
        Transcript transcript = meeting.transcript();
        if (meeting.needsTranscription()) {
            try {
                transcript = transcribe(meeting, budgeted, checkpoints);
            } catch (Stop stop) {
                return stop.outcome;
            }
        }
        // redacted, looked up in the result cache and estimated once; every layer reads what was found here
        Style style;
        try {
            style = stylist.resolve(meeting.style(), transcript);
        } catch (IllegalArgumentException e) {
            return new StepOutcome.Failed(Failure.of(Failure.Cause.INPUT, meeting.source() + ": " + e.getMessage()));
        }
        Analyzer.Request request;
        try {
            // a meeting planned for flex is prepared (estimated, priced) in flex; the lane it goes in is decided below
            request = analyzer.prepare(new Analyzer.Request(meeting.id(), meeting.title(), transcript, meeting.tenant())
                    .withMeetingDate(meeting.meetingDate())
                    .withStyle(style).inLane(meeting.lane() == Lane.FLEX ? Lane.FLEX : Lane.REALTIME));
            if (request.flex()) request = request.inLane(flex.laneFor(meeting, inputTokens(request)));
        } catch (StoreUnavailableException e) {
            throw e; // not the meeting's fault: the dispatcher gives it back to the queue
        } catch (RuntimeException | StackOverflowError e) {
            return crashed(meeting, e);
        }
        if (budgeted) {
            Optional<String> refused = reserve(meeting, request, meeting.lane() == Lane.FLEX && !request.flex());
            if (refused.isPresent()) return new StepOutcome.Skipped(refused.get());
        }
        return analyze(meeting, request);
    }

    /** The input tokens of the request as prepared (0 when it was not). */
    private static long inputTokens(Analyzer.Request request) {
        return request.preparedEstimate() == null ? 0 : request.preparedEstimate().inputTokens();
    }

    /**
     * Reserves the most the request's calls may cost: as prepared, unless it was prepared in another lane than it is
     * sent in ({@code otherLane}: a flex meeting sent realtime), which is estimated again at its own price.
     */
    private Optional<String> reserve(ClaimedMeeting meeting, Analyzer.Request request, boolean otherLane) {
        Analyzer.Estimate estimate = request.preparedEstimate() != null && !otherLane ? request.preparedEstimate()
                : analyzer.estimate(request);
        if (request.preparedEstimate() != null && request.preparedEstimate().cached()) estimate = estimate.answeredFromCache();
        return reserve(meeting, estimate.maxCostToPayUsd());
    }

    /**
     * Reserves the most the next call may cost from the batch's budget; the skip reason when it does not
     * fit. A call that costs nothing (a cached answer, a free model) needs no reservation.
     */
    private Optional<String> reserve(ClaimedMeeting meeting, double usd) {
        if (usd <= 0) return Optional.empty();
        MeetingQueue.Reservation reservation = budgets.reserve(meeting, usd);
        if (reservation.granted()) return Optional.empty();
        return Optional.of(reservation.budget().map(b -> b.refusal(usd))
                .orElse(Budget.EXHAUSTED + ": the lease was lost before the call could be reserved"));
    }

    /** A sensitive meeting goes to no provider that is not allowed to see it: it fails before any call, saying why. */
    private Optional<Failure> refuseSensitive(ClaimedMeeting meeting) {
        List<String> refused = new ArrayList<>();
        if (meeting.needsTranscription() && transcription != null && !sensitive.allowsTranscriber()) {
            refused.add("transcriber '" + transcription.transcriber().name() + "'");
        }
        if (!sensitive.allowsAnalyzer()) refused.add("provider '" + analyzer.name() + "'");
        if (refused.isEmpty()) return Optional.empty();
        return Optional.of(Failure.of(Failure.Cause.INPUT, meeting.source() + ": the meeting is in the sensitive tier and "
                + String.join(" and ", refused) + (refused.size() == 1 ? " is" : " are")
                + " not allowed to receive sensitive meetings (allow-sensitive: "
                + sensitive.allowedText()
                + "); use an allowed provider, e.g. --provider local, or add it to allow-sensitive"));
    }

    private StepOutcome analyze(ClaimedMeeting meeting, Analyzer.Request request) {
        try {
            Analyzer.Result result = analyzer.analyze(request);
            // a meeting planned for flex that no flex call answered (sent realtime, or answered by the cache) is realtime now
            Lane ran = result.lane() != null ? result.lane() : meeting.lane() == Lane.FLEX ? Lane.REALTIME : null;
            return new StepOutcome.Completed(result.analysis(), result.usage(), ran, result.listCostUsd());
        } catch (AnalyzerException e) {
            if (e.failure().cause() == Failure.Cause.FLEX_UNAVAILABLE && request.flex()) return flexRefused(meeting, request, e.failure());
            return new StepOutcome.Failed(e.failure());
        } catch (StoreUnavailableException e) {
            throw e; // not the meeting's fault: the dispatcher gives it back to the queue
        } catch (RuntimeException | StackOverflowError e) {
            return crashed(meeting, e);
        }
    }

    /**
     * The flex tier had no capacity for the meeting's call: it waits and tries flex again (no attempt used), or, when
     * its batch's deadline leaves no time to wait, runs realtime now, in this attempt.
     */
    private StepOutcome flexRefused(ClaimedMeeting meeting, Analyzer.Request request, Failure refusal) {
        // a store that cannot say the batch's deadline now is thrown on to the dispatcher, as elsewhere
        Optional<Duration> wait = flex.mayWait(meeting, refusal, inputTokens(request));
        if (wait.isPresent()) {
            return new StepOutcome.Failed(new Failure(Failure.Cause.FLEX_UNAVAILABLE, refusal.message()
                    + "; flex is tried again in " + wait.get().toSeconds() + " s", wait.get()));
        }
        Analyzer.Request realtime = request.inLane(Lane.REALTIME);
        if (meeting.budgeted()) {
            Optional<String> refused = reserve(meeting, realtime, true);
            if (refused.isPresent()) return new StepOutcome.Skipped(refused.get());
        }
        return analyze(meeting, realtime);
    }

    private StepOutcome crashed(ClaimedMeeting meeting, Throwable e) {
        log.error("analyzer '{}' crashed on {} ({})", analyzer.name(), meeting.source(), meeting.id(), e);
        return new StepOutcome.Failed(Failure.permanent(
                meeting.source() + ": internal error in the " + analyzer.name() + " analyzer: " + e));
    }

    /** With a budget, the most the transcription may cost is reserved first; checkpointing it settles that. */
    private Transcript transcribe(ClaimedMeeting meeting, boolean budgeted, Checkpoints checkpoints)
            throws Stop, StoppedHolding {
        if (transcription == null) {
            throw new Stop(Failure.of(Failure.Cause.INPUT, meeting.source() + " is a recording and no transcriber is set up"));
        }
        String blobKey = meeting.audio().blobKey();
        MediaFormat format = MediaFormat.fromMediaType(meeting.audio().mediaType()).orElseThrow(() -> new Stop(
                Failure.of(Failure.Cause.INPUT, meeting.source() + ": unsupported media type " + meeting.audio().mediaType())));
        long size = blobSize(meeting, blobKey);
        Transcriber transcriber = transcription.transcriber();
        Transcriber.Request request = new Transcriber.Request(meeting.id(), meeting.source(), meeting.title(),
                format, size, Transcriber.AudioSource.of(transcription.blobs(), blobKey));
        if (budgeted) {
            Optional<String> refused = reserve(meeting, transcriber.estimate(request).maxCostUsd());
            if (refused.isPresent()) throw new Stop(new StepOutcome.Skipped(refused.get()));
        }
        Transcriber.Result result;
        try {
            result = transcriber.transcribe(request);
        } catch (TranscriberException e) {
            throw new Stop(e.failure());
        } catch (StoreUnavailableException e) {
            throw e; // the shared rate limits cannot be read: not the meeting's fault, the dispatcher gives it back
        } catch (RuntimeException | StackOverflowError e) {
            log.error("transcriber '{}' crashed on {} ({})", transcriber.name(), meeting.source(), meeting.id(), e);
            throw new Stop(Failure.permanent(
                    meeting.source() + ": internal error in the " + transcriber.name() + " transcriber: " + e));
        }
        Transcript transcript = result.transcript();
        if (transcript == null || transcript.characterCount() == 0) {
            throw new Stop(Failure.of(Failure.Cause.INPUT, meeting.source() + ": the " + transcriber.name()
                    + " transcriber found no speech in the recording"));
        }
        boolean kept = checkpoints.write(() -> transcription.store().meetingTranscribed(new MeetingQueue.TranscribedParams(
                meeting.id(), transcription.owner(), meeting.attempt(), transcript, result.usage(), transcription.clock().instant())));
        if (!kept) {
            throw new Stop(Failure.of(Failure.Cause.LEASE_LOST, meeting.source() + ": the lease was lost while transcribing"));
        }
        return transcript;
    }

    private long blobSize(ClaimedMeeting meeting, String blobKey) throws Stop {
        Optional<Long> size;
        try {
            size = transcription.blobs().size(blobKey);
        } catch (IOException e) {
            throw new Stop(Failure.of(Failure.Cause.LOCAL_TRANSIENT, meeting.source() + ": cannot read its recording: " + e.getMessage()));
        }
        return size.orElseThrow(() -> new Stop(Failure.of(Failure.Cause.INPUT, meeting.source() + ": its recording (blob " + blobKey
                + ") is missing from the blob store; give the file again with --fresh")));
    }

    /** Ends the attempt before the analysis: with a failure, or skipped when the budget refused the transcription. */
    private static final class Stop extends Exception {
        private final transient StepOutcome outcome;

        Stop(Failure failure) {
            this(new StepOutcome.Failed(failure));
        }

        Stop(StepOutcome outcome) {
            super(outcome.toString(), null, false, false);
            this.outcome = outcome;
        }
    }
}
