package dev.seqrec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names that checkpoints go by in eval's and inspect's output: the directory's own name where that tells them
 * apart, else as many of its parents as it takes ({@code s2020/best} and {@code s2021/best}).
 */
final class CheckpointLabels {
    /** Leaves that training writes into every run, which name no model on their own. */
    private static final Set<String> GENERIC_LEAVES = Set.of("best", "last");

    private CheckpointLabels() {
    }

    /** One label per path, in order; paths to the same directory keep the same label. */
    static List<String> of(List<Path> given) {
        List<Path> paths = new ArrayList<>();
        int[] depth = new int[given.size()];
        for (int i = 0; i < given.size(); i++) {
            Path path = given.get(i).toAbsolutePath().normalize(); // "." and "run/" name their directory
            paths.add(path);
            boolean generic = path.getFileName() != null && GENERIC_LEAVES.contains(path.getFileName().toString());
            depth[i] = Math.min(generic ? 2 : 1, path.getNameCount());
        }
        boolean lengthened = true;
        while (lengthened) {
            lengthened = false;
            Map<String, Set<Path>> named = new HashMap<>(); // the same directory given twice is no collision
            for (int i = 0; i < paths.size(); i++) {
                named.computeIfAbsent(label(paths.get(i), depth[i]), l -> new HashSet<>()).add(paths.get(i));
            }
            for (int i = 0; i < paths.size(); i++) {
                if (named.get(label(paths.get(i), depth[i])).size() > 1 && depth[i] < paths.get(i).getNameCount()) {
                    depth[i]++;
                    lengthened = true;
                }
            }
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            labels.add(label(paths.get(i), depth[i]));
        }
        return labels;
    }

    /** The last {@code depth} names of {@code path}, or the whole path when that is all of them. */
    private static String label(Path path, int depth) {
        int names = path.getNameCount();
        return depth == 0 || depth >= names ? path.toString() : path.subpath(names - depth, names).toString();
    }
}
