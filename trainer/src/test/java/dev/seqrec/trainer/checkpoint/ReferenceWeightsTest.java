package dev.seqrec.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceWeightsTest {
    private static final Path WEIGHTS = Path.of(System.getProperty("seqrec.shared", "../../shared"))
            .resolve("data/mclrec-beauty-checkpoint");

    @TempDir
    Path tmp;

    private Path copy() throws IOException {
        Path dir = tmp.resolve("weights");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(WEIGHTS)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void anItemCountThatDoesNotFitTheTableNamesTheTensor() throws Exception {
        IOException e = assertThrows(IOException.class, () -> ReferenceWeights.read(WEIGHTS, 500, 2));
        assertTrue(e.getMessage().contains("item_embedding.weight"), e.getMessage());
    }

    @Test
    void aManifestShapeThatDisagreesWithTheFileNamesTheTensor() throws Exception {
        Path dir = copy();
        Path manifest = dir.resolve(ReferenceWeights.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"shape\": \\[\\s*50,", "\"shape\": [51,"));
        IOException e = assertThrows(IOException.class, () -> ReferenceWeights.read(dir, 12101, 2));
        assertTrue(e.getMessage().contains("position_embedding.weight"), e.getMessage());
    }

    @Test
    void anUnknownTensorNameIsRejectedByName() throws Exception {
        Path dir = copy();
        Path manifest = dir.resolve(ReferenceWeights.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace("\"name\": \"LayerNorm.bias\"", "\"name\": \"head.bias\""));
        IOException e = assertThrows(IOException.class, () -> ReferenceWeights.read(dir, 12101, 2));
        assertTrue(e.getMessage().contains("head.bias"), e.getMessage());
    }

    @Test
    void aMissingTensorIsRejectedByName() throws Exception {
        Path dir = copy();
        Files.delete(dir.resolve("trm_encoder.layer.1.feed_forward.dense_2.bias.npy"));
        IOException e = assertThrows(IOException.class, () -> ReferenceWeights.read(dir, 12101, 2));
        assertTrue(e.getMessage().contains("trm_encoder.layer.1.feed_forward.dense_2.bias"), e.getMessage());
    }

    @Test
    void aHeadCountThatDoesNotDivideTheHiddenSizeIsAnIoErrorNamingBoth() {
        // was an IllegalArgumentException from EncoderConfig, outside the method's IOException contract
        IOException e = assertThrows(IOException.class, () -> ReferenceWeights.read(WEIGHTS, 12101, 3));
        assertTrue(e.getMessage().endsWith("3 attention heads do not divide the exported model's hidden size 64"),
                e.getMessage());
        IOException none = assertThrows(IOException.class, () -> ReferenceWeights.read(WEIGHTS, 12101, 0));
        assertTrue(none.getMessage().contains("0 attention heads"), none.getMessage());
    }

    @Test
    void theManifestDeclaresTheHiddenSize() throws Exception {
        assertEquals(OptionalLong.of(64), ReferenceWeights.declaredHiddenSize(WEIGHTS));
        assertEquals(OptionalLong.empty(), ReferenceWeights.declaredHiddenSize(tmp));
    }
}
