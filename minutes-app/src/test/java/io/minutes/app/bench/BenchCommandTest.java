package io.minutes.app.bench;

import io.minutes.app.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code minutes bench --quick}: every scenario through the real engine, checked for correctness, not speed. */
class BenchCommandTest {

    @Test
    void everyScenarioCompletesEveryMeetingOnceWithBothSchedulers() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("bench", "--quick");

        List<String> rows = out.toString().lines().filter(l -> !l.startsWith(" ") && !l.startsWith("scenario")).toList();
        assertThat(rows).extracting(r -> r.split("\\s+")[0] + " " + r.split("\\s+")[1]).containsExactly(
                "rpm-bound throttle", "rpm-bound naive", "tpm-bound throttle", "tpm-bound naive",
                "faults throttle", "faults naive", "unknown-limits throttle", "unknown-limits naive",
                "fairness throttle", "fairness naive");
        for (String row : rows) {
            String[] cells = row.split("\\s+");
            List<String> last = Arrays.asList(cells).subList(cells.length - 2, cells.length);
            if (cells[1].equals("throttle") || !cells[0].equals("tpm-bound")) {
                assertThat(last).as("lost and duplicated in: %s", row).containsExactly("0", "0");
            } else {
                // the naive scheduler ignores the tokens limit: 429s can use up a meeting's attempts
                assertThat(last.get(1)).as("duplicated in: %s", row).isEqualTo("0");
            }
        }
        assertThat(out.toString()).contains("the small batch's last call started after");
        assertThat(exit).isIn(Main.EXIT_OK, Main.EXIT_FAILED_MEETINGS);
    }

    @Test
    void anUnknownScenarioIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("bench", "--quick", "--scenario", "rpm-bound,bogus")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("bogus", "rpm-bound", "fairness");
    }
}
