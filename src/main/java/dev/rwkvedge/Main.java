package dev.rwkvedge;

import dev.rwkvedge.cli.StudioCommand;
import dev.rwkvedge.io.WriteJournal;
import dev.rwkvedge.studio.Launcher;
import java.util.Arrays;

/** One entry point: no arguments, or {@code studio [MODEL] [options]}, opens the studio; anything else is the command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        WriteJournal.sweepInterrupted();
        if (args.length == 0) {
            System.exit(Launcher.run(args));
        } else if (args[0].equals("studio")) {
            System.exit(Launcher.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        int code = StudioCommand.run(args);
        if (code != Integer.MIN_VALUE) System.exit(code);
    }
}
