package dev.seqrec.eval.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense integer ids 1..N for external string ids, in order of first appearance. Id 0 is reserved for padding,
 * so {@link #id(String)} answers {@link #UNKNOWN} (0) for a string it has never seen.
 */
public final class IdMapping {
    public static final int UNKNOWN = 0;

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> external = new ArrayList<>();

    public IdMapping() {
        external.add(null); // slot 0: padding
    }

    /** The dense id of {@code externalId}, assigning the next free one if it is new. */
    public int getOrAdd(String externalId) {
        Integer id = ids.get(externalId);
        if (id != null) {
            return id;
        }
        int next = external.size();
        ids.put(externalId, next);
        external.add(externalId);
        return next;
    }

    /** The dense id of {@code externalId}, or {@link #UNKNOWN}. */
    public int id(String externalId) {
        Integer id = ids.get(externalId);
        return id == null ? UNKNOWN : id;
    }

    /** The external id of dense id {@code id} (1..size()). */
    public String externalId(int id) {
        if (id < 1 || id >= external.size()) {
            throw new IndexOutOfBoundsException("no external id for dense id " + id + " (valid: 1.." + size() + ")");
        }
        return external.get(id);
    }

    /** Number of mapped ids, N; dense ids run 1..N. */
    public int size() {
        return external.size() - 1;
    }

    /** Writes one external id per line, line i holding dense id i. */
    public void write(Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 1; i < external.size(); i++) {
                out.write(external.get(i));
                out.write('\n');
            }
        }
    }

    /** Reads a mapping written by {@link #write(Path)}. */
    public static IdMapping read(Path file) throws IOException {
        IdMapping mapping = new IdMapping();
        int line = 0;
        for (String id : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            line++;
            if (id.isEmpty() || mapping.id(id) != UNKNOWN) {
                throw new IOException(file + ":" + line + ": " + (id.isEmpty() ? "empty id" : "duplicate id '" + id + "'"));
            }
            mapping.getOrAdd(id);
        }
        return mapping;
    }
}
