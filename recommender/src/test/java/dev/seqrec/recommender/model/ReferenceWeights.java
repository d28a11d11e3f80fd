package dev.seqrec.recommender.model;

import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderWeights;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The reference MCLRec Beauty encoder from ../shared, converted from PyTorch's [out, in] to seqrec's [in, out]. */
public final class ReferenceWeights {
    public static final int BEAUTY_ITEMS = 12_101;

    private ReferenceWeights() {
    }

    public static Path shared() {
        return Path.of(System.getProperty("seqrec.shared", "../../shared"));
    }

    public static Path directory() {
        return shared().resolve("data/mclrec-beauty-checkpoint");
    }

    public static EncoderConfig config() {
        return EncoderConfig.defaults(BEAUTY_ITEMS);
    }

    public static EncoderWeights load() {
        Path dir = directory();
        INDArray items = npy(dir, "item_embedding.weight").get(NDArrayIndex.interval(0, BEAUTY_ITEMS + 1),
                NDArrayIndex.all()).dup();
        List<EncoderWeights.Block> blocks = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) {
            String p = "trm_encoder.layer." + layer + ".";
            String att = p + "multi_head_attention.";
            String ff = p + "feed_forward.";
            blocks.add(new EncoderWeights.Block(
                    linear(dir, att + "query"), npy(dir, att + "query.bias"),
                    linear(dir, att + "key"), npy(dir, att + "key.bias"),
                    linear(dir, att + "value"), npy(dir, att + "value.bias"),
                    linear(dir, att + "dense"), npy(dir, att + "dense.bias"),
                    npy(dir, att + "LayerNorm.weight"), npy(dir, att + "LayerNorm.bias"),
                    linear(dir, ff + "dense_1"), npy(dir, ff + "dense_1.bias"),
                    linear(dir, ff + "dense_2"), npy(dir, ff + "dense_2.bias"),
                    npy(dir, ff + "LayerNorm.weight"), npy(dir, ff + "LayerNorm.bias")));
        }
        return new EncoderWeights(items, npy(dir, "position_embedding.weight"), npy(dir, "LayerNorm.weight"),
                npy(dir, "LayerNorm.bias"), blocks);
    }

    private static INDArray linear(Path dir, String name) {
        return npy(dir, name + ".weight").transpose().dup('c');
    }

    private static INDArray npy(Path dir, String name) {
        return Nd4j.createFromNpyFile(new File(dir.resolve(name + ".npy").toString()));
    }
}
