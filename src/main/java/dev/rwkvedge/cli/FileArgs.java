package dev.rwkvedge.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * File options, checked while parsing: inputs must be readable files, outputs must land in an existing folder under a
 * name whose format we write. {@link Preflight} then checks what needs all options at once (distinct paths, a
 * writable folder).
 */
final class FileArgs {
    private FileArgs() {}

    static final String SYNTHETIC = "synthetic:";

    static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + Messages.abbreviate(value) + "' is not a valid path");
        }
    }

    static boolean synthetic(Path p) {
        return p.toString().startsWith(SYNTHETIC);
    }

    /** A file to read. */
    static class Input implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = path(value);
            if (Files.isDirectory(p)) throw new TypeConversionException(value + " is a folder, not a file");
            if (!Files.isRegularFile(p)) throw new TypeConversionException("file not found: " + value);
            if (!Files.isReadable(p)) throw new TypeConversionException(value + " is not readable (permissions)");
            return p;
        }
    }

    /** A model file, or {@code synthetic:SHAPE} for random weights. */
    static final class Model extends Input {
        @Override
        public Path convert(String value) {
            if (value.startsWith(SYNTHETIC)) {
                try {
                    dev.rwkvedge.model.SyntheticModel.shape(value.substring(SYNTHETIC.length()));
                } catch (IllegalArgumentException e) {
                    throw new TypeConversionException(e.getMessage());
                }
                return Path.of(value);
            }
            return super.convert(value);
        }
    }

    /** A file to write (any format: raw logits, CSV): its folder must exist and it must not be a folder itself. */
    static class Output implements ITypeConverter<Path> {
        /** Lower-case endings this output accepts; empty: any. */
        List<String> extensions() {
            return List.of();
        }

        @Override
        public Path convert(String value) {
            Path p = path(value);
            String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!extensions().isEmpty() && extensions().stream().noneMatch(name::endsWith)) {
                throw new TypeConversionException(value + ": unknown output format; the name must end in "
                        + String.join(", ", extensions()));
            }
            if (Files.isDirectory(p)) throw new TypeConversionException(value + " is a folder; give a file name");
            Path dir = p.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new TypeConversionException(value + ": folder " + dir + " does not exist");
            }
            return p;
        }
    }

    /** The compressed-model file: safetensors, whatever else the name says would be a lie. */
    static final class CompressedModel extends Output {
        @Override
        List<String> extensions() {
            return List.of(".safetensors");
        }
    }

    /** A dense model in a format a writer exists for, chosen by the name. */
    static final class DenseModel extends Output {
        @Override
        List<String> extensions() {
            return List.of(".pth", ".safetensors", ".bin");
        }
    }
}
