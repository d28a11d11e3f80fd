package dev.seqrec.vision.model;

import dev.seqrec.ndarray.NpyFormat;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A trained encoder on disk: {@code encoder.properties} (the {@link ConvEncoderConfig}) and one {@code .npy} file
 * per weight, head included, so training can be inspected or resumed with any NumPy tool.
 */
public final class EncoderCheckpoint {

    public static final String CONFIG_FILE = "encoder.properties";
    private static final String NPY = ".npy";

    private EncoderCheckpoint() {
    }

    public static void save(ConvEncoder encoder, Path directory) throws IOException {
        Files.createDirectories(directory);
        // The config marks a complete checkpoint: take it away while the weights of an earlier save are replaced.
        Files.deleteIfExists(directory.resolve(CONFIG_FILE));
        for (Map.Entry<String, INDArray> weight : encoder.weightValues().entrySet()) {
            Nd4j.writeAsNumpy(weight.getValue(), directory.resolve(weight.getKey() + NPY).toFile());
        }
        ConvEncoderConfig c = encoder.config();
        Properties properties = new Properties();
        properties.setProperty("height", Integer.toString(c.height()));
        properties.setProperty("width", Integer.toString(c.width()));
        properties.setProperty("conv1Channels", Integer.toString(c.conv1Channels()));
        properties.setProperty("conv2Channels", Integer.toString(c.conv2Channels()));
        properties.setProperty("headHiddenDim", Integer.toString(c.headHiddenDim()));
        properties.setProperty("projectionDim", Integer.toString(c.projectionDim()));
        properties.setProperty("seed", Long.toString(c.seed()));
        // Config last: its presence marks a complete checkpoint.
        Path temporary = directory.resolve(CONFIG_FILE + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temporary)) {
            properties.store(writer, "seqrec vision encoder");
        }
        Files.move(temporary, directory.resolve(CONFIG_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Rebuilds the saved encoder in a new SameDiff graph. */
    public static ConvEncoder load(Path directory) throws IOException {
        Path configFile = directory.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new NoSuchFileException(configFile.toString(), null, "not an encoder checkpoint (no "
                    + CONFIG_FILE + ")");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(configFile)) {
            properties.load(reader);
        }
        ConvEncoderConfig config;
        try {
            config = new ConvEncoderConfig(intOf(properties, "height"), intOf(properties, "width"),
                    intOf(properties, "conv1Channels"), intOf(properties, "conv2Channels"),
                    intOf(properties, "headHiddenDim"), intOf(properties, "projectionDim"),
                    Long.parseLong(required(properties, "seed")));
        } catch (IllegalArgumentException e) {
            throw new IOException(configFile + ": " + e.getMessage(), e);
        }
        ConvEncoder encoder = new ConvEncoder(SameDiff.create(), config);
        Map<String, INDArray> values = new LinkedHashMap<>();
        for (String name : encoder.weightValues().keySet()) {
            Path file = directory.resolve(name + NPY);
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "missing weight file of the checkpoint");
            }
            values.put(name, NpyFormat.read(file));
        }
        try {
            encoder.load(values);
        } catch (IllegalArgumentException e) {
            throw new IOException(directory + ": " + e.getMessage(), e);
        }
        return encoder;
    }

    private static int intOf(Properties properties, String key) {
        return Integer.parseInt(required(properties, key));
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("missing key " + key);
        }
        return value.trim();
    }
}
