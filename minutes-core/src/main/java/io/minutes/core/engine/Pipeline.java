package io.minutes.core.engine;

import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps one meeting goes through on one attempt. Today: analyze. Failures come back as values;
 * an exception from an adapter is a bug, logged with its stack trace and failed permanently so one
 * meeting's bug cannot take the batch down.
 */
public final class Pipeline {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    private final Analyzer analyzer;

    public Pipeline(Analyzer analyzer) {
        this.analyzer = analyzer;
    }

    public StepOutcome run(ClaimedMeeting meeting) {
        try {
            Analyzer.Result result = analyzer.analyze(
                    new Analyzer.Request(meeting.id(), meeting.title(), meeting.transcript()));
            return new StepOutcome.Completed(result.analysis(), result.usage());
        } catch (AnalyzerException e) {
            return new StepOutcome.Failed(e.failure());
        } catch (RuntimeException | StackOverflowError e) {
            log.error("analyzer '{}' crashed on {} ({})", analyzer.name(), meeting.source(), meeting.id(), e);
            return new StepOutcome.Failed(Failure.permanent(
                    meeting.source() + ": internal error in the " + analyzer.name() + " analyzer: " + e));
        }
    }
}
