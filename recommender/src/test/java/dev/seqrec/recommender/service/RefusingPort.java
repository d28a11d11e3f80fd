package dev.seqrec.recommender.service;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback address where no broker can be: its port is bound by a socket that does not listen, so connections to
 * it are refused, and no other process can listen there while it is open.
 */
final class RefusingPort implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private final Socket holder = new Socket();

    RefusingPort() throws IOException {
        holder.bind(new InetSocketAddress(HOST, 0));
    }

    String address() {
        return HOST + ":" + holder.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        holder.close();
    }
}
