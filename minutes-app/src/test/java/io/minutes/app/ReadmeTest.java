package io.minutes.app;

import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration table stays true to the settings the code has. */
class ReadmeTest {

    @Test
    void everySettingIsDocumentedWithItsEnvironmentVariableAndDefault() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("minutes.root"), "README.md"));
        for (Setting<?> s : Settings.ALL) {
            assertThat(readme).as("README row for %s", s.key())
                    .contains("| `" + s.key() + "` | `" + s.envVar() + "` | `" + s.defaultText() + "` |");
        }
    }
}
