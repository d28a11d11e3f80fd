package dev.seqrec.trainer.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqrec.ndarray.NpyFormat;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads the reference implementation's exported encoder (a directory of {@code .npy} files with a
 * {@code manifest.json}, PyTorch names and [out, in] linear weights) into seqrec's {@link EncoderWeights}.
 * The reference's unused mask-token row N+1 of the item table is dropped.
 */
public final class ReferenceWeights {
    public static final String MANIFEST = "manifest.json";
    private static final Pattern BLOCK = Pattern.compile("trm_encoder\\.layer\\.(\\d+)\\.(.+)");
    private static final Map<String, String> BLOCK_NAMES = Map.ofEntries(
            Map.entry("multi_head_attention.query.weight", "wq"),
            Map.entry("multi_head_attention.query.bias", "bq"),
            Map.entry("multi_head_attention.key.weight", "wk"),
            Map.entry("multi_head_attention.key.bias", "bk"),
            Map.entry("multi_head_attention.value.weight", "wv"),
            Map.entry("multi_head_attention.value.bias", "bv"),
            Map.entry("multi_head_attention.dense.weight", "wo"),
            Map.entry("multi_head_attention.dense.bias", "bo"),
            Map.entry("multi_head_attention.LayerNorm.weight", "attention_norm.gain"),
            Map.entry("multi_head_attention.LayerNorm.bias", "attention_norm.bias"),
            Map.entry("feed_forward.dense_1.weight", "w1"),
            Map.entry("feed_forward.dense_1.bias", "b1"),
            Map.entry("feed_forward.dense_2.weight", "w2"),
            Map.entry("feed_forward.dense_2.bias", "b2"),
            Map.entry("feed_forward.LayerNorm.weight", "feed_forward_norm.gain"),
            Map.entry("feed_forward.LayerNorm.bias", "feed_forward_norm.bias"));

    /**
     * The hidden size d that the manifest in {@code dir} declares (the second dimension of
     * {@code position_embedding.weight}), read without the tensors: enough to check a head count up front.
     *
     * @return empty when the manifest is missing, unreadable or declares no such tensor ({@link #read} says why)
     */
    public static OptionalLong declaredHiddenSize(Path dir) {
        try {
            JsonNode entries = new ObjectMapper().readTree(dir.resolve(MANIFEST).toFile()).path("tensors");
            for (JsonNode entry : entries) {
                JsonNode shape = entry.path("shape");
                if (entry.path("name").asText().equals("position_embedding.weight") && shape.size() == 2
                        && shape.get(1).canConvertToLong()) {
                    return OptionalLong.of(shape.get(1).asLong());
                }
            }
        } catch (IOException | RuntimeException e) {
            // read() reports it
        }
        return OptionalLong.empty();
    }

    /** The imported encoder and the configuration its shapes imply. */
    public record Imported(EncoderConfig config, EncoderWeights weights) {
    }

    private ReferenceWeights() {
    }

    /**
     * @param dir      the exported directory
     * @param numItems N, from the data file the model was trained on; the item table must have N + 2 rows
     * @param heads    attention heads (not recoverable from the shapes)
     * @throws IOException naming the tensor when a file, name or shape does not fit
     */
    public static Imported read(Path dir, int numItems, int heads) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException("no " + MANIFEST + " in " + dir);
        }
        JsonNode manifest = new ObjectMapper().readTree(manifestFile.toFile());
        JsonNode entries = manifest.get("tensors");
        if (entries == null || !entries.isArray()) {
            throw new IOException(manifestFile + ": no \"tensors\" list");
        }
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        int layers = 0;
        for (JsonNode entry : entries) {
            String name = entry.path("name").asText();
            Path file = dir.resolve(entry.path("file").asText(name + ".npy"));
            if (!Files.isRegularFile(file)) {
                throw new IOException("tensor '" + name + "': file " + file + " is missing");
            }
            INDArray array = NpyFormat.read(Files.readAllBytes(file), "tensor '" + name + "': " + file)
                    .castTo(DataType.FLOAT);
            long[] declared = new long[entry.path("shape").size()];
            for (int i = 0; i < declared.length; i++) {
                declared[i] = entry.path("shape").get(i).asLong();
            }
            if (!Arrays.equals(declared, array.shape())) {
                throw new IOException("tensor '" + name + "': file holds shape " + Arrays.toString(array.shape())
                        + " but the manifest says " + Arrays.toString(declared));
            }
            String ours = seqrecName(name);
            if (ours == null) {
                throw new IOException("tensor '" + name + "' is not part of a SASRec encoder");
            }
            Matcher m = BLOCK.matcher(name);
            if (m.matches()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
            if (name.endsWith(".weight") && array.rank() == 2 && ours.startsWith("block")) {
                array = array.transpose().dup('c'); // PyTorch [out, in] -> ours [in, out]
            }
            if (ours.equals(EncoderWeights.ITEM_EMBEDDING)) {
                if (array.rows() != numItems + 2L) {
                    throw new IOException("tensor '" + name + "' has " + array.rows() + " rows; the data has "
                            + numItems + " items, so " + (numItems + 2) + " rows (padding, items, mask token) were expected");
                }
                array = array.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, numItems + 1),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c');
            }
            tensors.put(ours, array);
        }
        INDArray positions = tensors.get(EncoderWeights.POSITION_EMBEDDING);
        INDArray inner = tensors.get(EncoderWeights.blockTensor(0, "b1"));
        if (positions == null || inner == null) {
            throw new IOException("missing tensor '" + (positions == null ? "position_embedding.weight"
                    : "trm_encoder.layer.0.feed_forward.dense_1.bias") + "'");
        }
        if (heads < 1 || positions.size(1) % heads != 0) {
            throw new IOException(dir + ": " + heads + " attention heads do not divide the exported model's hidden size "
                    + positions.size(1));
        }
        try {
            EncoderConfig config = new EncoderConfig(numItems, (int) positions.size(1), layers, heads,
                    (int) inner.length(), (int) positions.size(0), EncoderConfig.DEFAULT_DROPOUT,
                    EncoderConfig.DEFAULT_DROPOUT, EncoderConfig.DEFAULT_LAYER_NORM_EPS, EncoderConfig.DEFAULT_INIT_STD);
            return new Imported(config, EncoderWeights.fromTensors(config, tensors));
        } catch (IllegalArgumentException e) {
            throw new IOException(dir + ": " + e.getMessage(), e);
        }
    }

    private static String seqrecName(String reference) {
        switch (reference) {
            case "item_embedding.weight":
                return EncoderWeights.ITEM_EMBEDDING;
            case "position_embedding.weight":
                return EncoderWeights.POSITION_EMBEDDING;
            case "LayerNorm.weight":
                return EncoderWeights.INPUT_NORM_GAIN;
            case "LayerNorm.bias":
                return EncoderWeights.INPUT_NORM_BIAS;
            default:
                Matcher m = BLOCK.matcher(reference);
                if (!m.matches() || !BLOCK_NAMES.containsKey(m.group(2))) {
                    return null;
                }
                return EncoderWeights.blockTensor(Integer.parseInt(m.group(1)), BLOCK_NAMES.get(m.group(2)));
        }
    }
}
