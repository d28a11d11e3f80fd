package dev.seqrec.streaming;

/** The next offset to consume from one topic partition, stored beside the data it produced. */
public record PartitionOffset(String topic, int partition, long nextOffset) {
}
