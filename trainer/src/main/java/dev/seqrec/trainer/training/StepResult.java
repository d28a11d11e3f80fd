package dev.seqrec.trainer.training;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one forward and backward pass gives.
 *
 * @param losses    loss terms by name ("total", "rec", "cl1", "cl2", "reg"), for progress and curves
 * @param gradients gradient of the total loss by parameter name
 */
public record StepResult(Map<String, Double> losses, Map<String, INDArray> gradients) {
}
