package io.minutes.app.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every section, each setting in exactly one, and the sections each command reads: a command's options are
 * the settings of its sections. {@link Config#resolve} runs the check of every section it resolved.
 */
public final class Sections {
    private Sections() {
    }

    public static final Section GENERAL = Section.of("general", Settings.CONFIG, Settings.LOG_LEVEL);
    public static final Section STORE = Section.of("store", Settings.DB, Settings.BLOB_DIR, Settings.RETENTION);
    public static final Section OUTPUT = Section.of("output", Settings.OUT);
    public static final Section PRIVACY = Section.of("privacy", Settings.ALLOW_SENSITIVE, Settings.REDACT, Settings.UNSUPPORTED_ITEMS);
    /** What a new batch asks for: its priority, lane, duplicates, tier, budget and deadline. */
    public static final Section BATCH = Section.of("batch", Settings.PRIORITY, Settings.LANE, Settings.ON_DUPLICATE, Settings.TIER,
            Settings.BUDGET, Settings.ALLOW_OVER_BUDGET, Settings.DEADLINE);
    /** How a node drives the provider batches of the batch lane. */
    public static final Section LANES = Section.of("lanes", Settings.BATCH_POLL_INTERVAL, Settings.ENQUEUED_TOKEN_LIMIT);
    /** The service submit and status talk to. */
    public static final Section CLIENT = Section.of("client", Settings.SERVER);

    public static final List<Section> ALL = List.of(GENERAL, STORE, OUTPUT, ProviderSection.SECTION, RateLimitSection.SECTION,
            EngineSection.SECTION, RetrySection.SECTION, LANES, PRIVACY, BATCH, IngestSection.SECTION, SimSection.SECTION,
            TranscriberSection.SECTION, ServeSection.SECTION, CLIENT, LaneSection.SECTION);

    /** The sections of the engine: what a process that works through the queue reads. */
    private static final List<Section> ENGINE = List.of(GENERAL, STORE, ProviderSection.SECTION, RateLimitSection.SECTION,
            EngineSection.SECTION, RetrySection.SECTION, LANES, PRIVACY, SimSection.SECTION, TranscriberSection.SECTION,
            LaneSection.SECTION);

    /** run: the engine, plus reading the inputs, submitting them as a batch and writing the minutes. */
    public static final List<Section> RUN = concat(ENGINE, List.of(OUTPUT, BATCH, IngestSection.SECTION));

    /** worker: the engine only; batches come in through run, submit or serve. */
    public static final List<Section> WORKER = ENGINE;

    /** estimate: what run reads but the output. */
    public static final List<Section> ESTIMATE = concat(ENGINE, List.of(BATCH, IngestSection.SECTION));

    /** eval: the analyzer and how transcripts are read; it stores nothing and runs no engine. */
    public static final List<Section> EVAL = List.of(GENERAL, ProviderSection.SECTION, SimSection.SECTION, IngestSection.SECTION);

    /** The settings of {@code sections}, in the order of {@link Settings#ALL}. */
    public static List<Setting<?>> settingsOf(List<Section> sections) {
        Set<Setting<?>> read = sections.stream().flatMap(s -> s.settings().stream()).collect(Collectors.toSet());
        return Settings.ALL.stream().filter(read::contains).toList();
    }

    public static List<Setting<?>> settingsOf(Section... sections) {
        return settingsOf(Arrays.asList(sections));
    }

    /** Runs the check of each section whose settings {@code config} has all resolved. */
    static void checkTogether(Config config, List<String> problems) {
        for (Section section : ALL) {
            if (section.settings().stream().allMatch(config::has)) section.check().check(config, problems);
        }
    }

    /**
     * The checks that need the environment, for a command that will call the provider or the transcriber:
     * an API key where the official API needs one (see {@link ProviderSection#check}, {@link
     * TranscriberSection#check}). Run right after {@link Config#resolve}, before anything is opened; builds
     * no analyzer. Every problem is reported at once.
     */
    public static void checkKeys(Config config, Map<String, String> env) throws ConfigException {
        List<String> problems = new java.util.ArrayList<>();
        if (ProviderSection.SECTION.settings().stream().allMatch(config::has)) {
            try {
                ProviderSection.of(config).check(env);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (TranscriberSection.SECTION.settings().stream().allMatch(config::has) && config.has(Settings.PROVIDER)) {
            try {
                TranscriberSection.of(config).check(env);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }

    private static List<Section> concat(List<Section> a, List<Section> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
