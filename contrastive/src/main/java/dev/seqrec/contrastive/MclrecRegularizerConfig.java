package dev.seqrec.contrastive;

/**
 * Settings of MCLRec's contrastive regulariser Rg.
 *
 * @param similarity  DOT in MCLRec
 * @param temperature tau, the configured contrastive temperature (1 in every MCLRec script)
 */
public record MclrecRegularizerConfig(Similarity similarity, double temperature) {
    public static MclrecRegularizerConfig defaults() {
        return new MclrecRegularizerConfig(Similarity.DOT, 1.0);
    }

    public MclrecRegularizerConfig withTemperature(double value) {
        return new MclrecRegularizerConfig(similarity, value);
    }
}
