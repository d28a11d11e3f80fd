package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Two views of B samples, a and b: [B, d] each -> scalar loss. Row i of a and row i of b are positives. */
public interface PairLoss {
    SDVariable build(SameDiff sd, String name, SDVariable a, SDVariable b);
}
