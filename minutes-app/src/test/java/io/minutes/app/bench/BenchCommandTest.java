package io.minutes.app.bench;

import io.minutes.app.cli.ExitStatus;
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
    void everyScenarioCompletesEveryMeetingOnceWithEachScheduler() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("bench", "--quick");

        List<String> names = Scenario.all(true).stream().map(Scenario::name).toList();
        List<String> rows = out.toString().lines().filter(l -> names.contains(l.split("\\s+")[0])).toList();
        List<String> expected = new java.util.ArrayList<>();
        for (String name : names) for (String scheduler : List.of("throttle", "auto", "baseline")) expected.add(name + " " + scheduler);
        assertThat(rows).extracting(r -> r.split("\\s+")[0] + " " + r.split("\\s+")[1]).containsExactlyElementsOf(expected);
        for (String row : rows) {
            String[] cells = row.split("\\s+");
            List<String> last = Arrays.asList(cells).subList(cells.length - 2, cells.length);
            if (!cells[1].equals("baseline")) {
                assertThat(last).as("lost and billed twice in: %s", row).containsExactly("0", "0");
            } else {
                // the baseline knows nothing of tokens or of a quantised window: 429s may use up a meeting's attempts
                assertThat(last.get(1)).as("billed twice in: %s", row).isEqualTo("0");
            }
        }
        assertThat(out.toString()).contains("seed 42", "load average", "not comparable",
                "the small batch's last call started after");
        assertThat(exit).as("quick judges only what was lost or billed twice, and the throttle loses nothing")
                .isEqualTo(ExitStatus.OK);
    }

    @Test
    void anUnknownSchedulerIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("bench", "--quick", "--scheduler", "auto,fastest")).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString()).contains("fastest", "throttle, auto, baseline, both or all");
    }

    @Test
    void anUnknownScenarioIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("bench", "--quick", "--scenario", "quantised,bogus")).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString()).contains("bogus", "quantised", "fairness");
    }
}
