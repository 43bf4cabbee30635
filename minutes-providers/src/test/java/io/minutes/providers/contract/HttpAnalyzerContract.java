package io.minutes.providers.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.minutes.providers.http.ProviderHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** The contract over real HTTP: a WireMock server answering like the provider's API reference. */
abstract class HttpAnalyzerContract extends AnalyzerContract {
    protected static WireMockServer server;

    /** The request path the adapter posts to. */
    protected abstract String path();

    protected abstract ResponseDefinitionBuilder ok(JsonNode answer);

    protected abstract ResponseDefinitionBuilder truncatedAnswer();

    protected abstract ResponseDefinitionBuilder error(ProviderError error);

    protected abstract ResponseDefinitionBuilder contextLengthError();

    /** The first user message's text in a request body. */
    protected abstract String userPrompt(JsonNode requestBody);

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
