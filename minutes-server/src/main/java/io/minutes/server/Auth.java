package io.minutes.server;

import io.minutes.core.port.ApiKeyStore;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * With API keys in the store, every /api request needs {@code Authorization: Bearer KEY} and runs as
 * the key's tenant; without any, the service is open (and bound to loopback, see ServeCommand).
 * Whether keys exist is read again at most every few seconds, so a key made by {@code minutes keys
 * create} in another process is honoured without a restart.
 */
final class Auth {
    /** The request attribute holding the caller's tenant (absent when the service has no API keys). */
    static final String TENANT = "minutes.tenant";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Auth.class);
    private static final Duration RECHECK = Duration.ofSeconds(2);

    private final ApiKeyStore store;
    private final Clock clock;
    private final StoreHealth storeHealth;
    private volatile boolean keysConfigured;
    private volatile Instant checkedAt = Instant.MIN;

    Auth(ApiKeyStore store, Clock clock, StoreHealth storeHealth) {
        this.store = store;
        this.clock = clock;
        this.storeHealth = storeHealth;
    }

    void check(Context ctx) {
        // liveness and readiness probes carry no key, and must not wait on the store to say the process lives
        if (ctx.path().equals(MinutesServer.HEALTH) || ctx.path().equals(MinutesServer.READY)) return;
        try {
            if (!keysConfigured()) return;
            String header = ctx.header("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
                throw unauthorized("this service needs an API key: send 'Authorization: Bearer KEY' (make one with 'minutes keys create --tenant NAME')");
            }
            String tenant = store.apiKeyTenant(ApiKeys.hash(header.substring(7).strip()))
                    .orElseThrow(() -> unauthorized("the API key is not known: check it, or make one with 'minutes keys create --tenant NAME'"));
            ctx.attribute(TENANT, tenant);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            // keys cannot be checked: refuse (never serve as if there were none), and say it is the service's state
            log.warn("cannot check API keys: {}", e.toString());
            storeHealth.failed(e);
            throw new ApiException(ErrorCode.NOT_READY, "store: cannot be read, so API keys cannot be checked; try again shortly (GET /api/v1/ready tells when)")
                    .with("store", "unavailable").header("Retry-After", "5");
        }
    }

    private boolean keysConfigured() {
        Instant now = clock.instant();
        if (Duration.between(checkedAt, now).compareTo(RECHECK) >= 0) {
            keysConfigured = store.apiKeysCount() > 0;
            checkedAt = now;
        }
        return keysConfigured;
    }

    private static ApiException unauthorized(String detail) {
        return new ApiException(ErrorCode.UNAUTHORIZED, detail).header("WWW-Authenticate", "Bearer");
    }
}
