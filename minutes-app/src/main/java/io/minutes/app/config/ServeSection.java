package io.minutes.app.config;

import io.minutes.server.ServerOptions;

import java.nio.file.Path;

/** The serve section: where the service listens and what it accepts, as {@link ServerOptions}. */
public final class ServeSection {
    private ServeSection() {
    }

    public static final Section SECTION = Section.of("serve", Settings.HOST, Settings.PORT, Settings.MAX_BATCH_MEETINGS,
            Settings.MAX_UPLOAD_BYTES, Settings.MAX_QUEUED_MEETINGS, Settings.PROCESS_TIMEOUT, Settings.INSECURE);

    /**
     * @param uploads  where uploads wait while they are read
     * @param provider the provider's name; {@code analyzer}: its identity (see {@link ProviderSection})
     */
    public static ServerOptions options(Config config, Path uploads, String provider, String analyzer) {
        return new ServerOptions(config.get(Settings.HOST), config.get(Settings.PORT), config.get(Settings.MAX_BATCH_MEETINGS),
                config.get(Settings.MAX_UPLOAD_BYTES), config.get(Settings.MAX_QUEUED_MEETINGS),
                config.get(Settings.PROCESS_TIMEOUT), uploads, provider, analyzer,
                ServerOptions.DEFAULT_REQUEST_HEADER_TIMEOUT);
    }
}
