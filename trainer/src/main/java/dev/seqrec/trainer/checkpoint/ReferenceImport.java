package dev.seqrec.trainer.checkpoint;

import dev.seqrec.eval.data.DatasetReader;
import dev.seqrec.eval.data.SequenceDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns the reference implementation's exported encoder into a seqrec {@link Checkpoint} (issue 8). */
public final class ReferenceImport {
    private ReferenceImport() {
    }

    /**
     * @param from     directory with manifest.json and .npy files
     * @param dataFile the interaction file the model was trained on: supplies the item mapping and counts
     * @param heads    attention heads of the exported model
     */
    public static Checkpoint toCheckpoint(Path from, Path dataFile, int heads) throws IOException {
        SequenceDataset data = DatasetReader.read(dataFile);
        ReferenceWeights.Imported imported = ReferenceWeights.read(from, data.numItems(), heads);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("from", from.toAbsolutePath().normalize().toString());
        options.put("heads", heads);
        Provenance provenance = new Provenance("import", dataFile.toAbsolutePath().normalize().toString(),
                Checkpoint.sha256(dataFile), options, 0, Map.of(), Versions.seqrec(), Versions.nd4j(),
                Instant.now().toString());
        return Checkpoint.of(ModelKind.MCLREC, imported.config(), imported.weights(), data.items(),
                ItemCounts.training(data), provenance);
    }
}
