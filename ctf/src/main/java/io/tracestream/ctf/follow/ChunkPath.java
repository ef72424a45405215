package io.tracestream.ctf.follow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stable names of trace directories under a followed root, whatever LTTng session rotation does to them.
 *
 * <p>A local LTTng session writes its first trace chunk straight into the output folder ({@code OUT/ust/...}).
 * The first rotation moves that chunk to {@code OUT/archives/BEGIN-END-0/ust/...} and writes the next one into
 * {@code OUT/BEGIN-1/ust/...}, which the following rotation moves to {@code OUT/archives/BEGIN-END-1/...}, and so
 * on ({@code BEGIN}/{@code END} are timestamps like {@code 20261125T153124+0000}). The key of a trace directory is
 * its path relative to the root with the chunk folder (and the {@code archives} folder before it) replaced by
 * {@code #N}, and left out for chunk 0: so a trace keeps its key from the moment it appears until it is archived.
 * While archiving chunk 0, LTTng first moves its folders into {@code OUT/.tmp_old_chunk/}: that folder is left out
 * of keys too.
 */
final class ChunkPath {
    private static final String STAMP = "\\d{8}T\\d{6}[+-]\\d{4}";
    private static final Pattern ACTIVE = Pattern.compile(STAMP + "-(\\d+)");
    private static final Pattern ARCHIVED = Pattern.compile(STAMP + "-" + STAMP + "-(\\d+)");
    /** Where LTTng 2.13 stages the folders of chunk 0 while it archives them. */
    static final String STAGED_CHUNK_ZERO = ".tmp_old_chunk";

    /**
     * The key of a trace directory, its chunk number (0 when not in a chunk folder) and whether it is in an archived
     * (complete) chunk.
     */
    record Located(String key, long chunk, boolean archived) {
    }

    private ChunkPath() {
    }

    static Located locate(Path root, Path traceDir) {
        Path rel = root.relativize(traceDir);
        List<String> parts = new ArrayList<>();
        for (Path p : rel) {
            if (!p.toString().isEmpty()) {
                parts.add(p.toString());
            }
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            String part = parts.get(i);
            Matcher archived = ARCHIVED.matcher(part);
            boolean isArchived = archived.matches() && i > 0 && parts.get(i - 1).equals("archives");
            Matcher active = ACTIVE.matcher(part);
            if (isArchived || active.matches()) {
                long chunk = Long.parseLong(isArchived ? archived.group(1) : active.group(1));
                List<String> key = new ArrayList<>(parts.subList(0, isArchived ? i - 1 : i));
                if (chunk != 0) {
                    key.add("#" + chunk);
                }
                key.addAll(parts.subList(i + 1, parts.size()));
                return new Located(String.join("/", key), chunk, isArchived);
            }
        }
        parts.remove(STAGED_CHUNK_ZERO);
        return new Located(String.join("/", parts), 0, false);
    }
}
