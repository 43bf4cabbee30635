package io.minutes.core.engine;

import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/** Each call admitted by a {@link Throttle}: a permit per call, settled with that call's own usage. */
public final class ThrottledCalls implements CallAdmission {
    private static final Logger log = LoggerFactory.getLogger(ThrottledCalls.class);
    private final Throttle throttle;
    private final Consumer<RuntimeException> settleFailed;

    /** {@code settleFailed} hears when the throttle's books could not be written (buckets kept in a store). */
    public ThrottledCalls(Throttle throttle, Consumer<RuntimeException> settleFailed) {
        this.throttle = throttle;
        this.settleFailed = settleFailed;
    }

    @Override
    public Ticket admit(Analyzer.Estimate estimate) throws InterruptedException {
        Throttle.Permit permit;
        try {
            permit = throttle.acquire(estimate);
        } catch (RuntimeException e) {
            // only buckets kept in a shared store fail here: nothing was sent, and it is not the meeting's fault
            throw new StoreUnavailableException(StoreUnavailableException.DATABASE_UNREACHABLE, "throttle", e);
        }
        return new Ticket() {
            @Override
            public void answered(Usage usage) {
                settle(() -> throttle.settle(permit, usage));
            }

            @Override
            public void failed(Failure failure) {
                settle(() -> throttle.failed(permit, !failure.countedByProvider()));
            }
        };
    }

    /** A paid answer is never lost to the rate-limit bookkeeping: buckets that cannot be written are left as reserved. */
    private void settle(Runnable books) {
        try {
            books.run();
        } catch (RuntimeException e) {
            settleFailed.accept(e);
            log.debug("could not settle the rate-limit reservation: {}", e.toString());
        }
    }
}
