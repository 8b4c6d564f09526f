package dev.rwkvedge.cli;

import dev.rwkvedge.task.CancelledException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

@Command(name = "studio", mixinStandardHelpOptions = true, version = "RWKV Edge Studio 0.1.0",
        description = {"Compress RWKV language models for small devices.",
                "Without a command (or with `studio [MODEL]`) the desktop studio opens."},
        subcommands = {InfoCommand.class, GenerateCommand.class, LogitsCommand.class, BenchCommand.class,
                CompressCommand.class, SweepCommand.class, EvalCommand.class, AnalyzeCommand.class,
                CommandLine.HelpCommand.class})
public final class StudioCommand implements Runnable {
    /** Exit code of a failure that is our fault, not the input's (input errors and usage errors exit with 2). */
    static final int INTERNAL_ERROR = 1;
    static final int CANCELLED = 130;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * Runs the command line; returns the exit code. Usage errors and expected failures print one line (exit code 2),
     * Ctrl-C prints {@code cancelled} (130), never a stack trace (unless RWKV_DEBUG=1).
     */
    public static int run(String[] args) {
        CommandLine cl = new CommandLine(new StudioCommand());
        cl.setExecutionStrategy(new Preflight());
        cl.setParameterExceptionHandler(StudioCommand::usageError);
        cl.setExecutionExceptionHandler((ex, line, parse) -> failure(ex, line.getErr()));
        Cancellation.begin();
        try {
            return cl.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler; out of memory and stack overflow arrive here
            return failure(e, cl.getErr());
        } finally {
            cl.getErr().flush();
            Cancellation.end();
        }
    }

    /** One line, then where the full usage is: the 20-line usage text would bury the line that matters. */
    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String msg = Messages.abbreviate(ex.getMessage());
        if (ex.getCause() instanceof TypeConversionException bad && ex.getArgSpec() != null) {
            // picocli's "Invalid value for positional parameter at index 0 (MODEL): ..." says less in more words
            String name = ex.getArgSpec() instanceof OptionSpec o ? o.longestName() : ex.getArgSpec().paramLabel();
            msg = "invalid " + name + ": " + Messages.abbreviate(bad.getMessage());
        }
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            List<String> near = u.getSuggestions();
            msg += " (did you mean " + String.join(" or ", near.subList(0, Math.min(3, near.size()))) + "?)";
        }
        cmd.getErr().println("error: " + msg + "; see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int failure(Throwable ex, PrintWriter err) {
        if (ex instanceof CancelledException || Cancellation.requested()) {
            err.println("cancelled");
            err.flush();
            return CANCELLED;
        }
        if ("1".equals(System.getenv("RWKV_DEBUG"))) ex.printStackTrace(err);
        boolean input = Messages.isInputError(ex);
        String text = Messages.of(ex);
        // out of memory or stack is about the input's size, not a bug; anything else unexpected is ours
        if (!input && !(ex instanceof VirtualMachineError)) text = "internal error: " + text + " (RWKV_DEBUG=1 shows where)";
        err.println("error: " + text);
        err.flush();
        return input ? CommandLine.ExitCode.USAGE : INTERNAL_ERROR;
    }
}
