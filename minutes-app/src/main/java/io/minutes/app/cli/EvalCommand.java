package io.minutes.app.cli;

import io.minutes.app.Wiring;
import io.minutes.app.config.Config;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.Sections;
import io.minutes.app.config.Setting;
import io.minutes.app.config.Settings;
import io.minutes.app.eval.EvalOutput;
import io.minutes.app.eval.ReferenceFiles;
import io.minutes.core.eval.Evaluation;
import io.minutes.core.eval.Scores;
import io.minutes.core.port.Analyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code minutes eval REFERENCES...}: runs meetings that have reference minutes through the configured analyzer and
 * says how close its minutes come: action items and decisions found (precision and recall), owners, and ROUGE of the
 * summary. The logic is core's {@link Evaluation}; this reads the files and prints.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Measure the configured analyzer (--provider, default local) on meetings that have reference minutes: "
                        + "action items and decisions found (precision / recall), owners matched and owners who are "
                        + "not speakers of the transcript, ROUGE-1 / ROUGE-L F1 of the summary.",
                "REFERENCES are files or folders: a team's own reference JSON (see the README), QMSum meetings, "
                        + "ethereum/pm ACDbot tldr.json files and All Core Devs notes with decision/action tables.",
                "Exit status: 0 measured, 1 some meeting failed in the analyzer, 2 usage error or a bad reference."})
public final class EvalCommand implements Callable<Integer> {
    public static final List<Setting<?>> SETTINGS = Sections.settingsOf(Sections.EVAL);

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "REFERENCES", description = "Reference files and folders holding them.")
    List<Path> paths;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Config config = SettingOptions.resolveOrExplain(spec, SETTINGS).orElse(null);
        if (config == null) return ExitStatus.USAGE;
        Wiring.configureLogging(config);
        ReferenceFiles.Read read;
        try {
            read = new ReferenceFiles(Wiring.ingestor(config)).read(paths);
        } catch (ReferenceFiles.BadReference e) {
            err.println("minutes: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        if (read.references().isEmpty()) {
            err.println("minutes: no reference minutes found in " + paths + " (" + read.skipped().size()
                    + " other files); see the README, `minutes eval`, for the reference file format");
            return ExitStatus.USAGE;
        }
        Analyzer analyzer;
        try {
            analyzer = Wiring.analyzer(config, System.getenv());
        } catch (ConfigException e) {
            ConfigErrors.print(err, e);
            return ExitStatus.USAGE;
        }
        boolean llm = List.of("openai", "anthropic").contains(config.get(Settings.PROVIDER));
        Scores.Report report = Evaluation.run(analyzer, read.references(), llm);
        if (json) out.println(EvalOutput.json(report));
        else {
            EvalOutput.text(out, report);
            if (!read.skipped().isEmpty()) {
                out.printf("Skipped %d file%s under %s that %s not reference minutes.%n", read.skipped().size(),
                        read.skipped().size() == 1 ? "" : "s", paths, read.skipped().size() == 1 ? "is" : "are");
            }
        }
        out.flush();
        return report.overall().failed() > 0 ? ExitStatus.FAILED_MEETINGS : ExitStatus.OK;
    }
}
