package io.minutes.providers.cost;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answers already paid for of meetings whose work is not finished (the parts of a long transcript,
 * the pieces of a recording), kept on this node so that when such a meeting is tried again here the
 * provider is not asked, and paid, for them a second time. A meeting's answers are let go when it ends
 * ({@link #release}); the least recently used meeting is let go past {@code meetings} (one that went to
 * another node or was cancelled). Thread-safe.
 *
 * @param <K> what identifies one call within a meeting (its prompt, its piece)
 * @param <V> the answer
 */
public final class HeldAnswers<K, V> {
    private final Map<String, Map<K, V>> byMeeting;

    public HeldAnswers(int meetings) {
        if (meetings < 1) throw new IllegalArgumentException("meetings must be >= 1, was " + meetings);
        this.byMeeting = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<K, V>> eldest) {
                return size() > meetings;
            }
        };
    }

    public synchronized Optional<V> find(String meetingId, K call) {
        Map<K, V> held = byMeeting.get(meetingId);
        return held == null ? Optional.empty() : Optional.ofNullable(held.get(call));
    }

    public synchronized void hold(String meetingId, K call, V answer) {
        byMeeting.computeIfAbsent(meetingId, id -> new HashMap<>()).put(call, answer);
    }

    /** The meeting's work ended (answered, or failed for good): its answers are not needed again. */
    public synchronized void release(String meetingId) {
        byMeeting.remove(meetingId);
    }

    public synchronized int meetings() {
        return byMeeting.size();
    }
}
