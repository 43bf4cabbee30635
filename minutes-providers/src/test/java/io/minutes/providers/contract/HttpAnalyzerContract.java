package io.minutes.providers.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Section;
import io.minutes.core.style.Style;
import io.minutes.core.style.Templates;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.CallAdmission;
import io.minutes.providers.http.ProviderHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The contract over real HTTP: a WireMock server answering like the provider's API reference. Every
 * analyzer here is built with {@link #admission}, which admits each call at once and records it.
 */
abstract class HttpAnalyzerContract extends AnalyzerContract {
    protected static WireMockServer server;
    protected final RecordedAdmission admission = new RecordedAdmission();

    /** The request path the adapter posts to. */
    protected abstract String path();

    protected abstract ResponseDefinitionBuilder ok(JsonNode answer);

    protected abstract ResponseDefinitionBuilder truncatedAnswer();

    protected abstract ResponseDefinitionBuilder error(ProviderError error);

    protected abstract ResponseDefinitionBuilder contextLengthError();

    /** The first user message's text in a request body. */
    protected abstract String userPrompt(JsonNode requestBody);

    /** The system prompt's text in a request body. */
    protected abstract String systemPrompt(JsonNode requestBody);

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void resetServer() {
        server.resetAll();
    }

    /**
     * The language asked for and the meeting's template reach the provider: the system prompt says which
     * language to write in and what the template's sections are, the schema asks for them, and the answer's
     * sections land in the minutes with the language and the template named.
     */
    @Test
    void theLanguageAndTheTemplateReachTheProvidersRequest() throws Exception {
        ObjectNode answer = validAnswer();
        ObjectNode motion = answer.putArray("sections").addObject().put("name", "Motions");
        motion.putArray("items").add("Okafor moved to approve the phased plan.");
        stubAnswer(null, answer);

        Style german = new Style("de", "en", Templates.COUNCIL, true);
        Analysis minutes = newAnalyzer().analyze(request(meeting()).withStyle(german)).analysis();

        JsonNode body = ProviderHttp.JSON.readTree(requestBodies().getFirst());
        assertThat(systemPrompt(body)).contains("write the minutes in German (de)")
                .contains("Template: council. " + Templates.COUNCIL.instructions())
                .contains("- Motions: Each motion or resolution").contains("- Votes:").contains("- Outcomes:")
                .doesNotContain("write in the language of the transcript");
        assertThat(body.toString()).as("the schema sent asks for the sections").contains("The template's sections, in its order");
        assertThat(minutes.language()).isEqualTo("de");
        assertThat(minutes.template()).isEqualTo("council");
        assertThat(minutes.sections()).containsExactly(new Section("Motions", List.of("Okafor moved to approve the phased plan.")));
    }

    @Test
    void withoutAStyleTheMinutesAreInTheLanguageOfTheTranscript() throws Exception {
        stubAnswer(null, validAnswer());

        Analysis minutes = newAnalyzer().analyze(request(meeting())).analysis();

        assertThat(systemPrompt(ProviderHttp.JSON.readTree(requestBodies().getFirst())))
                .contains("write in the language of the transcript").doesNotContain("Template:");
        assertThat(minutes.sections()).isEmpty();
    }

    @Test
    void aRepairIsAdmittedAsACallOfItsOwnSizedWithTheAnswerItSendsBack() throws Exception {
        stubInvalidThenValid(ProviderHttp.JSON.createObjectNode().put("summary", "Launch moved."), validAnswer());

        newAnalyzer().analyze(request(meeting()));

        assertThat(requestBodies()).hasSize(2);
        assertThat(admission.estimates()).hasSize(2);
        assertThat(admission.estimates().get(1).inputTokens()).as("the repair carries the prompt, the answer and the problems")
                .isGreaterThan(admission.estimates().get(0).inputTokens());
        assertThat(admission.outcomes()).as("each settled with its own usage")
                .containsExactly("answered " + singleCallInputTokens(), "answered " + singleCallInputTokens());
    }

    @Test
    void eachPartAndTheMergeOfALongTranscriptAreAdmittedOneByOne() throws Exception {
        stubAnswer("Transcript part", answer("A part.", "Book the venue for the launch", "Alice", "March 3"));
        stubAnswer("Merge them", answer("The whole meeting."));

        newAnalyzer(observer, 4_000).analyze(request(LongMeeting.transcript()));

        int parts = (int) userPrompts().stream().filter(p -> p.contains("Transcript part")).count();
        assertThat(parts).isGreaterThanOrEqualTo(2);
        assertThat(admission.estimates()).as("N parts + 1 merge, not 1 meeting").hasSize(parts + 1).hasSize(requestBodies().size());
        assertThat(admission.estimates()).allSatisfy(e -> assertThat(e.totalTokens()).isLessThan(4_000));
        assertThat(admission.outcomes()).hasSize(parts + 1).allMatch(o -> o.startsWith("answered"));
    }

    @Test
    void aCallRefusedWith429IsSettledAsRefused() {
        stubError(ProviderError.RATE_LIMITED_5S);

        assertThat(catchThrowable(() -> newAnalyzer().analyze(request(meeting())))).hasMessageContaining("429");

        assertThat(admission.outcomes()).containsExactly("refused");
    }

    /** Before: the engine guessed a 429 from the retry-after, so an overload that sent one was refunded as refused. */
    @Test
    void anOverloadWithRetryAfterIsSettledAsCounted() {
        server.stubFor(post(path()).atPriority(1).willReturn(error(ProviderError.OVERLOADED).withHeader("retry-after", "2")));

        AnalyzerException e = catchThrowableOfType(AnalyzerException.class, () -> newAnalyzer().analyze(request(meeting())));

        assertThat(e.failure().retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(e.failure().rateLimited()).isFalse();
        assertThat(admission.outcomes()).as("the call passed the provider's rate limit: its tokens stay charged")
                .containsExactly("failed");
    }

    /** Before: a 429 that sent no retry-after was charged as if the provider had counted it. */
    @Test
    void a429WithoutRetryAfterIsSettledAsRefused() {
        server.stubFor(post(path()).atPriority(1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withStatus(429).withHeader("content-type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"code\":\"rate_limit_exceeded\","
                        + "\"message\":\"Rate limit reached on requests per min (RPM)\"}}")));

        AnalyzerException e = catchThrowableOfType(AnalyzerException.class, () -> newAnalyzer().analyze(request(meeting())));

        assertThat(e.failure().retryAfter()).isNull();
        assertThat(e.failure().rateLimited()).isTrue();
        assertThat(admission.outcomes()).as("refused at the provider's gate: its tokens are given back").containsExactly("refused");
    }

    /** Admits every call at once, recording its estimate and how it went. */
    protected static final class RecordedAdmission implements CallAdmission {
        private final List<Analyzer.Estimate> estimates = Collections.synchronizedList(new ArrayList<>());
        private final List<String> outcomes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Ticket admit(Analyzer.Estimate estimate) {
            estimates.add(estimate);
            return new Ticket() {
                @Override
                public void answered(Usage usage) {
                    outcomes.add("answered " + (usage == null ? "-" : usage.inputTokens()));
                }

                @Override
                public void failed(Failure failure) {
                    outcomes.add(failure.countedByProvider() ? "failed" : "refused");
                }
            };
        }

        List<Analyzer.Estimate> estimates() {
            return List.copyOf(estimates);
        }

        List<String> outcomes() {
            return List.copyOf(outcomes);
        }
    }

    protected String baseUrl() {
        return server.baseUrl();
    }

    @Override
    protected void stubAnswer(String marker, JsonNode answer) {
        var request = post(path());
        if (marker != null) request = request.withRequestBody(containing(marker));
        server.stubFor(request.atPriority(marker == null ? 10 : 5).willReturn(ok(answer)));
    }

    @Override
    protected void stubInvalidThenValid(JsonNode invalid, JsonNode valid) {
        server.stubFor(post(path()).inScenario("repair").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("asked").willReturn(ok(invalid)));
        server.stubFor(post(path()).inScenario("repair").whenScenarioStateIs("asked").willReturn(ok(valid)));
    }

    @Override
    protected void stubError(ProviderError error) {
        server.stubFor(post(path()).atPriority(1).willReturn(error(error)));
    }

    @Override
    protected void stubContextWindow(int maxBodyChars) {
        server.stubFor(post(path()).atPriority(1).withRequestBody(matching("(?s).{" + (maxBodyChars + 1) + ",}"))
                .willReturn(contextLengthError()));
    }

    @Override
    protected void stubTruncated() {
        server.stubFor(post(path()).willReturn(truncatedAnswer()));
    }

    @Override
    protected List<String> requestBodies() {
        return server.findAll(anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .map(LoggedRequest::getBodyAsString).toList();
    }

    @Override
    protected List<String> answeredUserPrompts() {
        return server.getAllServeEvents().stream()
                .filter(e -> e.getResponse().getStatus() == 200)
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .map(e -> prompt(e.getRequest().getBodyAsString())).toList();
    }

    private String prompt(String body) {
        try {
            return userPrompt(ProviderHttp.JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<String> userPrompts() {
        return requestBodies().stream().map(b -> {
            try {
                return userPrompt(ProviderHttp.JSON.readTree(b));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }
}
