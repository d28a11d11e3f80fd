package dev.seqrec.recommender.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * A closed-loop HTTP/1.1 load generator on loopback: each connection is a keep-alive socket on its own thread that
 * sends a GET, reads the whole answer and sends the next, so the figures include the client's own cost on the
 * shared cores (as wrk's would). Paths are drawn at random from a list.
 */
final class HttpLoadGenerator {
    private static final int READ_BUFFER = 1 << 16;

    /** What one run measured: latencies of successful requests in nanoseconds, sorted. */
    record Result(long requests, long errors, double seconds, long[] sortedLatencyNanos) {
        double perSecond() {
            return requests / seconds;
        }

        double percentileMillis(double p) {
            if (sortedLatencyNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sortedLatencyNanos.length - 1, Math.ceil(p * sortedLatencyNanos.length) - 1);
            return sortedLatencyNanos[Math.max(0, index)] / 1e6;
        }
    }

    private final int port;
    private final int connections;

    HttpLoadGenerator(int port, int connections) {
        this.port = port;
        this.connections = connections;
    }

    /**
     * Runs for {@code seconds}, reporting each finished request to {@code progress} (any thread).
     */
    Result run(List<String> paths, double seconds, long seed, LongConsumer progress) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Worker[] workers = new Worker[connections];
        Thread[] threads = new Thread[connections];
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            workers[c] = new Worker(paths, deadline, new SplittableRandom(seed + c), progress);
            threads[c] = new Thread(workers[c], "load-" + c);
            threads[c].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long requests = 0;
        long errors = 0;
        int total = 0;
        for (Worker worker : workers) {
            if (worker.failure != null) {
                throw new IllegalStateException("load generator connection failed: " + worker.failure.getMessage(),
                        worker.failure);
            }
            requests += worker.count;
            errors += worker.errors;
            total += worker.count;
        }
        long[] latencies = new long[total];
        int offset = 0;
        for (Worker worker : workers) {
            System.arraycopy(worker.latencies, 0, latencies, offset, worker.count);
            offset += worker.count;
        }
        Arrays.sort(latencies);
        return new Result(requests, errors, elapsed, latencies);
    }

    private final class Worker implements Runnable {
        private final List<byte[]> requests;
        private final long deadline;
        private final SplittableRandom random;
        private final LongConsumer progress;
        private long[] latencies = new long[1 << 14];
        private int count;
        private long errors;
        private Exception failure;

        Worker(List<String> paths, long deadline, SplittableRandom random, LongConsumer progress) {
            this.requests = paths.stream().map(path -> ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII)).toList();
            this.deadline = deadline;
            this.random = random;
            this.progress = progress;
        }

        @Override
        public void run() {
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port));
                OutputStream out = new BufferedOutputStream(socket.getOutputStream());
                InputStream in = new BufferedInputStream(socket.getInputStream(), READ_BUFFER);
                while (System.nanoTime() < deadline) {
                    byte[] request = requests.get(random.nextInt(requests.size()));
                    long sent = System.nanoTime();
                    out.write(request);
                    out.flush();
                    int status = readResponse(in);
                    long latency = System.nanoTime() - sent;
                    if (status == 200) {
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = latency;
                    } else {
                        errors++;
                    }
                    progress.accept(1);
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
    }

    /** Reads one response (Content-Length or chunked body) and returns its status code. */
    static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new IOException("connection closed by the server");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring("content-length:".length()).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(readLine(in).trim(), 16); size > 0;
                 size = Long.parseLong(readLine(in).trim(), 16)) {
                skip(in, size);
                readLine(in);
            }
            readLine(in);
        } else if (length > 0) {
            skip(in, length);
        }
        return status;
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        return line.length() == 0 ? null : line.toString();
    }
}
