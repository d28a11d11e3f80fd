package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** n embeddings [n, d] with integer labels [n] -> scalar loss (SupCon). */
public interface LabelledLoss {
    SDVariable build(SameDiff sd, String name, SDVariable x, SDVariable labels);
}
