package dev.sgw.core.store.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Wraps the real HTTP client of an {@link S3ObjectStore} to inject faults between sgw and the store: bytes
 * flipped in a request body after the SDK has signed and checksummed it (corruption on the wire), headers
 * added to responses, and an action run just before a request goes out. It also counts the response body
 * bytes taken off the connection.
 */
final class FaultInjectingHttpClient implements SdkHttpClient {

    /** The byte of a request body (as sent, after any aws-chunked framing) that corruption flips. */
    static final int CORRUPTED_OFFSET = 5000;

    private final SdkHttpClient delegate;
    volatile Predicate<SdkHttpRequest> corruptBodyOf = request -> false;
    volatile Predicate<SdkHttpRequest> addHeadersTo = request -> false;
    volatile Map<String, String> responseHeaders = Map.of();
    volatile Consumer<SdkHttpRequest> beforeSend = request -> {};
    /** Bytes of response bodies taken off the connection, read by the SDK or drained on close. */
    final LongAdder responseBodyBytes = new LongAdder();

    FaultInjectingHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        SdkHttpRequest http = request.httpRequest();
        HttpExecuteRequest sent = request;
        if (corruptBodyOf.test(http) && request.contentStreamProvider().isPresent()) {
            ContentStreamProvider original = request.contentStreamProvider().get();
            HttpExecuteRequest.Builder b = HttpExecuteRequest.builder()
                    .request(http)
                    .contentStreamProvider(() -> new ByteFlipper(original.newStream(), CORRUPTED_OFFSET));
            request.metricCollector().ifPresent(b::metricCollector);
            sent = b.build();
        }
        beforeSend.accept(http);
        ExecutableHttpRequest executable = delegate.prepareRequest(sent);
        boolean addHeaders = addHeadersTo.test(http);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                HttpExecuteResponse response = executable.call();
                SdkHttpResponse.Builder changed = response.httpResponse().toBuilder();
                if (addHeaders) {
                    responseHeaders.forEach(changed::putHeader);
                }
                AbortableInputStream body = response.responseBody()
                        .map(in -> AbortableInputStream.create(new CountingStream(in), in))
                        .orElse(null);
                return HttpExecuteResponse.builder()
                        .response(changed.build())
                        .responseBody(body)
                        .build();
            }

            @Override
            public void abort() {
                executable.abort();
            }
        };
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Counts what is read through it into {@link #responseBodyBytes}. */
    private final class CountingStream extends FilterInputStream {
        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                responseBodyBytes.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = in.read(buffer, off, len);
            if (n > 0) {
                responseBodyBytes.add(n);
            }
            return n;
        }
    }

    /** Passes a stream through with the byte at {@code offset} inverted. */
    private static final class ByteFlipper extends FilterInputStream {
        private final long offset;
        private long position;

        ByteFlipper(InputStream in, long offset) {
            super(in);
            this.offset = offset;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && position++ == offset) {
                b = ~b & 0xff;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = in.read(buffer, off, len);
            if (n > 0 && offset >= position && offset < position + n) {
                buffer[off + (int) (offset - position)] ^= (byte) 0xff;
            }
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("not skippable");
        }
    }
}
