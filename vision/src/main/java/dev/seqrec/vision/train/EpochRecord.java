package dev.seqrec.vision.train;

import dev.seqrec.vision.probe.ProbeResult;

/**
 * Where training stood after an epoch (epoch 0: the freshly initialised encoder).
 *
 * @param meanLoss     mean training loss of the epoch (NaN for epoch 0)
 * @param encoder      probe accuracies of the encoder's representation
 * @param trainSeconds wall time of the epoch's training steps, probes excluded
 */
public record EpochRecord(int epoch, double meanLoss, ProbeResult encoder, double trainSeconds) {
}
