package io.minutes.app.config;

import io.minutes.core.trust.UnsupportedItems;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Tier;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.lane.BatchLatency;
import io.minutes.core.lane.Deadline;
import io.minutes.core.lane.DeadlineBuffer;
import io.minutes.core.lane.LaneChoice;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.style.LanguageChoice;
import io.minutes.providers.cost.Prices;
import io.minutes.providers.llm.ModelLimits;
import io.minutes.server.ServerOptions;
import io.minutes.core.ingest.ZipLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every setting Minutes has, with its default: the one place the README's configuration table comes from. */
public final class Settings {
    private Settings() {
    }

    public static final Setting<Path> CONFIG = new Setting<>("config", "FILE",
            "Config file (Java properties: key = value, keys are the option names without --). Used when it exists.",
            "./minutes.properties", Path::of, false);

    public static final Setting<DbLocation> DB = new Setting<>("db", "PATH|URL",
            "Where the queue and every result live (a rerun resumes from it): a SQLite file, or a PostgreSQL database "
                    + "that many workers share, postgresql://user[:password]@host:port/db or jdbc:postgresql://host:port/db?user=...",
            "./minutes-data/minutes.db", DbLocation::parse, true);

    public static final Setting<Path> OUT = new Setting<>("out", "DIR",
            "Where minutes are written: <name>.json, <name>.md and batch.json.",
            "./minutes-out", Path::of, false);

    public static final Setting<String> PROVIDER = new Setting<>("provider", "NAME",
            "Who writes the minutes: " + Providers.listed(Providers.Provider::analyzes, p -> p.name() + " (" + p.analyzerHelp() + ")") + ".",
            Providers.LOCAL.name(), oneOf(Providers.analyzers().stream().map(Providers.Provider::name).toArray(String[]::new)), false);

    /** The default of model, base-url and api-key-env: chosen by the provider. */
    public static final String AUTO = "auto";

    public static final Setting<String> MODEL = new Setting<>("model", "NAME",
            Providers.remoteNames() + ": the model; auto is "
                    + Providers.listed(Providers.Provider::remote, p -> p.defaultModel() + " (" + p.name() + ")") + ".",
            AUTO, Settings::notBlank, false);

    public static final Setting<String> BASE_URL = new Setting<>("base-url", "URL",
            Providers.remoteNames() + ": the API's base URL, e.g. http://127.0.0.1:11434/v1 for Ollama; auto is "
                    + Providers.listed(Providers.Provider::remote, p -> p.baseUrl() + " (" + p.name() + ")") + ".",
            AUTO, Settings::autoOrUrl, false);

    public static final Setting<String> API_KEY_ENV = new Setting<>("api-key-env", "NAME",
            Providers.remoteNames() + ": the environment variable holding the API key (the key itself is never a setting, never "
                    + "logged or stored); auto is " + Providers.listed(Providers.Provider::remote, p -> p.apiKeyEnv() + " (" + p.name() + ")")
                    + ". A server other than " + Providers.remote().stream().map(p -> java.net.URI.create(p.baseUrl()).getHost())
                    .collect(java.util.stream.Collectors.joining(" / ")) + " may need no key.",
            AUTO, Settings::envVarName, false);

    public static final Setting<Integer> MAX_OUTPUT_TOKENS = new Setting<>("max-output-tokens", "N",
            "openai/anthropic: most tokens one answer may have (max_tokens); reserved from the token budget for every call.",
            "4096", intAtLeast(16, 1_000_000), false);

    public static final Setting<Long> CONTEXT_TOKENS = new Setting<>("context-tokens", "N",
            "openai/anthropic: the model's context window in tokens; a longer transcript is analysed in parts. auto knows "
                    + "the common OpenAI and Anthropic models and assumes " + ModelLimits.UNKNOWN_CONTEXT + " for others "
                    + "(set it for Ollama/vLLM models).",
            AUTO, raw -> raw.equalsIgnoreCase(AUTO) ? null : (long) intAtLeast(1_000, 100_000_000).apply(raw), false);

    public static final Setting<String> STRUCTURED_OUTPUT = new Setting<>("structured-output", "MODE",
            "openai: json_schema (strict structured outputs), json_object (JSON mode, the schema in the prompt) or auto "
                    + "(json_schema, switching to json_object when the server answers 400 to it).",
            "auto", oneOf("auto", "json_schema", "json_object"), false);

    public static final Setting<Duration> REQUEST_TIMEOUT = new Setting<>("request-timeout", "DURATION",
            "openai/anthropic: longest wait for one answer; a call that takes longer fails transiently and is retried.",
            "120s", Settings::positiveDuration, false);

    public static final Setting<Duration> CONNECT_TIMEOUT = new Setting<>("connect-timeout", "DURATION",
            "openai/anthropic: longest wait to connect to the provider.", "10s", Settings::positiveDuration, false);

    public static final Setting<Prices> PRICES = new Setting<>("prices", "LIST",
            "USD prices by model over the built-in table (see README): MODEL=IN/OUT per million input/output tokens, "
                    + "MODEL=USD/min per audio minute, batch:MODEL=IN/OUT and flex:MODEL=IN/OUT (default: half the list price), "
                    + "cached:MODEL=IN per million cached input tokens, cache-write:MODEL=IN per million input tokens written to "
                    + "the prompt cache (default: 1.25 times input for Claude, input for others), comma separated, "
                    + "e.g. my-llama=0/0,gpt-4o=2.5/10. "
                    + "A model with no price costs 0, with a warning.",
            Prices.BUILT_IN, Prices::parse, false);

    /** {@code auto}: adaptive, up to {@link #CONCURRENCY_MAX}; otherwise a fixed number of meetings in flight. */
    public record Concurrency(boolean auto, int fixed) {
        static Concurrency parse(String raw) {
            if (raw.equalsIgnoreCase("auto")) return new Concurrency(true, 0);
            try {
                return new Concurrency(false, intAtLeast(1, 10_000).apply(raw));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be auto or a whole number between 1 and 10000, got '" + raw + "'");
            }
        }
    }

    public static final Setting<Concurrency> CONCURRENCY = new Setting<>("concurrency", "N|auto",
            "Most meetings processed at once, or auto: as many as the provider's latency and limits allow "
                    + "(additive increase, multiplicative decrease on 429s and timeouts), up to concurrency-max.",
            String.valueOf(EngineSettings.DEFAULT_CONCURRENCY), Concurrency::parse, false);

    public static final Setting<Integer> CONCURRENCY_MAX = new Setting<>("concurrency-max", "N",
            "With --concurrency auto, the most meetings in flight.", "100", intAtLeast(1, 10_000), false);

    public static final Setting<Long> RPM = new Setting<>("rpm", "N",
            "The provider's requests per minute; 0: not set, learned from its rate-limit headers.",
            "0", longAtLeast(0), false);

    public static final Setting<Long> TPM = new Setting<>("tpm", "N",
            "The provider's tokens per minute (input + output); 0: not set, learned from its rate-limit headers.",
            "0", longAtLeast(0), false);

    public static final Setting<Long> INPUT_TPM = new Setting<>("input-tpm", "N",
            "Input tokens per minute, for providers that limit them apart (Anthropic); 0: not set.",
            "0", longAtLeast(0), false);

    public static final Setting<Long> OUTPUT_TPM = new Setting<>("output-tpm", "N",
            "Output tokens per minute, for providers that limit them apart (Anthropic); 0: not set.",
            "0", longAtLeast(0), false);

    public static final Setting<String> RATE_WINDOW = new Setting<>("rate-window", "WINDOW",
            "How the provider enforces its per-minute limits: auto (start with the minute's allowance as its headers "
                    + "allow; once a 429 shows it quantises the minute into seconds, pace per second for the rest of the "
                    + "run) or second (pace per second from the start, for a provider known to quantise).",
            "auto", oneOf("auto", "second"), false);

    public static final Setting<Priority> PRIORITY = new Setting<>("priority", "LEVEL",
            "A new batch's share of the claims when batches run together: high (4 per round), normal (2) or low (1).",
            "normal", Priority::fromWire, false);

    public static final Setting<Duration> BATCH_POLL_INTERVAL = new Setting<>("batch-poll-interval", "DURATION",
            "How often a node polls the provider batches it drives and packs meetings planned for the batch lane into new ones.",
            "30s", Settings::positiveDuration, false);

    public static final Setting<Long> ENQUEUED_TOKEN_LIMIT = new Setting<>("enqueued-token-limit", "N",
            "openai, lane batch: the prompt tokens this model's batches may hold waiting at OpenAI at once (your organisation's "
                    + "limit, e.g. 2000000); provider batches are packed under it, the ledger shared by every node on "
                    + "PostgreSQL. 0: not known (a batch the provider fails for it waits and is sent again).",
            "0", longAtLeast(0), false);

    public static final Setting<OnDuplicate> ON_DUPLICATE = new Setting<>("on-duplicate", "MODE",
            "A meeting already seen (same normalised transcript, or same title in the same tier, in this batch or an "
                    + "earlier one): skip (it shows the earlier result, no provider call), replace (process it again; its "
                    + "result replaces the earlier one) or allow_duplicates.",
            "skip", OnDuplicate::fromWire, false);

    public static final Setting<Tier> TIER = new Setting<>("tier", "TIER",
            "ordinary, or sensitive: the meetings go only to providers named in allow-sensitive; with none allowed "
                    + "they fail saying so.",
            "ordinary", Tier::fromWire, false);

    public static final Setting<Set<String>> ALLOW_SENSITIVE = new Setting<>("allow-sensitive", "NAMES",
            "Comma-separated providers and transcribers that may receive sensitive meetings ("
                    + Providers.ALL.stream().map(Providers.Provider::name).collect(java.util.stream.Collectors.joining(", "))
                    + "); none allows no provider.",
            Providers.localNames(), Settings::nameList, false);

    public static final Setting<Double> BUDGET = new Setting<>("budget", "USD",
            "Most a batch may cost, transcriptions included. A batch whose estimate (the most what it would send can cost: "
                    + "duplicates and cached answers cost nothing) passes it is refused before it starts, unless "
                    + "allow-over-budget; while running, once spent + reserved would pass it, the remaining meetings are "
                    + "skipped with reason budget_exhausted. Held in the store: every node and restart keeps to it. none: no limit.",
            "none", Settings::budget, false);

    public static final Setting<Boolean> ALLOW_OVER_BUDGET = new Setting<>("allow-over-budget", "BOOL",
            "Start a batch whose estimate passes the budget anyway (the budget still stops it while running). "
                    + "--allow-over-budget alone means true.",
            "false", Settings::bool, false);

    public static final Setting<LaneChoice> LANE = new Setting<>("lane", "LANE",
            "How a new batch's meetings reach the provider: realtime (one call each, answered now, at the list price), "
                    + "flex (the same calls in OpenAI's flex tier, for the models that take it: half the price, slower, and "
                    + "when refused for capacity a meeting waits and tries again, or runs realtime once the deadline needs it), "
                    + "batch (the provider's batch API, openai or anthropic: answered within its 24 h window, at about half the "
                    + "price; each meeting completes as its line is read; see Lanes) or auto (the cheapest lane that still meets "
                    + "--deadline; see Deadlines). A meeting that cannot take the lane runs realtime.",
            "realtime", Settings::lane, false);

    public static final Setting<Deadline> DEADLINE = new Setting<>("deadline", "DURATION|TIMESTAMP",
            "When a new batch must be done by: a duration from its submission (90m, 8h, 2d), an ISO-8601 instant "
                    + "(2026-12-05T08:00:00Z) or a local date-time (2026-12-05T08:00). With --lane auto it decides the lane; "
                    + "with any lane, what still waits at the cut-over runs realtime. none: no deadline.",
            "none", Settings::deadline, false);

    public static final Setting<DeadlineBuffer> DEADLINE_BUFFER = new Setting<>("deadline-buffer", "PERCENT|DURATION",
            "The margin kept before --deadline: a share of the time left (never under 5m), or a fixed duration.",
            "10%", Settings::deadlineBuffer, false);

    public static final Setting<Duration> BATCH_LATENCY_ASSUMED = new Setting<>("batch-latency-assumed", "DURATION",
            "How long a provider batch is assumed to take until this store has seen the provider's batches end (then "
                    + "the 95th percentile of those is used); auto is " + BatchLatency.OPENAI_ASSUMED.toHours() + "h for openai, "
                    + BatchLatency.ANTHROPIC_ASSUMED.toHours() + "h for anthropic.",
            AUTO, raw -> raw.equalsIgnoreCase(AUTO) ? null : duration(raw), false);

    public static final Setting<Duration> RETENTION = new Setting<>("retention", "DURATION",
            "Finished batches, their meetings and recordings are purged from the store this long after they finish "
                    + "(checked when run, worker or serve starts, and hourly while it runs); 0 keeps them forever. Output files of run stay. "
                    + "OpenAI batch files not deleted once read expire this long after their creation (1h to 30d; 0: 30d).",
            "24h", Settings::duration, false);

    public static final Setting<Boolean> REDACT = new Setting<>("redact", "BOOL",
            "Mask e-mail addresses, phone numbers, card numbers (Luhn-checked) and IBANs (mod-97-checked) before a "
                    + "transcript is sent for analysis; what was masked is recorded in the minutes (redactions). "
                    + "--redact alone means true.",
            "false", Settings::bool, false);

    public static final Setting<UnsupportedItems> UNSUPPORTED_ITEMS = new Setting<>("unsupported-items", "drop|mark",
            "What happens to an action item, decision or open question whose evidence (the quote it cites) is not found "
                    + "in the cited transcript segment or its neighbours: drop removes it, mark keeps it with supported=false. "
                    + "Either way the count is in the minutes' unsupported_items and warnings, and in batch.json.",
            UnsupportedItems.DEFAULT.wireName(), UnsupportedItems::parse, false);

    public static final Setting<LanguageChoice> LANGUAGE = new Setting<>("language", "auto|CODE",
            "The language the minutes are written in: auto (the meeting's majority language, detected among en, de, fr, es, nl, "
                    + "it, pt) or a BCP 47 code that forces it (de, fr, pt-BR...). A batch submitted to serve may set its own "
                    + "(options.language). The local provider cannot translate: it writes in the meeting's language and warns.",
            "auto", StyleSection::language, false);

    public static final Setting<StyleSection.TemplateSetting> TEMPLATE = new Setting<>("template", "NAME|auto|FILE",
            "The shape of the minutes: auto (chosen per meeting from its transcript), a built-in template (general, stand-up, "
                    + "one-to-one, customer-call, council, retrospective) or a template file (see Templates in the README). "
                    + "A batch submitted to serve may name its own (options.template).",
            "auto", StyleSection.TemplateSetting::parse, false);

    public static final Setting<Integer> MAX_ATTEMPTS = new Setting<>("max-attempts", "N",
            "Attempts per meeting in all, including the first; transient failures are retried until then. "
                    + "A batch submitted to serve with options.max_attempts has its own. A 429 uses none of them "
                    + "(15 min of refusals without a break fail the meeting), nor does a lost lease (5 in a row do).",
            String.valueOf(RetryPolicy.DEFAULT_MAX_ATTEMPTS), intAtLeast(1, 100), false);

    public static final Setting<Duration> RETRY_BASE_DELAY = new Setting<>("retry-base-delay", "DURATION",
            "Backoff before the 2nd attempt; doubles each attempt, with full jitter (e.g. 500ms, 2s, 1m).",
            "1s", Settings::duration, false);

    public static final Setting<Duration> RETRY_MAX_DELAY = new Setting<>("retry-max-delay", "DURATION",
            "Longest backoff between two attempts.", "60s", Settings::duration, false);

    public static final Setting<Duration> LEASE = new Setting<>("lease", "DURATION",
            "How long a claimed meeting stays with a worker without a heartbeat before another may take it.",
            "30s", Settings::duration, false);

    public static final Setting<Duration> STORE_OUTAGE_LIMIT = new Setting<>("store-outage-limit", "DURATION",
            "How long run waits for a store it cannot write (database unreachable, disk full) before it stops "
                    + "with exit status 1; answers not yet stored are lost only then. Workers and serve wait without limit.",
            "5m", Settings::duration, false);

    public static final Setting<Integer> MIN_TRANSCRIPT_CHARS = new Setting<>("min-transcript-chars", "N",
            "Transcripts with fewer characters of speech are skipped.",
            String.valueOf(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS), intAtLeast(0, 1_000_000), false);

    public static final Setting<Long> MAX_TRANSCRIPT_BYTES = new Setting<>("max-transcript-bytes", "SIZE",
            "A transcript file (not a recording) over this size is refused unread, as a failed meeting naming it.",
            "20MiB", Settings::byteSize, false);

    public static final Setting<Integer> MAX_ZIP_ENTRIES = new Setting<>("max-zip-entries", "N",
            "A ZIP archive with more entries (folders and passed-over files count too) is refused.",
            String.valueOf(ZipLimits.DEFAULT_MAX_ENTRIES), intAtLeast(1, 1_000_000), false);

    public static final Setting<Long> MAX_UNZIPPED_BYTES = new Setting<>("max-unzipped-bytes", "SIZE",
            "A ZIP archive that unzips to more bytes in all is refused (e.g. 500MiB, 2GiB, or bytes).",
            "1GiB", Settings::byteSize, false);

    public static final Setting<Integer> SIM_LATENCY_MS = new Setting<>("sim-latency-ms", "N",
            "sim provider: mean milliseconds a call takes.", "0", intAtLeast(0, 3_600_000), false);

    public static final Setting<Integer> SIM_LATENCY_SD_MS = new Setting<>("sim-latency-sd-ms", "N",
            "sim provider: standard deviation of the call time (lognormal); 0: every call takes the mean.",
            "0", intAtLeast(0, 3_600_000), false);

    public static final Setting<Double> SIM_ERROR_RATE = new Setting<>("sim-error-rate", "F",
            "sim provider: share of calls that fail with a transient error, 0..1.", "0", Settings::fraction, false);

    public static final Setting<Double> SIM_HANG_RATE = new Setting<>("sim-hang-rate", "F",
            "sim provider: share of calls that hang until sim-timeout ends them, 0..1.", "0", Settings::fraction, false);

    public static final Setting<Duration> SIM_TIMEOUT = new Setting<>("sim-timeout", "DURATION",
            "sim provider: how long a hung call lasts before it fails as timed out.", "60s", Settings::duration, false);

    public static final Setting<Long> SIM_RPM = new Setting<>("sim-rpm", "N",
            "sim provider: the requests per minute it enforces (over sim-window, answering 429); 0: no limit.",
            "0", longAtLeast(0), false);

    public static final Setting<Long> SIM_TPM = new Setting<>("sim-tpm", "N",
            "sim provider: the tokens per minute it enforces (over sim-window, answering 429); 0: no limit.",
            "0", longAtLeast(0), false);

    public static final Setting<String> SIM_WINDOW = new Setting<>("sim-window", "WINDOW",
            "sim provider: how it enforces sim-rpm and sim-tpm: second (a bucket of one second's allowance, OpenAI's "
                    + "\"may be quantised\"), sliding (at most the limit in any 60 s: a burst of a minute's allowance) or "
                    + "bucket (a bucket of the minute's allowance refilled at the minute's rate, Anthropic's).",
            "second", oneOf("second", "sliding", "bucket"), false);

    public static final Setting<String> TRANSCRIBER = new Setting<>("transcriber", "NAME",
            "Who turns recordings (mp3 wav m4a ogg opus flac webm mp4 mov mkv) into transcripts: " + Providers.NO_TRANSCRIBER
                    + " (recordings fail, saying to set this), "
                    + Providers.listed(Providers.Provider::transcribes, p -> p.name() + " (" + p.transcriberHelp() + ")") + ".",
            Providers.NO_TRANSCRIBER, oneOf(java.util.stream.Stream.concat(java.util.stream.Stream.of(Providers.NO_TRANSCRIBER),
                    Providers.transcribers().stream().map(Providers.Provider::name)).toArray(String[]::new)), false);

    public static final Setting<String> TRANSCRIBER_MODEL = new Setting<>("transcriber-model", "MODEL",
            "openai transcriber: the model (whisper-1, gpt-4o-transcribe, gpt-4o-mini-transcribe, or what the server serves).",
            "whisper-1", Settings::notBlank, false);

    public static final Setting<String> TRANSCRIBER_BASE_URL = new Setting<>("transcriber-base-url", "URL",
            "openai transcriber: the API's base URL, for OpenAI, Azure OpenAI, faster-whisper servers or vLLM.",
            Providers.OPENAI.baseUrl(), Settings::autoOrUrl, false);

    public static final Setting<String> TRANSCRIBER_COMMAND = new Setting<>("transcriber-command", "TEMPLATE",
            "command transcriber: the program to run, with placeholders {input} (the recording), {wav} (it as 16 kHz "
                    + "mono WAV), {output} (where it writes .json/.srt/.vtt/.txt), {output_dir}; e.g. "
                    + "whisper-cli -m ggml-base.bin -f {wav} -oj -of {output}.",
            "", raw -> raw, false);

    public static final Setting<Long> TRANSCRIPTION_RPM = new Setting<>("transcription-rpm", "N",
            "The transcriber's requests per minute (each file or piece sent is one request), apart from the analyzer's rpm: "
                    + "0: not set, learned from its rate-limit headers and 429s.",
            "0", longAtLeast(0), false);

    public static final Setting<Long> UPLOAD_LIMIT = new Setting<>("upload-limit", "SIZE",
            "Largest file sent to the transcriber; bigger recordings are converted with ffmpeg and split at silences "
                    + "(e.g. 25MB, 500KB; MB = 1,000,000 bytes, MiB = 1,048,576).",
            "25MB", Settings::uploadLimit, false);

    /** The default of blob-dir: the folder "blobs" beside the database file. */
    public static final String BESIDE_DB_TEXT = "<db folder>/blobs";

    public static final Setting<Path> BLOB_DIR = new Setting<>("blob-dir", "DIR",
            "Where recordings wait for transcription, one file per content (SHA-256); " + BESIDE_DB_TEXT
                    + " is the db's folder; with a PostgreSQL db and no blob-dir, they are kept in the database.",
            BESIDE_DB_TEXT, raw -> raw.equals(BESIDE_DB_TEXT) ? null : Path.of(raw), false);

    public static final Setting<String> LOG_LEVEL = new Setting<>("log-level", "LEVEL",
            "Log level on stderr: error, warn, info, debug.", "warn", oneOf("error", "warn", "info", "debug"), false);


    // ---- minutes serve ---------------------------------------------------------------------------

    public static final Setting<String> HOST = new Setting<>("host", "ADDRESS",
            "serve: the address to listen on. Without API keys only a loopback address (127.0.0.1, ::1, localhost) is "
                    + "allowed unless insecure is true.",
            "127.0.0.1", Settings::notBlank, false);

    public static final Setting<Integer> PORT = new Setting<>("port", "N",
            "serve: the TCP port; 0 picks a free one (printed at start).",
            String.valueOf(ServerOptions.DEFAULT_PORT), intAtLeast(0, 65_535), false);

    public static final Setting<Integer> MAX_BATCH_MEETINGS = new Setting<>("max-batch-meetings", "N",
            "serve: most meetings in one submitted batch; more is a 400 naming the limit.",
            String.valueOf(ServerOptions.DEFAULT_MAX_BATCH_MEETINGS), intAtLeast(1, 1_000_000), false);

    public static final Setting<Long> MAX_UPLOAD_BYTES = new Setting<>("max-upload-bytes", "SIZE",
            "serve: largest request body (an upload of many files, or a JSON batch); more is a 413 (e.g. 500MB, 2GiB, or bytes).",
            "500MB", Settings::byteSize, false);

    public static final Setting<Integer> MAX_QUEUED_MEETINGS = new Setting<>("max-queued-meetings", "N",
            "serve: most meetings queued across the service; a submission that does not fit is a 503 AT_CAPACITY with Retry-After.",
            String.valueOf(ServerOptions.DEFAULT_MAX_QUEUED_MEETINGS), intAtLeast(1, 100_000_000), false);

    public static final Setting<Duration> PROCESS_TIMEOUT = new Setting<>("process-timeout", "DURATION",
            "serve: longest a synchronous POST /api/v1/meetings/process waits before answering 504 (the meeting goes on).",
            "120s", Settings::positiveDuration, false);

    public static final Setting<Boolean> INSECURE = new Setting<>("insecure", "BOOL",
            "serve: allow a non-loopback host without API keys (anyone who reaches the port can use the service).",
            "false", Settings::bool, false);

    public static final Setting<String> SERVER = new Setting<>("server", "URL",
            "submit/status: the Minutes service to talk to (its API key comes from the environment variable MINUTES_API_KEY).",
            "http://127.0.0.1:8080", Settings::autoOrUrl, false);

    public static final List<Setting<?>> ALL = List.of(CONFIG, DB, OUT, PROVIDER,
            MODEL, BASE_URL, API_KEY_ENV, MAX_OUTPUT_TOKENS, CONTEXT_TOKENS, STRUCTURED_OUTPUT, REQUEST_TIMEOUT, CONNECT_TIMEOUT, PRICES,
            CONCURRENCY, CONCURRENCY_MAX, RPM, TPM, INPUT_TPM, OUTPUT_TPM, RATE_WINDOW, PRIORITY,
            LANE, BATCH_POLL_INTERVAL, ENQUEUED_TOKEN_LIMIT, ON_DUPLICATE, TIER, ALLOW_SENSITIVE, REDACT, UNSUPPORTED_ITEMS, BUDGET,
            ALLOW_OVER_BUDGET, DEADLINE, DEADLINE_BUFFER, BATCH_LATENCY_ASSUMED, RETENTION, LANGUAGE, TEMPLATE, MAX_ATTEMPTS,
            RETRY_BASE_DELAY, RETRY_MAX_DELAY, LEASE, STORE_OUTAGE_LIMIT, MIN_TRANSCRIPT_CHARS, MAX_TRANSCRIPT_BYTES, MAX_ZIP_ENTRIES, MAX_UNZIPPED_BYTES,
            SIM_LATENCY_MS, SIM_LATENCY_SD_MS, SIM_ERROR_RATE, SIM_HANG_RATE, SIM_TIMEOUT, SIM_RPM, SIM_TPM,
            SIM_WINDOW, TRANSCRIBER, TRANSCRIBER_MODEL, TRANSCRIBER_BASE_URL, TRANSCRIBER_COMMAND, TRANSCRIPTION_RPM, UPLOAD_LIMIT, BLOB_DIR, LOG_LEVEL,
            HOST, PORT, MAX_BATCH_MEETINGS, MAX_UPLOAD_BYTES, MAX_QUEUED_MEETINGS, PROCESS_TIMEOUT, INSECURE, SERVER);

    static java.util.function.Function<String, String> oneOf(String... allowed) {
        Set<String> values = Set.of(allowed);
        return raw -> {
            String v = raw.toLowerCase(Locale.ROOT);
            if (!values.contains(v)) {
                throw new IllegalArgumentException("must be one of " + String.join(", ", allowed) + ", got '" + raw + "'");
            }
            return v;
        };
    }

    static java.util.function.Function<String, Integer> intAtLeast(int min, int max) {
        return raw -> {
            int v;
            try {
                v = Integer.parseInt(raw.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number, got '" + raw + "'");
            }
            if (v < min || v > max) throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + v);
            return v;
        };
    }

    static java.util.function.Function<String, Long> longAtLeast(long min) {
        return raw -> {
            long v;
            try {
                v = Long.parseLong(raw.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number, got '" + raw + "'");
            }
            if (v < min) throw new IllegalArgumentException("must be at least " + min + ", got " + v);
            return v;
        };
    }

    static long uploadLimit(String raw) {
        long bytes = byteSize(raw);
        if (bytes < 64_000) throw new IllegalArgumentException("must be at least 64KB, got '" + raw + "'");
        return bytes;
    }

    static String notBlank(String raw) {
        if (raw.isBlank()) throw new IllegalArgumentException("must not be empty");
        return raw;
    }

    static String autoOrUrl(String raw) {
        if (raw.equalsIgnoreCase(AUTO)) return AUTO;
        try {
            java.net.URI uri = new java.net.URI(raw);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return raw;
        } catch (java.net.URISyntaxException e) {
            // explained below
        }
        throw new IllegalArgumentException("must be auto or an http:// or https:// URL like http://127.0.0.1:11434/v1, got '" + raw + "'");
    }

    static String envVarName(String raw) {
        if (raw.equalsIgnoreCase(AUTO)) return AUTO;
        if (!raw.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            // the value is not echoed: it may be the key itself, given by mistake
            throw new IllegalArgumentException("must be auto or the name of an environment variable (letters, digits, _)"
                    + " such as MY_OPENAI_KEY: give the variable's name, not the key itself");
        }
        return raw;
    }

    /** USD, 0 or more; none (null) is no limit. */
    static Double budget(String raw) {
        if (raw.equalsIgnoreCase("none")) return null;
        double v;
        try {
            v = Double.parseDouble(raw.startsWith("$") ? raw.substring(1) : raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an amount in USD like 5 or 0.50, or none, got '" + raw + "'");
        }
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("must be 0 or more USD, got " + raw);
        return v;
    }

    /** The lane asked for. */
    static LaneChoice lane(String raw) {
        return LaneChoice.fromWire(raw);
    }

    /** A deadline in a form {@link Deadline} reads and, when it is a moment rather than a duration, not already past. */
    static Deadline deadline(String raw) {
        if (raw.equalsIgnoreCase("none")) return null;
        Deadline d = Deadline.parse(raw);
        d.at(java.time.Instant.now(), java.time.ZoneId.systemDefault());
        return d;
    }

    static DeadlineBuffer deadlineBuffer(String raw) {
        String v = raw.strip();
        if (v.endsWith("%")) {
            double share;
            try {
                share = Double.parseDouble(v.substring(0, v.length() - 1).strip());
            } catch (NumberFormatException e) {
                share = -1;
            }
            if (!(share >= 0 && share < 100)) {
                throw new IllegalArgumentException("must be a share of the time left below 100% (10%) or a duration (15m), got '" + raw + "'");
            }
            return new DeadlineBuffer(share / 100, DeadlineBuffer.FLOOR);
        }
        try {
            return DeadlineBuffer.fixed(duration(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be a share of the time left (10%) or a duration (15m), got '" + raw + "'");
        }
    }

    static boolean bool(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + raw + "'");
        };
    }

    /** A comma-separated list of lower-case names; "none" or empty is the empty set. */
    static Set<String> nameList(String raw) {
        if (raw.isBlank() || raw.equalsIgnoreCase("none")) return Set.of();
        Set<String> names = new java.util.LinkedHashSet<>();
        for (String part : raw.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z0-9_-]+")) {
                throw new IllegalArgumentException("must be comma-separated names like local,command, got '" + raw + "'");
            }
            names.add(name);
        }
        return Set.copyOf(names);
    }

    static Duration positiveDuration(String raw) {
        Duration d = duration(raw);
        if (d.isZero()) throw new IllegalArgumentException("must be longer than 0, got '" + raw + "'");
        return d;
    }

    static double fraction(String raw) {
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number between 0 and 1, got '" + raw + "'");
        }
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("must be between 0 and 1, got " + raw);
        return v;
    }

    private static final Pattern BYTE_SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?");

    /** 1024, 500MiB, 2GiB (binary), 500MB, 2GB (decimal); a bare number is bytes. */
    static long byteSize(String raw) {
        Matcher m = BYTE_SIZE.matcher(raw.toLowerCase(Locale.ROOT).replace("_", ""));
        if (!m.matches()) throw new IllegalArgumentException("must be a size like 500MiB, 2GiB or a number of bytes, got '" + raw + "'");
        long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "kb" -> 1_000L;
            case "kib" -> 1L << 10;
            case "mb" -> 1_000_000L;
            case "mib" -> 1L << 20;
            case "gb" -> 1_000_000_000L;
            case "gib" -> 1L << 30;
            case "tb" -> 1_000_000_000_000L;
            case "tib" -> 1L << 40;
            default -> 1L;
        };
        try {
            long v = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
            if (v < 1) throw new IllegalArgumentException("must be at least 1 byte, got '" + raw + "'");
            return v;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("is too large, got '" + raw + "'");
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    /** 500ms, 2s, 1m, 1h; a bare number is seconds. */
    static Duration duration(String raw) {
        Matcher m = DURATION.matcher(raw.toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new IllegalArgumentException("must be a duration like 500ms, 2s, 1m or 1h, got '" + raw + "'");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
