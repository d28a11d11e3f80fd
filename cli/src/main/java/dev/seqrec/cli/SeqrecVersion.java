package dev.seqrec.cli;

import dev.seqrec.trainer.checkpoint.Versions;
import picocli.CommandLine;

/** The version that checkpoints record: the jar's, with the build's commit when it knows one. */
final class SeqrecVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"seqrec " + Versions.seqrec()};
    }
}
