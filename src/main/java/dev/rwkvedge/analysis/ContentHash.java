package dev.rwkvedge.analysis;

import dev.rwkvedge.io.AtomicFiles;
import dev.rwkvedge.task.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a file's content, the key of everything cached about a model. Hashing a 30 MB model takes about
 * 0.1 s, a 3 GB one half a minute, so the result is remembered per (absolute path, size, modification time) in a
 * small file under {@code memoDir}; any change to the file changes its size or time and is hashed again.
 */
public final class ContentHash {
    private static final int BUFFER = 1 << 20;

    /** What the memo remembers about one path. */
    record Memo(String path, long size, long modifiedNanos, String sha256) {}

    private ContentHash() {}

    /** The file's hash, from the memo in {@code memoDir} when the file did not change, else computed (and memoised). */
    public static String of(Path file, Path memoDir, ProgressListener progress) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        long size = Files.size(abs);
        long modified = Files.getLastModifiedTime(abs).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        Path memoFile = memoDir.resolve(hex(sha256(abs.toString().getBytes(StandardCharsets.UTF_8))) + ".json");
        Memo memo = readMemo(memoFile);
        if (memo != null && memo.path().equals(abs.toString()) && memo.size() == size
                && memo.modifiedNanos() == modified && memo.sha256().matches("[0-9a-f]{64}")) {
            return memo.sha256();
        }
        String hash = sha256(abs, progress);
        try {
            Files.createDirectories(memoDir);
            Memo fresh = new Memo(abs.toString(), size, modified, hash);
            AtomicFiles.write(memoFile, AnalysisCache.JSON.writeValueAsBytes(fresh));
        } catch (IOException e) {
            // a read-only cache only costs the next open another hash
        }
        return hash;
    }

    /** Hashes the whole file now, reporting bytes done. */
    public static String sha256(Path file, ProgressListener progress) throws IOException {
        MessageDigest md = digest();
        long total = Files.size(file), done = 0;
        byte[] buf = new byte[BUFFER];
        progress.update(0, total, "hashing " + file.getFileName());
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                done += n;
                progress.update(done, total, "hashing " + file.getFileName());
                progress.checkCancelled();
            }
        }
        return hex(md.digest());
    }

    static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static Memo readMemo(Path memoFile) {
        try {
            return Files.isRegularFile(memoFile) ? AnalysisCache.JSON.readValue(memoFile.toFile(), Memo.class) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
