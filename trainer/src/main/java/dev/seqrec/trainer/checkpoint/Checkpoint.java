package dev.seqrec.trainer.checkpoint;

import dev.seqrec.report.AtomicFile;
import dev.seqrec.report.DirectoryTree;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqrec.eval.data.IdMapping;
import dev.seqrec.ndarray.NpyFormat;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderScorer;
import dev.seqrec.trainer.model.EncoderWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained (or imported) encoder on disk: a directory holding
 * <ul>
 *   <li>{@code model.json}: format version, model kind, {@link EncoderConfig}, {@link Provenance} and, for resumable
 *       training checkpoints, the trainer's counters;</li>
 *   <li>{@code weights/NAME.npy}: one float32 NumPy file per tensor, named as {@link EncoderWeights#tensors()}
 *       ([in, out] linear weights);</li>
 *   <li>{@code items.txt}: the item {@link IdMapping} (line i = external id of dense item i);</li>
 *   <li>{@code item_counts.txt}: line i = training interactions of dense item i (popularity fallback);</li>
 *   <li>{@code state/NAME.npy}: optional training state (optimiser moments, augmenters) for {@code --resume};</li>
 *   <li>{@code checksums.sha256}: the SHA-256 of every other file, in {@code sha256sum} format.</li>
 * </ul>
 * Saving writes a temporary sibling directory and renames it into place, so a crash never leaves half a checkpoint.
 *
 * @param trainingCounters small trainer state (epoch, RNG seed, Adam step counts, ...) kept in model.json; empty if none
 * @param trainingState    tensors of the trainer's state; empty if none
 */
public record Checkpoint(ModelKind kind, EncoderConfig config, EncoderWeights weights, IdMapping items,
                         long[] itemCounts, Provenance provenance, Map<String, Object> trainingCounters,
                         Map<String, INDArray> trainingState) {

    public static final int FORMAT_VERSION = 1;
    public static final String MODEL_JSON = "model.json";
    public static final String ITEMS = "items.txt";
    public static final String ITEM_COUNTS = "item_counts.txt";
    public static final String CHECKSUMS = "checksums.sha256";
    public static final String WEIGHTS_DIR = "weights";
    public static final String STATE_DIR = "state";
    /** Name parts of the sibling directories a save writes ({@code .NAME.tmp-*}) and moves aside ({@code .NAME.old-*}). */
    private static final String TEMP_INFIX = AtomicFile.TEMP_INFIX;
    private static final String OLD_INFIX = ".old-";
    /** Loads tried when a save replaces the checkpoint while it is read, and the pause between them. */
    private static final int LOAD_ATTEMPTS = 3;
    private static final Duration LOAD_RETRY_PAUSE = Duration.ofMillis(50);
    /** Where a replaced copy goes to be deleted: out of the names {@link #interruptedSave} looks at. */
    private static final String DELETE_INFIX = ".del-";
    /** Hex digits of the model version string. */
    private static final int VERSION_DIGITS = 12;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Checkpoint {
        if (items.size() != config.numItems() || itemCounts.length != config.numItems()) {
            throw new IllegalArgumentException("item mapping (" + items.size() + "), item counts (" + itemCounts.length
                    + ") and model (" + config.numItems() + ") disagree on the number of items");
        }
        trainingCounters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(trainingCounters));
        trainingState = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(trainingState));
    }

    /** A checkpoint without training state (what serving and evaluation need). */
    public static Checkpoint of(ModelKind kind, EncoderConfig config, EncoderWeights weights, IdMapping items,
                                long[] itemCounts, Provenance provenance) {
        return new Checkpoint(kind, config, weights, items, itemCounts, provenance, Map.of(), Map.of());
    }

    /** A scorer over this model for the evaluator (the training graph's forward pass, in evaluation mode). */
    public EncoderScorer scorer(String name) {
        return new EncoderScorer(name, config, weights);
    }

    /**
     * A scorer for evaluating on {@code dataset}, named "{@code kind} (label)". The dataset must map item ids exactly
     * as the model does, or scores would go to the wrong items.
     *
     * @throws CheckpointException when the item mappings differ
     */
    public EncoderScorer scorerFor(dev.seqrec.eval.data.SequenceDataset dataset, String label) throws CheckpointException {
        IdMapping data = dataset.items();
        if (data.size() != items.size()) {
            throw new CheckpointException("checkpoint " + label + " knows " + items.size() + " items but "
                    + dataset.name() + " has " + data.size() + "; evaluate it on the data it was trained on");
        }
        for (int id = 1; id <= items.size(); id++) {
            if (!items.externalId(id).equals(data.externalId(id))) {
                throw new CheckpointException("checkpoint " + label + " maps item id " + id + " to '" + items.externalId(id)
                        + "' but " + dataset.name() + " maps it to '" + data.externalId(id) + "'");
            }
        }
        return scorer(kind.label() + " (" + label + ")");
    }

    /**
     * Writes the checkpoint to {@code dir} atomically, replacing an existing checkpoint there: the new copy is written
     * and forced to disk beside it, the old one renamed aside, the new one renamed into place, and only then the old
     * one deleted. A crash between the two renames leaves just the old copy aside; readers use it ({@link #resolve})
     * and the next save of {@code dir} puts it back first.
     */
    public void save(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        restoreInterruptedSave(target);
        Path temp = AtomicFile.newSibling(target, TEMP_INFIX, true);
        try {
            writeInto(temp);
            forceTree(temp);
            Path old = null;
            if (Files.exists(target)) {
                old = parent.resolve("." + target.getFileName() + OLD_INFIX + System.nanoTime());
                move(target, old);
            }
            move(temp, target);
            forceDirectory(parent);
            if (old != null) {
                Path doomed = parent.resolve("." + target.getFileName() + DELETE_INFIX + System.nanoTime());
                move(old, doomed); // so that a crash while deleting never leaves a partial copy to restore
                DirectoryTree.delete(doomed);
            }
        } catch (IOException | RuntimeException e) {
            DirectoryTree.delete(temp);
            throw e;
        }
    }

    /**
     * Before a save: puts back the copy that a save interrupted between its two renames left aside, and removes what
     * earlier interrupted saves left behind. Only the writer of {@code target} calls it.
     */
    private static void restoreInterruptedSave(Path target) throws IOException {
        Path aside = interruptedSave(target);
        if (aside != null && !Files.exists(target)) {
            move(aside, target);
        }
        String name = target.getFileName().toString();
        for (Path leftover : siblings(target)) {
            String other = leftover.getFileName().toString();
            if (other.startsWith("." + name + TEMP_INFIX) || other.startsWith("." + name + OLD_INFIX)
                    || other.startsWith("." + name + DELETE_INFIX)) {
                DirectoryTree.delete(leftover);
            }
        }
    }

    /**
     * The complete copy of {@code target} that an interrupted save left aside (the newest, if several), or null when
     * {@code target} exists or nothing was left aside.
     */
    private static Path interruptedSave(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) || target.getFileName() == null) {
            return null;
        }
        String prefix = "." + target.getFileName() + OLD_INFIX;
        Path newest = null;
        long newestNanos = Long.MIN_VALUE;
        for (Path sibling : siblings(target)) {
            String name = sibling.getFileName().toString();
            if (name.startsWith(prefix) && Files.isRegularFile(sibling.resolve(CHECKSUMS))) {
                try {
                    long nanos = Long.parseLong(name.substring(prefix.length()));
                    if (newest == null || nanos > newestNanos) {
                        newest = sibling;
                        newestNanos = nanos;
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
        return newest;
    }

    private static List<Path> siblings(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(parent)) {
            return list.toList();
        }
    }

    /** Forces every file and directory under {@code dir} to disk, so that the rename publishes complete files. */
    private static void forceTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel file = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        file.force(true);
                    }
                } else {
                    forceDirectory(p);
                }
            }
        }
    }

    /** Forces a directory's entries to disk where the platform allows it (Linux does; Windows cannot open one). */
    private static void forceDirectory(Path dir) {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // best effort: the file data itself was forced above
        }
    }

    private void writeInto(Path dir) throws IOException {
        Files.createDirectories(dir.resolve(WEIGHTS_DIR));
        for (Map.Entry<String, INDArray> e : weights.tensors().entrySet()) {
            Nd4j.writeAsNumpy(e.getValue().castTo(DataType.FLOAT).dup('c'), dir.resolve(WEIGHTS_DIR).resolve(e.getKey() + ".npy").toFile());
        }
        if (!trainingState.isEmpty()) {
            Files.createDirectories(dir.resolve(STATE_DIR));
            for (Map.Entry<String, INDArray> e : trainingState.entrySet()) {
                Nd4j.writeAsNumpy(e.getValue().dup('c'), dir.resolve(STATE_DIR).resolve(e.getKey() + ".npy").toFile());
            }
        }
        items.write(dir.resolve(ITEMS));
        StringBuilder counts = new StringBuilder();
        for (long c : itemCounts) {
            counts.append(c).append('\n');
        }
        Files.writeString(dir.resolve(ITEM_COUNTS), counts, StandardCharsets.UTF_8);
        ObjectNode model = JSON.createObjectNode();
        model.put("format_version", FORMAT_VERSION);
        model.put("kind", kind.label());
        model.set("encoder", JSON.valueToTree(config));
        model.set("provenance", JSON.valueToTree(provenance));
        model.set("training_counters", JSON.valueToTree(trainingCounters));
        model.set("training_state", JSON.valueToTree(List.copyOf(trainingState.keySet())));
        JSON.writeValue(dir.resolve(MODEL_JSON).toFile(), model);
        StringBuilder sums = new StringBuilder();
        for (Path file : listFiles(dir)) {
            sums.append(sha256(file)).append("  ").append(relative(dir, file)).append('\n');
        }
        Files.writeString(dir.resolve(CHECKSUMS), sums, StandardCharsets.UTF_8);
    }

    /**
     * Loads a checkpoint directory, or the {@code best/} checkpoint of a training output directory.
     *
     * @throws CheckpointException when it is missing, corrupt (checksum), of another format or inconsistent
     */
    public static Checkpoint load(Path dir) throws CheckpointException {
        return loadVersioned(dir).checkpoint();
    }

    /** A checkpoint with its {@link #modelVersion}, taken from the very checksums its load verified. */
    public record Versioned(Checkpoint checkpoint, String version) {
    }

    /** {@link #load}, with the version of the weights it loaded (a save meanwhile cannot mislabel them). */
    public static Versioned loadVersioned(Path dir) throws CheckpointException {
        // A training run may save over the checkpoint while it is read: files of two epochs would pass every check
        // (same shapes), so a load counts only if the checksums it verified are still the ones in place afterwards,
        // and a failure counts only if nothing moved meanwhile.
        CheckpointException failure = null;
        boolean replaced = false;
        for (int attempt = 1; attempt <= LOAD_ATTEMPTS; attempt++) {
            if (attempt > 1) {
                pauseForSave();
            }
            Path root;
            try {
                root = resolve(dir);
            } catch (CheckpointException e) { // also what a save's rename, between two checks, looks like
                failure = e;
                continue;
            }
            String sums = checksumsText(root);
            try {
                Checkpoint checkpoint = loadFrom(root);
                if (sums != null && sums.equals(checksumsText(root))) {
                    return new Versioned(checkpoint, versionOf(sums));
                }
                failure = null;
            } catch (CheckpointException e) {
                if (Objects.equals(sums, checksumsText(root))) {
                    throw e; // nothing moved: the checkpoint itself is at fault
                }
                failure = e;
            }
            replaced = true;
        }
        if (!replaced) {
            throw failure;
        }
        throw new CheckpointException(dir + ": replaced by another save while being read, " + LOAD_ATTEMPTS
                + " times in a row; load it once the training run has moved on", failure);
    }

    private static void pauseForSave() throws CheckpointException {
        try {
            Thread.sleep(LOAD_RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckpointException("interrupted while loading a checkpoint", e);
        }
    }

    /** The checksum file's text, or null when it cannot be read (as while a save swaps the directory). */
    private static String checksumsText(Path root) {
        try {
            return Files.readString(root.resolve(CHECKSUMS), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static Checkpoint loadFrom(Path root) throws CheckpointException {
        try {
            verifyChecksums(root);
            JsonNode model = JSON.readTree(root.resolve(MODEL_JSON).toFile());
            int format = model.path("format_version").asInt(-1);
            if (format != FORMAT_VERSION) {
                throw new CheckpointException(root + ": checkpoint format " + format
                        + " is not supported (this seqrec reads format " + FORMAT_VERSION + ")");
            }
            ModelKind kind = ModelKind.parse(model.path("kind").asText());
            EncoderConfig config = JSON.treeToValue(model.get("encoder"), EncoderConfig.class);
            Provenance provenance = JSON.treeToValue(model.get("provenance"), Provenance.class);
            Map<String, Object> counters = JSON.convertValue(model.path("training_counters"), new TypeReference<LinkedHashMap<String, Object>>() { });
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            for (String name : EncoderWeights.expectedShapes(config).keySet()) {
                tensors.put(name, readNpy(root, WEIGHTS_DIR + "/" + name + ".npy"));
            }
            EncoderWeights weights;
            try {
                weights = EncoderWeights.fromTensors(config, tensors);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(root + ": " + e.getMessage() + " (model.json and weights disagree)");
            }
            Map<String, INDArray> state = new LinkedHashMap<>();
            for (JsonNode name : model.path("training_state")) {
                state.put(name.asText(), readNpy(root, STATE_DIR + "/" + name.asText() + ".npy"));
            }
            IdMapping items = IdMapping.read(root.resolve(ITEMS));
            List<String> countLines = Files.readAllLines(root.resolve(ITEM_COUNTS), StandardCharsets.UTF_8);
            long[] counts = new long[countLines.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = Long.parseLong(countLines.get(i).trim());
            }
            try {
                return new Checkpoint(kind, config, weights, items, counts, provenance, counters, state);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(root + ": " + e.getMessage());
            }
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(root + ": unreadable checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * The provenance recorded in the model.json of the checkpoint at {@code dir} (as {@link #resolve} finds it), read
     * without verifying or loading anything else: a quick look, such as at the options a run recorded before it is
     * resumed. {@link #load} still checks the whole checkpoint.
     */
    public static Provenance readProvenance(Path dir) throws CheckpointException {
        Path root = resolve(dir);
        try {
            JsonNode model = JSON.readTree(root.resolve(MODEL_JSON).toFile());
            return JSON.treeToValue(model.get("provenance"), Provenance.class);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(root + ": unreadable " + MODEL_JSON + ": " + e.getMessage(), e);
        }
    }

    /**
     * A short identifier of what the model computes: a hash over the checksums of its weights and item mapping (not
     * of model.json, so re-saving or re-importing the same weights keeps the version). For serving to report.
     */
    public static String modelVersion(Path dir) throws CheckpointException {
        Path root = resolve(dir);
        try {
            return versionOf(Files.readString(root.resolve(CHECKSUMS), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CheckpointException(root + ": " + e.getMessage(), e);
        }
    }

    private static String versionOf(String checksums) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String line : checksums.split("\n")) {
                if (line.endsWith("  " + ITEMS) || line.contains("  " + WEIGHTS_DIR + "/")) {
                    digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, VERSION_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code dir} itself if it holds model.json, else its {@code best/} subdirectory (a training output). */
    public static Path resolve(Path dir) throws CheckpointException {
        Path checkpoint = orInterruptedSave(dir);
        if (Files.isRegularFile(checkpoint.resolve(MODEL_JSON))) {
            return checkpoint;
        }
        Path best = orInterruptedSave(dir.resolve("best"));
        if (Files.isRegularFile(best.resolve(MODEL_JSON))) {
            return best;
        }
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("no checkpoint at " + dir + ": not a directory");
        }
        throw new CheckpointException("not a seqrec checkpoint: " + dir + " has no " + MODEL_JSON);
    }

    /**
     * Whether {@code dir} itself is a saved checkpoint (what {@link #save} writes at its top: model.json and the
     * checksums), not a training output holding one in best/ nor any other directory.
     */
    public static boolean isCheckpointDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(MODEL_JSON)) && Files.isRegularFile(dir.resolve(CHECKSUMS));
    }

    /** Whether there is a checkpoint at {@code dir}, or a copy of it that an interrupted save left aside. */
    public static boolean isSaved(Path dir) {
        return Files.isDirectory(orInterruptedSave(dir));
    }

    /** {@code dir}, or the copy of it that an interrupted save left aside (read where it lies: readers never move). */
    private static Path orInterruptedSave(Path dir) {
        try {
            Path aside = interruptedSave(dir);
            return aside == null ? dir : aside;
        } catch (IOException e) {
            return dir;
        }
    }

    private static INDArray readNpy(Path root, String relative) throws CheckpointException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(root.resolve(relative));
        } catch (NoSuchFileException e) {
            throw new CheckpointException(root + ": missing file " + relative);
        } catch (IOException e) {
            throw new CheckpointException(root + ": cannot read " + relative + ": " + e.getMessage(), e);
        }
        try {
            return NpyFormat.read(bytes, relative);
        } catch (IOException e) {
            throw new CheckpointException(root + ": " + e.getMessage(), e);
        }
    }

    private static void verifyChecksums(Path root) throws IOException {
        Path sums = root.resolve(CHECKSUMS);
        if (!Files.isRegularFile(sums)) {
            throw new CheckpointException(root + ": missing " + CHECKSUMS);
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
            int split = line.indexOf("  ");
            if (split < 0) {
                throw new CheckpointException(root + ": malformed line in " + CHECKSUMS + ": " + line);
            }
            expected.put(line.substring(split + 2), line.substring(0, split));
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path file = root.resolve(e.getKey());
            if (!Files.isRegularFile(file)) {
                throw new CheckpointException(root + ": missing file " + e.getKey());
            }
            if (!sha256(file).equals(e.getValue())) {
                throw new CheckpointException(root + ": file " + e.getKey() + " is corrupt (SHA-256 does not match "
                        + CHECKSUMS + ")");
            }
        }
        for (Path file : listFiles(root)) {
            if (!expected.containsKey(relative(root, file))) {
                throw new CheckpointException(root + ": file " + relative(root, file) + " is not listed in " + CHECKSUMS);
            }
        }
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(CHECKSUMS))
                    .sorted(Comparator.comparing(f -> relative(dir, f))).forEach(files::add);
        }
        return files;
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
