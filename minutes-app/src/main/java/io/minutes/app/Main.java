package io.minutes.app;

import io.minutes.app.bench.BenchCommand;
import io.minutes.app.cli.ConfigCommand;
import io.minutes.app.cli.EstimateCommand;
import io.minutes.app.cli.EvalCommand;
import io.minutes.app.cli.ExitStatus;
import io.minutes.app.cli.KeysCommand;
import io.minutes.app.cli.ServeCommand;
import io.minutes.app.cli.StatusCommand;
import io.minutes.app.cli.SubmitCommand;
import io.minutes.app.cli.RunCommand;
import io.minutes.app.cli.SettingOptions;
import io.minutes.app.cli.WorkerCommand;
import io.minutes.app.cli.TranscriptCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code minutes} command line. */
@Command(name = "minutes", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Turns batches of meeting transcripts into minutes: summary, action items, decisions, "
                + "open questions, participants.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        int status;
        try {
            status = commandLine().execute(args);
        } catch (OutOfMemoryError e) { // e.g. while reading the inputs: one line, not a stack trace
            System.err.println("minutes: " + io.minutes.app.cli.EngineDeath.describe(e, "run the same command again"));
            status = ExitStatus.FAILED_MEETINGS;
        }
        System.exit(status);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        CommandLine run = new CommandLine(new RunCommand());
        SettingOptions.addTo(run, RunCommand.SETTINGS);
        cli.addSubcommand("run", run);
        CommandLine worker = new CommandLine(new WorkerCommand());
        SettingOptions.addTo(worker, WorkerCommand.SETTINGS);
        cli.addSubcommand("worker", worker);
        CommandLine config = new CommandLine(new ConfigCommand());
        SettingOptions.addTo(config, ConfigCommand.SETTINGS);
        cli.addSubcommand("config", config);
        CommandLine serve = new CommandLine(new ServeCommand());
        SettingOptions.addTo(serve, ServeCommand.SETTINGS);
        cli.addSubcommand("serve", serve);
        CommandLine keys = new CommandLine(new KeysCommand());
        for (String sub : java.util.List.of("create", "list", "revoke")) SettingOptions.addTo(keys.getSubcommands().get(sub), KeysCommand.SETTINGS);
        cli.addSubcommand("keys", keys);
        CommandLine submit = new CommandLine(new SubmitCommand());
        SettingOptions.addTo(submit, SubmitCommand.SETTINGS);
        cli.addSubcommand("submit", submit);
        CommandLine status = new CommandLine(new StatusCommand());
        SettingOptions.addTo(status, StatusCommand.SETTINGS);
        cli.addSubcommand("status", status);
        cli.addSubcommand("transcript", new CommandLine(new TranscriptCommand()));
        CommandLine estimate = new CommandLine(new EstimateCommand());
        SettingOptions.addTo(estimate, EstimateCommand.SETTINGS);
        cli.addSubcommand("estimate", estimate);
        CommandLine eval = new CommandLine(new EvalCommand());
        SettingOptions.addTo(eval, EvalCommand.SETTINGS);
        cli.addSubcommand("eval", eval);
        cli.addSubcommand("bench", new CommandLine(new BenchCommand()));
        cli.setUsageHelpWidth(110);
        cli.setExitCodeExceptionMapper(e -> ExitStatus.USAGE);
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("minutes: " + e.getMessage() + didYouMean(e));
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitStatus.USAGE;
        });
        return cli;
    }

    /** "; did you mean --concurrency?" for an unknown option close to a known one. */
    private static String didYouMean(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)) return "";
        java.util.List<String> options = e.getCommandLine().getCommandSpec().options().stream()
                .flatMap(o -> java.util.Arrays.stream(o.names())).toList();
        for (String arg : unmatched.getUnmatched()) {
            if (!arg.startsWith("-")) continue;
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            var closest = io.minutes.app.cli.DidYouMean.closest(name, options);
            if (closest.isPresent()) return "; did you mean " + closest.get() + "?";
        }
        return "";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"minutes " + (v == null ? "dev" : v)};
        }
    }
}
