package dev.seqrec.cli;

import dev.seqrec.report.AtomicFile;
import dev.seqrec.report.DirectoryTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The demo's working directory: what one run builds and the next reuses. A stage's result counts as done only when
 * its record is written, and records are written atomically, so an interrupted run redoes just the unfinished stage.
 */
record DemoWorkspace(Path root) {
    private static final String IMPORT_RECORD = "imported.properties";

    static DemoWorkspace create(Path root) throws IOException {
        Files.createDirectories(root);
        return new DemoWorkspace(root.toAbsolutePath().normalize());
    }

    Path brokerDir() {
        return root.resolve("kafka");
    }

    Path storeDir() {
        return root.resolve("store");
    }

    Path checkpointDir() {
        return root.resolve("model");
    }

    Path evaluationFile() {
        return root.resolve("evaluation.json");
    }

    /**
     * Deletes what was ingested from an earlier import: when the topic is imported again, the store would otherwise
     * hold its events twice, or another file's. The model stays: it depends on the data file only, and the training
     * stage reuses it when it was trained on this very file.
     */
    void forgetImportedData() throws IOException {
        Files.deleteIfExists(root.resolve(IMPORT_RECORD));
        DirectoryTree.delete(storeDir());
    }

    /** Deletes the model directory, so that training can start a new run there. */
    void forgetModel() throws IOException {
        DirectoryTree.delete(checkpointDir());
    }

    /**
     * What was imported into the broker.
     *
     * @param dataSha256 SHA-256 of the imported file
     * @param topic      the topic it went to
     * @param events     how many events were produced
     */
    record ImportRecord(String dataSha256, String topic, long events) {
    }

    Optional<ImportRecord> importRecord() throws IOException {
        Path file = root.resolve(IMPORT_RECORD);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        try {
            return Optional.of(new ImportRecord(properties.getProperty("data.sha256"), properties.getProperty("topic"),
                    Long.parseLong(properties.getProperty("events"))));
        } catch (NumberFormatException | NullPointerException e) {
            return Optional.empty(); // an unreadable record means: import again
        }
    }

    void writeImportRecord(ImportRecord record) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("data.sha256", record.dataSha256());
        properties.setProperty("topic", record.topic());
        properties.setProperty("events", Long.toString(record.events()));
        AtomicFile.write(root.resolve(IMPORT_RECORD), temp -> {
            try (OutputStream out = Files.newOutputStream(temp)) {
                properties.store(out, "seqrec demo: the data file already in the broker");
            }
        });
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
