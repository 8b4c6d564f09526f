package dev.rwkvedge.studio;

import dev.rwkvedge.studio.ui.Theme;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The studio's command line: {@code ./studio studio [MODEL] [--view ID] [--theme dark] [--screenshot FILE]}.
 *
 * @param model        the file to open, or null for the bundled sample model
 * @param view         the tab to show first (overview, spectra, sparsity, compress, generation), or null
 * @param theme        overrides the remembered theme, or null
 * @param screenshot   write the window to this PNG once the view has rendered, then exit
 * @param prompt       with --screenshot of the generation view: generate from this prompt before the picture
 * @param size         window size in pixels, {width, height}
 * @param presenter    start in presenter mode (larger text and charts, sized to the screen)
 */
public record StudioOptions(Path model, String view, Theme theme, Path screenshot, String prompt, int[] size,
                            boolean presenter) {

    @Command(name = "studio", mixinStandardHelpOptions = true, version = "RWKV Edge Studio 0.1.0",
            description = "Open the RWKV Edge Studio window.")
    static final class Arguments {
        @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
                description = "Model file to open (default: the sample model in models-sample/).")
        Path model;

        @Option(names = "--view", paramLabel = "ID", description = "Tab to show: overview, spectra, sparsity, compress, generation.")
        String view;

        @Option(names = "--theme", paramLabel = "light|dark", description = "Light or dark look.")
        String theme;

        @Option(names = "--screenshot", paramLabel = "PNG",
                description = "Write the window to this PNG once the view has rendered, then exit.")
        Path screenshot;

        @Option(names = "--prompt", paramLabel = "TEXT",
                description = "With --view generation: generate from this prompt (default sampling settings) before the screenshot.")
        String prompt;

        @Option(names = "--size", paramLabel = "WxH", defaultValue = "1200x780",
                description = "Window size (default: ${DEFAULT-VALUE}).")
        String size;

        @Option(names = "--presenter", description = "Start in presenter mode (View > Presenter mode, Shortcut+Shift+P).")
        boolean presenter;
    }

    public StudioOptions {
        size = size == null ? new int[] {1200, 780} : size.clone();
    }

    /** Not in presenter mode. */
    public StudioOptions(Path model, String view, Theme theme, Path screenshot, String prompt, int[] size) {
        this(model, view, theme, screenshot, prompt, size, false);
    }

    public static StudioOptions of(Path model) {
        return new StudioOptions(model, null, null, null, null, null);
    }

    /** Parses; throws {@link CommandLine.ParameterException} with a user-facing message on bad input. */
    public static StudioOptions parse(List<String> args) {
        Arguments a = new Arguments();
        new CommandLine(a).parseArgs(args.toArray(String[]::new));
        String[] wh = a.size.toLowerCase().split("x");
        int[] size;
        try {
            size = new int[] {Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim())};
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--size wants WIDTHxHEIGHT, like 1200x780, not " + a.size);
        }
        return new StudioOptions(a.model, a.view, a.theme == null ? null : Theme.parse(a.theme), a.screenshot,
                a.prompt, size, a.presenter);
    }

    /** Prints help or a usage error and returns an exit code, or returns -1 when the studio should start. */
    static int check(String[] args) {
        CommandLine cl = new CommandLine(new Arguments());
        try {
            CommandLine.ParseResult r = cl.parseArgs(args);
            if (CommandLine.printHelpIfRequested(r)) return 0;
            parse(List.of(args));
            return -1;
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            System.err.println("studio: " + e.getMessage());
            cl.usage(System.err);
            return 2;
        }
    }

    @Override
    public int[] size() {
        return size.clone();
    }
}
