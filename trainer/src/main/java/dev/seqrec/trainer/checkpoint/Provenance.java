package dev.seqrec.trainer.checkpoint;

import java.util.Map;

/**
 * Where a model came from.
 *
 * @param source        how it was made: {@code train} or {@code import}
 * @param dataFile      the interaction file it was trained on (or that supplied the item mapping)
 * @param dataSha256    that file's SHA-256
 * @param options       the training options (or import options), by name
 * @param epoch         epochs trained (0 for an import)
 * @param metrics       validation/test metrics known when it was saved, e.g. "valid_mrr@10"
 * @param seqrecVersion seqrec's version
 * @param nd4jVersion   ND4J's version
 * @param created       ISO-8601 instant
 */
public record Provenance(String source, String dataFile, String dataSha256, Map<String, Object> options, int epoch,
                         Map<String, Double> metrics, String seqrecVersion, String nd4jVersion, String created) {
    public Provenance {
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }
}
