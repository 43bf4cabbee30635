package io.minutes.server;

import io.javalin.http.Context;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What keeps a page on another site from using a browser to reach this service (CSRF): a keyless
 * {@code serve} on loopback trusts whoever reaches it, and a browser on the same machine reaches it
 * for any page it opens. A request that changes something is refused when the browser says it comes
 * from elsewhere ({@code Sec-Fetch-Site} cross-site or same-site, i.e. another port or host), or when
 * its {@code Origin} is not this service. Programs (curl, {@code minutes submit}) send neither and are
 * not affected. JSON bodies must say {@code application/json}, which a page on another site cannot
 * send without the browser asking first (CORS), and this service allows no such request.
 * Every answer also carries the headers that keep the UI from being framed, sniffed or scripted from
 * elsewhere.
 */
final class BrowserGuard {
    /** The web UI is plain files from this service; uPlot's styles are set through the DOM, not markup. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cross-Origin-Resource-Policy", "same-origin");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private BrowserGuard() {
    }

    static void securityHeaders(Context ctx) {
        SECURITY_HEADERS.forEach(ctx::header);
    }

    /** Refuses a request that changes something and comes from a page of another origin. */
    static void refuseCrossSiteWrites(Context ctx) {
        if (SAFE_METHODS.contains(ctx.method().name())) return;
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null) {
            String site = fetchSite.strip().toLowerCase(Locale.ROOT);
            if (site.equals("same-origin") || site.equals("none")) return;
            throw crossSite("the browser says it comes from a " + site + " page (Sec-Fetch-Site: " + site + ")");
        }
        String origin = ctx.header("Origin");
        if (origin == null) return; // not sent by a browser page
        if (!sameOrigin(origin, ctx.header("Host"))) {
            throw crossSite("it comes from a page of " + (origin.equals("null") ? "an opaque origin" : origin)
                    + ", not of this service");
        }
    }

    /** JSON endpoints read only bodies that say they are JSON: a cross-site page cannot send that type unasked. */
    static void requireJson(Context ctx) {
        String type = ctx.contentType();
        String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"))) return;
        throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "this endpoint reads a JSON body sent with 'Content-Type: application/json' (Content-Type was "
                        + (type == null ? "not given" : "'" + type + "'") + "); files go to /api/v1/meetings/batch/upload as multipart/form-data");
    }

    private static boolean sameOrigin(String origin, String host) {
        if (host == null) return false;
        try {
            URI uri = URI.create(origin.strip());
            if (uri.getHost() == null) return false;
            String authority = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            return authority.equalsIgnoreCase(host.strip()) || (uri.getPort() < 0 && host.strip().equalsIgnoreCase(uri.getHost() + ":" + defaultPort(uri)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int defaultPort(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static ApiException crossSite(String why) {
        return new ApiException(ErrorCode.CROSS_SITE_REQUEST, "a request that changes something was refused because " + why + ": use the web UI this service serves, "
                        + "or call the API from a program (curl, minutes submit), which sends no Origin");
    }
}
