package io.minutes.core.domain;

import java.util.Locale;

/**
 * The provider's own counts for one provider batch holding meetings of a Minutes batch, as last polled:
 * "in provider batch X: 812 of 1,000 done". {@code id}: the provider's batch id (our key until it is created);
 * {@code status}: the provider's status in lower case (validating, in_progress, finalizing, ...).
 */
public record ProviderBatchProgress(String id, String status, int done, int total) {
    public String describe() {
        return "in provider batch " + id + ": " + String.format(Locale.ROOT, "%,d", done) + " of "
                + String.format(Locale.ROOT, "%,d", total) + " done (" + status + ")";
    }
}
