package dev.seqrec.recommender.model;

import dev.seqrec.eval.data.IdMapping;
import dev.seqrec.trainer.checkpoint.ReferenceWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The reference MCLRec Beauty encoder from ../shared as a serving model; Beauty's item ids are "1".."12101". */
public final class ReferenceModel {
    public static final int BEAUTY_ITEMS = 12_101;
    private static final int HEADS = 2;

    private ReferenceModel() {
    }

    public static Path shared() {
        return Path.of(System.getProperty("seqrec.shared", "../../shared"));
    }

    public static ReferenceWeights.Imported weights() throws IOException {
        return ReferenceWeights.read(shared().resolve("data/mclrec-beauty-checkpoint"), BEAUTY_ITEMS, HEADS);
    }

    public static IdMapping items() {
        IdMapping items = new IdMapping();
        for (int i = 1; i <= BEAUTY_ITEMS; i++) {
            items.getOrAdd(Integer.toString(i));
        }
        return items;
    }

    public static ServingModel load() throws IOException {
        ReferenceWeights.Imported imported = weights();
        return new ServingModel(new ModelCard("mclrec", "reference", "beauty.txt", BEAUTY_ITEMS, Map.of(), List.of()),
                imported.config(), imported.weights(), items(), new long[BEAUTY_ITEMS]);
    }
}
