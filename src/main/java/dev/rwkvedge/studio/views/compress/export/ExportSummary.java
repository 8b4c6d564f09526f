package dev.rwkvedge.studio.views.compress.export;

import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.studio.ui.Formats;
import java.nio.file.Path;
import java.util.List;

/** What an export wrote and whether each file, reopened, computes what the compressed model in memory computes. */
public record ExportSummary(List<Written> files, SizeReport size) {

    /**
     * @param maxLogitDifference largest |difference| of the reopened file's logits from the in-memory model's
     * @param verified           the reopened file gives the logits it should: identical for the compressed file,
     *                           equal up to float rounding for a reconstruction that drops nothing
     * @param verdict            the verification in words
     */
    public record Written(ExportFormat format, Path path, long bytes, double maxLogitDifference, boolean verified,
                          String verdict) {}

    public boolean allVerified() {
        return files.stream().allMatch(Written::verified);
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("Compressed model: ").append(Formats.bytes(size.residentBytes())).append(" resident, ")
                .append(Formats.versus(size.ratioVsFp16(), "fp16")).append(", ")
                .append(Formats.versus(size.ratioVsFp32(), "fp32")).append("\n\n");
        for (Written w : files) {
            sb.append(w.path()).append('\n')
                    .append("  ").append(w.format().label).append(", ").append(Formats.bytes(w.bytes())).append('\n')
                    .append("  ").append(w.verified() ? "verified: " : "NOT verified: ").append(w.verdict()).append("\n\n");
        }
        sb.append(allVerified() ? "All files verified." : "Some files did not verify; see above.");
        return sb.toString();
    }
}
