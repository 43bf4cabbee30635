package io.minutes.core.port;

import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Usage;

/**
 * Admission of each call an adapter makes to a provider, one by one: a meeting that makes several calls
 * (the parts of a long transcript and their merge, a repair, the pieces of a long recording) takes the
 * provider's allowance for each call as it goes, sized for that call, and settles it with what that call
 * used. Called from many virtual threads at once.
 */
public interface CallAdmission {

    /**
     * Waits (in order of arrival) until a call of {@code estimate}'s size may go to the provider, and takes
     * its allowance: 1 request, its input tokens and its output reservation ({@link Analyzer.Estimate#NONE}:
     * a request only, as a transcription costs). A shared store of the limits that cannot be reached is
     * thrown as {@link StoreUnavailableException}: nothing was sent, and it is not the meeting's fault.
     */
    Ticket admit(Analyzer.Estimate estimate) throws InterruptedException;

    /** One admitted call: told exactly once how it went. */
    interface Ticket {
        /** The provider answered; {@code usage} is what it counted for this call (null: it did not say). */
        void answered(Usage usage);

        /**
         * The call failed with {@code failure}; its reservation is given back when the provider did not
         * count the call ({@link Failure#countedByProvider()}: a 429 refused at its gate).
         */
        void failed(Failure failure);
    }

    /** Admits every call at once and counts nothing: an adapter used on its own (tests, estimates). */
    CallAdmission NONE = estimate -> new Ticket() {
        @Override
        public void answered(Usage usage) {
        }

        @Override
        public void failed(Failure failure) {
        }
    };
}
