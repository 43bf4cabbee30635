package io.minutes.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Jetty answers some requests itself, before Javalin sees them: a malformed URI or header (400), a URI
 * or headers over its limits (414, 431). Those answers are problem+json too, with a stable code,
 * instead of Jetty's HTML page.
 */
final class JettyProblems extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MinutesServer.PROBLEM_JSON);
        // no instance: the URI may be the malformed part (Jetty then reports it as /badMessage)
        response.write(true, body(status, message), callback);
    }

    private static ByteBuffer body(int status, String message) {
        String detail = status >= 500 ? "the server failed on this request" // Jetty's message may be an exception's
                : (message == null || message.isBlank() ? "the request was refused" : message)
                        + ": the HTTP request itself is malformed or over the server's limits";
        ApiException problem = ApiException.ofProtocolStatus(status, detail);
        return ByteBuffer.wrap(MinutesServer.problemJson(problem, null).getBytes(StandardCharsets.UTF_8));
    }
}
