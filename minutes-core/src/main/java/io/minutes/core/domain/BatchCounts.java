package io.minutes.core.domain;

/** How many meetings of a batch are in each state. */
public record BatchCounts(int queued, int running, int completed, int failed, int skipped, int cancelled) {

    public static final BatchCounts EMPTY = new BatchCounts(0, 0, 0, 0, 0, 0);

    public int total() {
        return queued + running + completed + failed + skipped + cancelled;
    }

    public int finished() {
        return completed + failed + skipped + cancelled;
    }

    public boolean isFinished() {
        return queued == 0 && running == 0;
    }

    /**
     * processing while anything is queued or running; then cancelled if anything was cancelled,
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
            case QUEUED -> new BatchCounts(queued + n, running, completed, failed, skipped, cancelled);
            case RUNNING -> new BatchCounts(queued, running + n, completed, failed, skipped, cancelled);
            case COMPLETED -> new BatchCounts(queued, running, completed + n, failed, skipped, cancelled);
            case FAILED -> new BatchCounts(queued, running, completed, failed + n, skipped, cancelled);
            case SKIPPED -> new BatchCounts(queued, running, completed, failed, skipped + n, cancelled);
            case CANCELLED -> new BatchCounts(queued, running, completed, failed, skipped, cancelled + n);
        };
    }
}
