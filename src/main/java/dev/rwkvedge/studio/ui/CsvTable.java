package dev.rwkvedge.studio.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The numbers behind a chart or table, as the CSV a researcher loads into a notebook. */
public record CsvTable(List<String> header, List<List<String>> rows) {
    public CsvTable {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
    }

    public String text() {
        StringBuilder sb = new StringBuilder(line(header));
        for (List<String> r : rows) sb.append(line(r));
        return sb.toString();
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, text(), StandardCharsets.UTF_8);
    }

    private static String line(List<String> cells) {
        return cells.stream().map(CsvTable::cell).collect(Collectors.joining(",")) + "\n";
    }

    private static String cell(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) return '"' + s.replace("\"", "\"\"") + '"';
        return s;
    }
}
