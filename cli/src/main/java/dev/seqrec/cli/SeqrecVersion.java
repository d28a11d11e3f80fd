package dev.seqrec.cli;

import picocli.CommandLine;

/** Version from the jar manifest, or "development" when run from classes. */
final class SeqrecVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = SeqrecCli.class.getPackage().getImplementationVersion();
        return new String[] {"seqrec " + (version == null ? "development" : version)};
    }
}
