package dev.seqrec.recommender.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EagerSasrecEncoderTest {

    @Test
    void exactGeluMatchesTheErrorFunctionAtKnownPoints() {
        assertEquals(0.0, EagerSasrecEncoder.gelu(0f), 0.0);
        // erf(1/sqrt 2) = 0.682689492...: gelu(1) = 0.5 * 1.682689492
        assertEquals(0.841344746, EagerSasrecEncoder.gelu(1f), 1e-7);
        assertEquals(-0.158655254, EagerSasrecEncoder.gelu(-1f), 1e-7);
    }

    /** mclrec-spec.md section 10.3: full ranking, history items not removed, last item of each user is the target. */
    @Test
    void referenceBeautyWeightsReproduceThePublishedTestMetrics() throws IOException {
        List<String> lines = Files.readAllLines(ReferenceModel.shared().resolve("data/amazon-beauty/beauty.txt"));
        ServingModel model = ReferenceModel.load();
        int batch = 64;
        float[][] vectors = new float[batch][];
        float[][] scores = new float[batch][ReferenceModel.BEAUTY_ITEMS + 1];
        int[] targets = new int[batch];
        double hr10 = 0;
        double ndcg10 = 0;
        double hr50 = 0;
        double mrr10 = 0;
        int filled = 0;
        for (int u = 0; u < lines.size(); u++) {
            int[] sequence = Arrays.stream(lines.get(u).split(" ")).skip(1).mapToInt(Integer::parseInt).toArray();
            vectors[filled] = model.encode(Arrays.copyOf(sequence, sequence.length - 1));
            targets[filled++] = sequence[sequence.length - 1];
            if (filled == batch || u == lines.size() - 1) {
                model.scoreAll(vectors, filled, scores);
                for (int b = 0; b < filled; b++) {
                    float target = scores[b][targets[b]];
                    int rank = 1;
                    for (int item = 1; item < scores[b].length; item++) {
                        if (scores[b][item] > target) {
                            rank++;
                        }
                    }
                    hr10 += rank <= 10 ? 1 : 0;
                    hr50 += rank <= 50 ? 1 : 0;
                    ndcg10 += rank <= 10 ? 1 / (Math.log(rank + 1) / Math.log(2)) : 0;
                    mrr10 += rank <= 10 ? 1.0 / rank : 0;
                }
                filled = 0;
            }
        }
        int users = lines.size();
        assertEquals(0.0871, hr10 / users, 1e-4);
        assertEquals(0.0446, ndcg10 / users, 1e-4);
        assertEquals(0.0316, mrr10 / users, 1e-4);
        assertEquals(0.1852, hr50 / users, 1.5e-4);
    }
}
