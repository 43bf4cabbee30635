package io.minutes.store;

import io.minutes.core.testing.Items;
import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Submission;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.MeetingQueue.Outcome;
import io.minutes.core.port.MeetingQueue.FinishParams;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.ApiKeyStore;
import io.minutes.core.port.ResultCache;
import io.minutes.core.port.ResultCache.ResultKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deduplication at batch creation and the result cache, on every store that implements both
 * {@link MeetingStore} and {@link ResultCache}.
 */
public abstract class DedupContract {
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    protected MeetingStore store;

    /** Judges every move the test's stores make against MeetingState's table. */
    protected final AllowedMovesWatch moves = new AllowedMovesWatch();

    protected abstract MeetingStore newStore();

    @BeforeEach
    void openStore() {
        store = moves.watch(newStore());
    }

    @AfterEach
    void closeStore() {
        store.close();
        moves.assertOnlyAllowedMoves();
    }

    private static NewMeeting meeting(String source, String title, String hash) {
        return NewMeeting.ready(source, title, hash, new Transcript("txt", List.of(Segment.of("Ann", "said in " + source))));
    }

    private Batch create(Instant at, OnDuplicate mode, Tier tier, NewMeeting... meetings) {
        return store.batchCreate(TestBatches.batch(null, "sim", at, List.of(meetings), Priority.NORMAL, mode, tier));
    }

    private static Analysis analysis(String summary) {
        return new Analysis("t", summary, List.of(Items.action("x", null, null)), List.of(), List.of(), List.of(), List.of());
    }

    private void completeAll(Instant now) {
        for (ClaimedMeeting c : store.meetingsClaim(new ClaimParams("n", 100, now, Duration.ofMinutes(1)))) {
            assertThat(store.meetingFinish(new FinishParams(c.id(), "n", c.attempt(), Outcome.completed(analysis("of " + c.source()), new Usage(10, 5, 0.01)), now))).isTrue();
        }
    }

    @Test
    void skipWithinOneBatchPointsTheDuplicateToTheFirstAndItShowsTheFirstsResult() {
        Batch batch = create(T0, OnDuplicate.SKIP, Tier.ORDINARY,
                meeting("a.vtt", "standup", "h1"), meeting("a.txt", "standup copy", "h1"), meeting("b.vtt", "retro", "h2"));
        List<Meeting> list = store.meetingsList(batch.id());
        assertThat(list).extracting(Meeting::state)
                .containsExactly(MeetingState.QUEUED, MeetingState.SKIPPED, MeetingState.QUEUED);
        assertThat(list.get(1).duplicateOf()).isEqualTo(list.get(0).id());
        assertThat(list.get(1).skipReason()).startsWith("duplicate of a.vtt").contains("no provider called");

        completeAll(T0.plusSeconds(1));

        List<Meeting> done = store.meetingsList(batch.id());
        assertThat(done.get(1).state()).isEqualTo(MeetingState.SKIPPED);
        assertThat(done.get(1).analysis().summary()).isEqualTo("of a.vtt");
        assertThat(done.get(1).usage()).isNull();
        assertThat(store.batchGet(batch.id()).orElseThrow().usage().costUsd()).isEqualTo(0.02, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void skipAcrossBatchesBySameContentOrSameTitleInTheSameTier() {
        Batch first = create(T0, OnDuplicate.SKIP, Tier.ORDINARY, meeting("a.vtt", "standup", "h1"));
        completeAll(T0.plusSeconds(1));
        Batch second = create(T0.plusSeconds(2), OnDuplicate.SKIP, Tier.ORDINARY,
                meeting("again.txt", "other name", "h1"), meeting("fixed.vtt", "standup", "h9"), meeting("new.vtt", "new", "h3"));
        Batch sensitive = create(T0.plusSeconds(3), OnDuplicate.SKIP, Tier.SENSITIVE, meeting("s.vtt", "standup", "h7"));

        List<Meeting> list = store.meetingsList(second.id());
        String originalId = store.meetingsList(first.id()).getFirst().id();
        assertThat(list).extracting(Meeting::state)
                .containsExactly(MeetingState.SKIPPED, MeetingState.SKIPPED, MeetingState.QUEUED);
        assertThat(list).extracting(Meeting::duplicateOf).containsExactly(originalId, originalId, null);
        assertThat(list.getFirst().analysis().summary()).isEqualTo("of a.vtt");
        assertThat(list.getFirst().skipReason()).contains(first.id());
        // the same title in another tier is another meeting
        assertThat(store.meetingsList(sensitive.id()).getFirst().state()).isEqualTo(MeetingState.QUEUED);
    }

    @Test
    void allowDuplicatesQueuesEveryMeeting() {
        create(T0, OnDuplicate.SKIP, Tier.ORDINARY, meeting("a.vtt", "standup", "h1"));
        Batch batch = create(T0.plusSeconds(1), OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY,
                meeting("a.vtt", "standup", "h1"), meeting("a.txt", "standup", "h1"));
        assertThat(store.meetingsList(batch.id())).extracting(Meeting::state, Meeting::duplicateOf)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MeetingState.QUEUED, null),
                        org.assertj.core.groups.Tuple.tuple(MeetingState.QUEUED, null));
    }

    @Test
    void replaceQueuesTheNewMeetingMarksTheOldReplacedAndDropsTheCachedAnswer() {
        ResultCache cache = (ResultCache) store;
        Batch first = create(T0, OnDuplicate.SKIP, Tier.ORDINARY, meeting("a.vtt", "standup", "h1"));
        completeAll(T0.plusSeconds(1));
        ResultKey key = new ResultKey("h1", ResultCache.ANALYSIS_VERSION, "sim", "sim", null);
        cache.resultPut(key, analysis("cached"), T0.plusSeconds(1));

        Batch second = create(T0.plusSeconds(2), OnDuplicate.REPLACE, Tier.ORDINARY,
                meeting("a2.vtt", "standup", "h1"), meeting("a3.vtt", "standup", "h1"));

        List<Meeting> list = store.meetingsList(second.id());
        Meeting old = store.meetingsList(first.id()).getFirst();
        // the old result stays readable, marked replaced; within the new batch the later copy wins
        assertThat(old.state()).isEqualTo(MeetingState.COMPLETED);
        assertThat(old.replacedBy()).isEqualTo(list.get(0).id());
        assertThat(list.get(0).state()).isEqualTo(MeetingState.SKIPPED);
        assertThat(list.get(0).replacedBy()).isEqualTo(list.get(1).id());
        assertThat(list.get(0).skipReason()).startsWith("replaced by a3.vtt");
        assertThat(list.get(1).state()).isEqualTo(MeetingState.QUEUED);
        assertThat(cache.resultFind(key)).isEmpty();
    }

    @Test
    void failedMeetingsAreNotOriginals() {
        Batch first = create(T0, OnDuplicate.SKIP, Tier.ORDINARY,
                NewMeeting.unreadable("a.vtt", "standup", io.minutes.core.domain.Failure.permanent("bad")));
        Batch second = create(T0.plusSeconds(1), OnDuplicate.SKIP, Tier.ORDINARY, meeting("a.vtt", "standup", "h1"));
        assertThat(store.meetingsList(second.id()).getFirst().state()).isEqualTo(MeetingState.QUEUED);
        assertThat(store.meetingsList(first.id()).getFirst().state()).isEqualTo(MeetingState.FAILED);
    }

    private Batch submit(Instant at, String tenant, OnDuplicate mode, List<Tier> tiers, NewMeeting... meetings) {
        return store.batchCreate(TestBatches.batch(null, "sim", at, List.of(meetings), Priority.NORMAL, mode, Tier.ORDINARY)
                .withSubmission(new Submission(tenant, mode, "normal", null), tiers));
    }

    private Batch submit(Instant at, String tenant, OnDuplicate mode, NewMeeting... meetings) {
        return submit(at, tenant, mode, java.util.Collections.nCopies(meetings.length, Tier.ORDINARY), meetings);
    }

    @Test
    void aTenantsMeetingsAreDeduplicatedAgainstItsOwnOnlyAndNeverNameAnotherTenants() {
        Batch acme = submit(T0, "acme", OnDuplicate.SKIP, meeting("a.vtt", "standup", "h1"));
        Batch cli = create(T0.plusSeconds(1), OnDuplicate.SKIP, Tier.ORDINARY, meeting("c.vtt", "retro", "h2"));

        Batch globex = submit(T0.plusSeconds(2), "globex", OnDuplicate.SKIP,
                meeting("a.vtt", "standup", "h1"), meeting("c.vtt", "retro", "h2"), meeting("copy.vtt", "other", "h1"));
        List<Meeting> theirs = store.meetingsList(globex.id());
        assertThat(theirs).extracting(Meeting::state)
                .as("the same content and titles as acme's and the CLI's: new to globex, except its own copy")
                .containsExactly(MeetingState.QUEUED, MeetingState.QUEUED, MeetingState.SKIPPED);
        assertThat(theirs.get(2).duplicateOf()).isEqualTo(theirs.get(0).id());
        assertThat(theirs.get(2).skipReason()).contains(globex.id()).doesNotContain(acme.id());

        Batch acmeAgain = submit(T0.plusSeconds(3), "acme", OnDuplicate.SKIP,
                meeting("a2.vtt", "renamed", "h1"), meeting("c.vtt", "retro", "h2"));
        List<Meeting> acmes = store.meetingsList(acmeAgain.id());
        assertThat(acmes).extracting(Meeting::state).containsExactly(MeetingState.SKIPPED, MeetingState.QUEUED);
        assertThat(acmes.get(0).duplicateOf()).isEqualTo(store.meetingsList(acme.id()).getFirst().id());
        assertThat(acmes.get(0).skipReason()).contains(acme.id()).doesNotContain(globex.id());

        // no API keys (tenant null) and the CLI share one scope, apart from every tenant
        Batch open = submit(T0.plusSeconds(4), null, OnDuplicate.SKIP,
                meeting("c-again.vtt", "retro again", "h2"), meeting("a.vtt", "standup", "h1"));
        List<Meeting> opens = store.meetingsList(open.id());
        assertThat(opens).extracting(Meeting::state).containsExactly(MeetingState.SKIPPED, MeetingState.QUEUED);
        assertThat(opens.get(0).duplicateOf()).isEqualTo(store.meetingsList(cli.id()).getFirst().id());
        Batch cliAgain = create(T0.plusSeconds(5), OnDuplicate.SKIP, Tier.ORDINARY, meeting("a.vtt", "standup", "h1"));
        assertThat(store.meetingsList(cliAgain.id()).getFirst().duplicateOf()).isEqualTo(opens.get(1).id());
    }

    @Test
    void replaceInOneTenantLeavesAnotherTenantsMeetingAndCachedAnswerAlone() {
        Batch acme = submit(T0, "acme", OnDuplicate.SKIP, meeting("a.vtt", "standup", "h1"));
        Batch globex = submit(T0.plusSeconds(1), "globex", OnDuplicate.REPLACE, meeting("a.vtt", "standup", "h1"));
        assertThat(store.meetingsList(acme.id()).getFirst().replacedBy()).isNull();
        assertThat(store.meetingsList(globex.id()).getFirst().state()).isEqualTo(MeetingState.QUEUED);
    }

    @Test
    void aMeetingAnsweredByAnotherProviderOrModelIsNotADuplicateOfIt() {
        String local = "local/local/analysis-1";
        String openai = "openai/gpt-4o-mini/analysis-1";
        store.batchCreate(TestBatches.batch("k1", "local", T0, List.of(meeting("a.vtt", "standup", "h1")),
                Priority.NORMAL, OnDuplicate.SKIP, Tier.ORDINARY, null, local));
        completeAll(T0.plusSeconds(1));

        Batch asked = store.batchCreate(TestBatches.batch("k2", "openai", T0.plusSeconds(2),
                List.of(meeting("a.vtt", "standup", "h1")), Priority.NORMAL, OnDuplicate.SKIP, Tier.ORDINARY, null, openai));
        Batch again = store.batchCreate(TestBatches.batch("k3", "openai", T0.plusSeconds(3),
                List.of(meeting("a.vtt", "standup", "h1")), Priority.NORMAL, OnDuplicate.SKIP, Tier.ORDINARY, null, openai));

        assertThat(store.meetingsList(asked.id()).getFirst().state()).as("the local minutes are not openai's")
                .isEqualTo(MeetingState.QUEUED);
        assertThat(store.meetingsList(again.id()).getFirst().duplicateOf())
                .isEqualTo(store.meetingsList(asked.id()).getFirst().id());
    }

    @Test
    void theResultCacheKeepsEachTenantsAnswersApartAndAClaimSaysWhoseMeetingItIs() {
        ResultCache cache = (ResultCache) store;
        ResultKey acme = new ResultKey("h1", ResultCache.ANALYSIS_VERSION, "sim", "sim", "acme");
        cache.resultPut(acme, analysis("acme's"), T0);

        assertThat(cache.resultFind(acme)).map(Analysis::summary).contains("acme's");
        assertThat(cache.resultFind(new ResultKey("h1", ResultCache.ANALYSIS_VERSION, "sim", "sim", "globex"))).isEmpty();
        assertThat(cache.resultFind(new ResultKey("h1", ResultCache.ANALYSIS_VERSION, "sim", "sim", null))).isEmpty();

        submit(T0, "acme", OnDuplicate.SKIP, meeting("a.vtt", "standup", "h1"));
        create(T0.plusSeconds(1), OnDuplicate.SKIP, Tier.ORDINARY, meeting("b.vtt", "retro", "h2"));
        submit(T0.plusSeconds(2), "globex", OnDuplicate.REPLACE, meeting("a.vtt", "standup", "h1"));
        assertThat(cache.resultFind(acme)).as("globex's replace leaves acme's answer alone").isPresent();
        assertThat(store.meetingsClaim(new ClaimParams("n", 10, T0.plusSeconds(3), Duration.ofMinutes(1))))
                .extracting(ClaimedMeeting::source, ClaimedMeeting::tenant)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a.vtt", "acme"), org.assertj.core.groups.Tuple.tuple("b.vtt", null),
                        org.assertj.core.groups.Tuple.tuple("a.vtt", "globex"));
    }

    @Test
    void batchesStoredBeforeTheFirstApiKeyBelongToItsTenantInsteadOfToNoOne() {
        Batch cli = create(T0, OnDuplicate.SKIP, Tier.ORDINARY, meeting("a.vtt", "standup", "h1"));
        Batch keyless = submit(T0.plusSeconds(1), null, OnDuplicate.SKIP, meeting("b.vtt", "retro", "h2"));

        store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("acme", "hash-1", T0.plusSeconds(2)));
        store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("globex", "hash-2", T0.plusSeconds(3)));
        Batch cliLater = create(T0.plusSeconds(4), OnDuplicate.SKIP, Tier.ORDINARY, meeting("c.vtt", "plan", "h3"));

        assertThat(store.batchPage(new BatchStore.BatchPageParams("acme", null, 10))).extracting(Batch::id)
                .containsExactly(keyless.id(), cli.id());
        assertThat(store.batchPage(new BatchStore.BatchPageParams("globex", null, 10))).isEmpty();
        assertThat(store.submissionGet(cli.id())).map(Submission::tenant).contains("acme");
        assertThat(store.submissionGet(cliLater.id())).as("a CLI batch made once keys exist is the operator's").isEmpty();
    }

    @Test
    void aMadeUpTitleIsNotComparedButTheContentStillIs() {
        create(T0, OnDuplicate.SKIP, Tier.ORDINARY, meeting("meeting-1.txt", "Meeting 1", "h1").untitled());
        Batch second = create(T0.plusSeconds(1), OnDuplicate.SKIP, Tier.ORDINARY,
                meeting("meeting-1.txt", "Meeting 1", "h2").untitled(), meeting("meeting-2.txt", "Meeting 2", "h1").untitled());
        assertThat(store.meetingsList(second.id())).extracting(Meeting::state)
                .containsExactly(MeetingState.QUEUED, MeetingState.SKIPPED);
    }

    @Test
    void titlesAreComparedWithinEachMeetingsOwnTier() {
        Batch first = submit(T0, "acme", OnDuplicate.SKIP, List.of(Tier.SENSITIVE, Tier.ORDINARY),
                meeting("board.vtt", "board", "h1"), meeting("sync.vtt", "sync", "h2"));
        Batch second = submit(T0.plusSeconds(1), "acme", OnDuplicate.SKIP, List.of(Tier.ORDINARY, Tier.SENSITIVE, Tier.SENSITIVE),
                meeting("board2.vtt", "board", "h3"), meeting("sync2.vtt", "sync", "h4"), meeting("board3.vtt", "board", "h5"));
        assertThat(store.meetingsList(second.id())).extracting(Meeting::state)
                .containsExactly(MeetingState.QUEUED, MeetingState.QUEUED, MeetingState.SKIPPED);
        assertThat(store.meetingsList(second.id()).get(2).duplicateOf()).isEqualTo(store.meetingsList(first.id()).getFirst().id());
        assertThat(store.meetingGet(store.meetingsList(second.id()).get(1).id()).orElseThrow().tier()).isEqualTo(Tier.SENSITIVE);
    }

    @Test
    void aPreviewSaysWhatWouldBeProcessedAndStoresNothing() {
        ResultCache cache = (ResultCache) store;
        Batch first = submit(T0, "acme", OnDuplicate.SKIP, meeting("a.vtt", "standup", "h1"));
        completeAll(T0.plusSeconds(1));
        ResultKey key = new ResultKey("h1", ResultCache.ANALYSIS_VERSION, "sim", "sim", null);
        cache.resultPut(key, analysis("cached"), T0.plusSeconds(1));
        List<NewMeeting> meetings = List.of(meeting("again.vtt", "other", "h1"), meeting("new.vtt", "new", "h2"),
                meeting("new-copy.vtt", "new copy", "h2"), NewMeeting.skipped("tiny.txt", "tiny", "too short"));

        List<MeetingState> skip = store.batchPreview(TestBatches.batch(null, "sim", T0.plusSeconds(2), meetings, Priority.NORMAL, OnDuplicate.SKIP, Tier.ORDINARY)
                .withSubmission(new Submission("acme", OnDuplicate.SKIP, "normal", null), java.util.Collections.nCopies(4, Tier.ORDINARY)));
        List<MeetingState> replace = store.batchPreview(TestBatches.batch(null, "sim", T0.plusSeconds(2), meetings, Priority.NORMAL, OnDuplicate.REPLACE, Tier.ORDINARY)
                .withSubmission(new Submission("acme", OnDuplicate.REPLACE, "normal", null), java.util.Collections.nCopies(4, Tier.ORDINARY)));
        List<MeetingState> otherTenant = store.batchPreview(TestBatches.batch(null, "sim", T0.plusSeconds(2), meetings, Priority.NORMAL, OnDuplicate.SKIP, Tier.ORDINARY)
                .withSubmission(new Submission("globex", OnDuplicate.SKIP, "normal", null), java.util.Collections.nCopies(4, Tier.ORDINARY)));

        assertThat(skip).containsExactly(MeetingState.SKIPPED, MeetingState.QUEUED, MeetingState.SKIPPED, MeetingState.SKIPPED);
        assertThat(replace).containsExactly(MeetingState.QUEUED, MeetingState.SKIPPED, MeetingState.QUEUED, MeetingState.SKIPPED);
        assertThat(otherTenant).containsExactly(MeetingState.QUEUED, MeetingState.QUEUED, MeetingState.SKIPPED, MeetingState.SKIPPED);
        assertThat(store.batchPage(new BatchStore.BatchPageParams(null, null, 10))).extracting(Batch::id).containsExactly(first.id());
        assertThat(store.meetingsList(first.id()).getFirst().replacedBy()).as("the replace was not kept").isNull();
        assertThat(cache.resultFind(key)).as("nor the dropped answer").isPresent();
        assertThat(store.countsAll().counts().total()).isEqualTo(1);
    }

    @Test
    void resultCacheKeepsOneAnswerPerHashVersionProviderAndModel() {
        ResultCache cache = (ResultCache) store;
        ResultKey key = new ResultKey("h1", "1", "openai", "gpt-a", null);
        assertThat(cache.resultFind(key)).isEmpty();
        cache.resultPut(key, analysis("first"), T0);
        cache.resultPut(key, analysis("second"), T0.plusSeconds(1));
        assertThat(cache.resultFind(key)).map(Analysis::summary).contains("second");
        assertThat(cache.resultFind(new ResultKey("h1", "1", "openai", "gpt-b", null))).isEmpty();
        assertThat(cache.resultFind(new ResultKey("h1", "2", "openai", "gpt-a", null))).isEmpty();
        assertThat(cache.resultFind(new ResultKey("h1", "1", "anthropic", "gpt-a", null))).isEmpty();
    }
}
