package io.minutes.core.domain;

/** How many meetings of a batch are in each state ({@code waiting}: inside a provider batch). */
public record BatchCounts(int queued, int running, int completed, int failed, int skipped, int cancelled, int waiting) {

    public static final BatchCounts EMPTY = new BatchCounts(0, 0, 0, 0, 0, 0, 0);

    /** None waiting in a provider batch. */
    public BatchCounts(int queued, int running, int completed, int failed, int skipped, int cancelled) {
        this(queued, running, completed, failed, skipped, cancelled, 0);
    }

    public int total() {
        return queued + running + waiting + completed + failed + skipped + cancelled;
    }

    public int finished() {
        return completed + failed + skipped + cancelled;
    }

    public boolean isFinished() {
        return queued == 0 && running == 0 && waiting == 0;
    }

    /**
     * processing while anything is queued, running or waiting; then cancelled if anything was cancelled,
     * completed when nothing failed, failed when something failed and nothing completed, else partial.
     */
    public BatchStatus status() {
        if (!isFinished()) return BatchStatus.PROCESSING;
        if (cancelled > 0) return BatchStatus.CANCELLED;
        if (failed == 0) return BatchStatus.COMPLETED;
        return completed == 0 ? BatchStatus.FAILED : BatchStatus.PARTIAL;
    }

    public BatchCounts plus(MeetingState state, int n) {
        return switch (state) {
            case QUEUED -> new BatchCounts(queued + n, running, completed, failed, skipped, cancelled, waiting);
            case RUNNING -> new BatchCounts(queued, running + n, completed, failed, skipped, cancelled, waiting);
            case WAITING -> new BatchCounts(queued, running, completed, failed, skipped, cancelled, waiting + n);
            case COMPLETED -> new BatchCounts(queued, running, completed + n, failed, skipped, cancelled, waiting);
            case FAILED -> new BatchCounts(queued, running, completed, failed + n, skipped, cancelled, waiting);
            case SKIPPED -> new BatchCounts(queued, running, completed, failed, skipped + n, cancelled, waiting);
            case CANCELLED -> new BatchCounts(queued, running, completed, failed, skipped, cancelled + n, waiting);
        };
    }
}
