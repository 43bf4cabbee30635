package io.minutes.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small transcripts written for engine tests, where what is said does not matter. */
public final class TestTranscripts {
    private TestTranscripts() {
    }

    public static Path writeMany(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            Files.writeString(dir.resolve(String.format("meeting-%04d.txt", i)), text(i));
        }
        return dir;
    }

    public static String text(int i) {
        return "Alice: Welcome to planning meeting number " + i + ". Let's review the release plan.\n"
                + "Bob: I will update the migration guide by Friday.\n"
                + "Alice: We decided to ship version " + i + " next week.\n"
                + "Bob: Who owns the rollback plan?\n";
    }
}
