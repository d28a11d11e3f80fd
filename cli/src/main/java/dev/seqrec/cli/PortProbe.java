package dev.seqrec.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Refuses a port that another process listens on, up front: commands that bind it only after minutes of work would
 * otherwise end there with "Address already in use".
 */
final class PortProbe {
    private PortProbe() {
    }

    /**
     * @param address where the command will listen
     * @param option  the option that chooses the port, named in the error
     */
    static void requireFree(InetAddress address, int port, String option) {
        try {
            bind(address, port);
        } catch (BindException e) {
            throw new IllegalStateException("port " + port + " on " + address.getHostAddress()
                    + " is in use; choose another with " + option);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port + " on " + address.getHostAddress() + " ("
                    + e.getMessage() + "); choose another with " + option);
        }
    }

    /** Binds {@code address:port} (0: any free port) and lets go at once; throws what a server's bind would. */
    static void bind(InetAddress address, int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as servers bind: a closed connection lingering on the port is no obstacle
            probe.bind(new InetSocketAddress(address, port), 1);
        }
    }
}
