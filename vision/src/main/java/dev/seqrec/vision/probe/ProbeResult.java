package dev.seqrec.vision.probe;

/** Test-set accuracies of the two probes on one set of features. */
public record ProbeResult(double linearAccuracy, double knnAccuracy) {
}
