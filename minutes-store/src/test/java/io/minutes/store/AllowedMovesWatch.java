package io.minutes.store;

import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore.BatchPageParams;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MeetingState} is the oracle of the store: every store a contract test opens is watched, the
 * state of every stored meeting is read before and after each of its operations, and each change is
 * judged by {@link MeetingState#canMoveTo} (a new meeting by {@link MeetingState#initial()}; a meeting
 * may disappear, by retention, only once it is final). The contract suite fails in its
 * {@code @AfterEach} on any forbidden move, naming the operation (jobrunr checks
 * {@code AllowedJobStateStateChanges} in {@code Job.addJobState} the same way).
 *
 * <p>Reads are not judged. An operation that overlapped another one (a test's concurrent claims) is not judged: two moves
 * of one meeting by two operations would read as one move.
 */
public final class AllowedMovesWatch {
    /** Operations that only read: not judged, so a test that reads often stays fast. Any other is judged. */
    private static final Set<String> READS = Set.of(
            "batchPreview", "batchBudget", "batchGet", "batchFindByRunKey", "meetingsList", "meetingsPage",
            "meetingRateLimitedSince", "leaseOwners", "meetingsHeldBy", "nextDueAt", "checkWritable",
            "submissionGet", "batchPage", "meetingsBrief", "meetingGet", "countsAll", "apiKeyTenant",
            "apiKeysCount", "batchFirstTitle", "apiKeysList", "resultFind", "rateWindowPerSecondSince", "batchView",
            "meetingsLaneDue", "providerBatchGet", "providerBatchMeetings", "providerBatchLedger", "providerBatchOwners");

    private final List<String> forbidden = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong started = new AtomicLong();
    private final AtomicInteger judged = new AtomicInteger();

    /** The store, every operation of it watched; it implements every interface the store does. */
    public MeetingStore watch(MeetingStore store) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> c = store.getClass(); c != null; c = c.getSuperclass()) collectPublicInterfaces(c, interfaces);
        return (MeetingStore) Proxy.newProxyInstance(MeetingStore.class.getClassLoader(),
                interfaces.toArray(Class<?>[]::new), new Judge(store));
    }

    /** Fails when any watched operation made a move the table forbids. */
    public void assertOnlyAllowedMoves() {
        assertThat(forbidden).as("moves of a meeting's state that MeetingState.canMoveTo forbids").isEmpty();
    }

    /** How many operations were judged alone so far: a test of this watch checks it did look. */
    public int judgedOperations() {
        return judged.get();
    }

    private static void collectPublicInterfaces(Class<?> type, Set<Class<?>> into) {
        for (Class<?> i : type.getInterfaces()) {
            if (Modifier.isPublic(i.getModifiers())) into.add(i);
            collectPublicInterfaces(i, into);
        }
    }

    private final class Judge implements InvocationHandler {
        private final MeetingStore target;

        Judge(MeetingStore target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "watched " + target;
                    default -> call(method, args);
                };
            }
            if (method.getName().equals("close") || READS.contains(method.getName())) return call(method, args);

            long ticket = started.incrementAndGet();
            boolean othersInFlight = inFlight.getAndIncrement() > 0;
            Map<String, MeetingState> before = othersInFlight ? null : statesOrNull();
            try {
                return call(method, args);
            } finally {
                Map<String, MeetingState> after = before == null ? null : statesOrNull();
                boolean alone = !othersInFlight && started.get() == ticket;
                inFlight.decrementAndGet();
                if (alone && before != null && after != null) {
                    judged.incrementAndGet();
                    judge(method.getName(), before, after);
                }
            }
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        /** Every stored meeting's state, read through the port; null when the store cannot be read (closed). */
        private Map<String, MeetingState> statesOrNull() {
            try {
                Map<String, MeetingState> states = new HashMap<>();
                for (Batch batch : target.batchPage(new BatchPageParams(null, null, Integer.MAX_VALUE))) {
                    for (Meeting meeting : target.meetingsBrief(batch.id())) states.put(meeting.id(), meeting.state());
                }
                return states;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }

        private void judge(String operation, Map<String, MeetingState> before, Map<String, MeetingState> after) {
            List<String> found = new ArrayList<>();
            after.forEach((id, now) -> {
                MeetingState was = before.get(id);
                if (was == null && !MeetingState.initial().contains(now)) {
                    found.add(operation + " stored meeting " + id + " as " + now.wireName());
                } else if (was != null && was != now && !was.canMoveTo(now)) {
                    found.add(operation + " moved meeting " + id + " " + was.wireName() + " -> " + now.wireName());
                }
            });
            before.forEach((id, was) -> {
                if (!after.containsKey(id) && !was.isFinal()) {
                    found.add(operation + " deleted meeting " + id + " while " + was.wireName());
                }
            });
            forbidden.addAll(found);
        }
    }
}
