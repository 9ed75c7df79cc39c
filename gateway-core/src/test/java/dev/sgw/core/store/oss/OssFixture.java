package dev.sgw.core.store.oss;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.store.S3ProxyFixture;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OSS server for tests: a small front that speaks the OSS protocol to Alibaba's real OSS SDK on a
 * loopback port, and keeps the objects in S3Proxy behind it ({@link S3ProxyFixture}).
 *
 * <p>No third-party OSS server works with the OSS SDK (S3 servers answer with namespaced XML the SDK
 * cannot read, drop {@code x-oss-meta-*}, and know neither {@code x-oss-hash-crc64ecma} nor
 * {@code x-oss-forbid-overwrite}); this front translates:
 * <ul>
 *   <li>it accepts path-style requests ({@code /bucket/key}; the SDK sends them with
 *       {@code ClientConfiguration.setSLDEnabled(true)}, which an IP-address endpoint needs anyway);</li>
 *   <li>it checks OSS V1 signatures ({@link OssV1Signature}; the SDK 3.18 signs with V1 unless told
 *       otherwise) and, when {@link #requireSecurityToken} is set, the STS token; a failure is 403
 *       {@code SignatureDoesNotMatch}, {@code InvalidAccessKeyId} or {@code InvalidSecurityToken};</li>
 *   <li>it forwards each operation to S3Proxy ({@link OssOperations}) and answers in OSS's XML and headers,
 *       with the CRC64-ECMA OSS reports, which switches can corrupt or leave out for fault tests.</li>
 * </ul>
 *
 * <p>It runs on Jetty (on the test classpath through S3Proxy) rather than the JDK's HttpServer, which
 * capitalizes response header names: the OSS SDK finds user metadata only under a lower-case
 * {@code x-oss-meta-} prefix, as OSS sends it.
 *
 * <p>Only what {@link OssObjectStore} uses is served: object put/get/head/delete, DeleteObjects, CopyObject,
 * ListObjectsV2, multipart upload (initiate, part, part copy, complete, abort, list).
 */
public final class OssFixture implements Closeable {

    /** What the fixture answers where OSS reports a CRC64-ECMA. */
    enum CrcAnswer {
        TRUE,
        CORRUPT,
        OMIT
    }

    private static final Logger LOG = LoggerFactory.getLogger(OssFixture.class);
    static final String BUCKET = "sgw-oss-fixture";
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    private final S3ProxyFixture s3;
    private final Server server;
    private final ServerConnector connector;
    private final OssOperations operations;
    private final String accessKeyId;
    private final String accessKeySecret;
    private volatile String requiredSecurityToken;
    private final List<String> securityTokensSeen = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejectedSignatures = new AtomicInteger();
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private volatile int injectedStatus;
    private volatile String injectedCode;

    private OssFixture(S3ProxyFixture s3) {
        this.s3 = s3;
        this.server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE); // keys may hold anything a file name holds
        http.setSendServerVersion(false);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback) {
                try {
                    OssFixture.this.handle(request, response);
                    callback.succeeded();
                } catch (Throwable e) {
                    callback.failed(e);
                }
                return true;
            }
        });
        this.accessKeyId = "LTAI" + randomHex(8);
        this.accessKeySecret = randomHex(15);
        s3.createBucket(BUCKET);
        this.operations = new OssOperations(s3, BUCKET);
    }

    /** Starts S3Proxy over {@code dir} and the OSS front on a free port of 127.0.0.1. */
    public static OssFixture start(Path dir) throws Exception {
        OssFixture fixture = new OssFixture(S3ProxyFixture.start(dir));
        fixture.server.start();
        return fixture;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    public String bucket() {
        return BUCKET;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String accessKeySecret() {
        return accessKeySecret;
    }

    /** A backend configuration for this fixture: path-style, V1 signing, short timeouts. */
    public OssStoreConfig config() {
        return OssStoreConfig.of(endpoint(), BUCKET, accessKeyId, accessKeySecret)
                .withPathStyle(true)
                .withConnections(32, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2));
    }

    /** Makes every CRC64 the fixture reports wrong (the true value with its lowest bit flipped). */
    public void corruptCrc64(boolean corrupt) {
        operations.crcAnswer(corrupt ? CrcAnswer.CORRUPT : CrcAnswer.TRUE);
    }

    /** Leaves {@code x-oss-hash-crc64ecma} out of every answer. */
    public void omitCrc64(boolean omit) {
        operations.crcAnswer(omit ? CrcAnswer.OMIT : CrcAnswer.TRUE);
    }

    /** Whether UploadPartCopy answers carry the part's CRC64 (by default they do not). */
    public void crc64OnPartCopy(boolean report) {
        operations.crcOnPartCopy(report);
    }

    /** From now on, requests must carry this STS token in {@code x-oss-security-token} ({@code null}: none needed). */
    public void requireSecurityToken(String token) {
        this.requiredSecurityToken = token;
    }

    /** The {@code x-oss-security-token} values of all signed requests so far. */
    public List<String> securityTokensSeen() {
        return List.copyOf(securityTokensSeen);
    }

    /** How many requests were refused for a bad signature, key id or token. */
    public int rejectedSignatures() {
        return rejectedSignatures.get();
    }

    /**
     * Answers the next {@code count} requests with {@code status} and OSS error {@code code}; with a
     * {@code null} code, with the bare status and no error body.
     */
    public void failNext(int count, int status, String code) {
        this.injectedStatus = status;
        this.injectedCode = code;
        failuresToInject.set(count);
    }

    /** How many part copies the fixture served. */
    public int partCopies() {
        return operations.partCopies();
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller sees the flag; the server is left to the JVM exit
        } catch (Exception e) {
            throw new IOException("the OSS fixture's server did not stop", e);
        }
        operations.close();
        s3.close();
    }

    // ---- HTTP --------------------------------------------------------------------------------------

    /** One request as the operations see it. */
    record Request(
            String method,
            String bucket,
            String key,
            Map<String, String> query,
            Map<String, String> headers,
            byte[] body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean has(String parameter) {
            return query.containsKey(parameter);
        }
    }

    /** An answer: status, headers and a body (bytes, or a stream of known length). */
    static final class Answer {
        final int status;
        final Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = new byte[0];
        InputStream stream;
        long streamLength;

        Answer(int status) {
            this.status = status;
        }

        Answer header(String name, String value) {
            if (value != null) {
                headers.put(name, value);
            }
            return this;
        }

        Answer xml(byte[] xml) {
            headers.put("Content-Type", "application/xml");
            body = xml;
            return this;
        }
    }

    /** An OSS error answer thrown by an operation. */
    static final class OssError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final int status;
        final String code;

        OssError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private void handle(org.eclipse.jetty.server.Request http, Response response) throws IOException {
        String requestId = UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
        boolean head = "HEAD".equals(http.getMethod());
        Answer answer;
        try {
            Request request = parse(http);
            authenticate(request);
            int inject = failuresToInject.getAndUpdate(n -> n > 0 ? n - 1 : 0);
            if (inject > 0) {
                throw new OssError(injectedStatus, injectedCode, "injected failure");
            }
            answer = operations.serve(request);
        } catch (OssError e) {
            answer = new Answer(e.status);
            byte[] xml = OssXml.error(e.code, e.getMessage(), requestId);
            if (e.code == null) {
                answer.body = new byte[0]; // a bare status, as a proxy in between might answer
            } else if (head) {
                answer.header("x-oss-err", Base64.getEncoder().encodeToString(xml));
            } else {
                answer.xml(xml);
            }
        } catch (Exception e) {
            LOG.warn(
                    "OSS fixture: {} {} failed",
                    http.getMethod(),
                    http.getHttpURI().getPath(),
                    e);
            answer = new Answer(500).xml(OssXml.error("InternalError", String.valueOf(e), requestId));
        }
        send(response, answer, requestId, head);
    }

    /** Writes an answer; header names go out exactly as given (the OSS SDK matches x-oss-meta- in lower case). */
    private static void send(Response response, Answer answer, String requestId, boolean head) throws IOException {
        response.setStatus(answer.status);
        answer.headers.forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put("x-oss-request-id", requestId);
        response.getHeaders()
                .put("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC)));
        if (head) {
            if (!answer.headers.containsKey("Content-Length")) {
                response.getHeaders().put("Content-Length", "0");
            }
            return;
        }
        if (answer.stream != null) {
            response.getHeaders().put("Content-Length", Long.toString(answer.streamLength));
            try (InputStream in = answer.stream;
                    OutputStream out = Content.Sink.asOutputStream(response)) {
                in.transferTo(out);
            }
            return;
        }
        response.getHeaders().put("Content-Length", Integer.toString(answer.body.length));
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.write(answer.body);
        }
    }

    private static Request parse(org.eclipse.jetty.server.Request http) throws IOException {
        HttpURI uri = http.getHttpURI();
        String rawPath = uri.getPath();
        if (rawPath == null || rawPath.length() < 2) {
            throw new OssError(400, "InvalidBucketName", "path-style requests only: /bucket/key");
        }
        int slash = rawPath.indexOf('/', 1);
        String bucket = slash < 0 ? rawPath.substring(1) : rawPath.substring(1, slash);
        String key = slash < 0 ? "" : percentDecode(rawPath.substring(slash + 1));
        Map<String, String> query = new LinkedHashMap<>();
        String rawQuery = uri.getQuery();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    query.put(percentDecode(pair), null);
                } else {
                    query.put(percentDecode(pair.substring(0, eq)), percentDecode(pair.substring(eq + 1)));
                }
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField field : http.getHeaders()) {
            headers.putIfAbsent(field.getName().toLowerCase(Locale.ROOT), field.getValue());
        }
        byte[] body;
        try (InputStream in = org.eclipse.jetty.server.Request.asInputStream(http)) {
            body = in.readAllBytes();
        }
        return new Request(http.getMethod(), bucket, key, query, headers, body);
    }

    private void authenticate(Request request) {
        String authorization = request.header("Authorization");
        if (authorization == null || !authorization.startsWith("OSS ")) {
            rejectedSignatures.incrementAndGet();
            throw new OssError(403, "AccessDenied", "anonymous access is forbidden (V1 'OSS id:signature' only)");
        }
        String credential = authorization.substring(4).trim();
        int colon = credential.lastIndexOf(':');
        String keyId = colon < 0 ? credential : credential.substring(0, colon);
        String signature = colon < 0 ? "" : credential.substring(colon + 1);
        if (!keyId.equals(accessKeyId)) {
            rejectedSignatures.incrementAndGet();
            throw new OssError(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist.");
        }
        String stringToSign = OssV1Signature.stringToSign(
                request.method(), request.headers(), request.bucket(), request.key(), request.query());
        if (!OssV1Signature.matches(OssV1Signature.signature(accessKeySecret, stringToSign), signature)) {
            rejectedSignatures.incrementAndGet();
            throw new OssError(
                    403,
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided.");
        }
        String date = request.header("Date");
        if (date == null
                || Duration.between(
                                        ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME),
                                        ZonedDateTime.now())
                                .abs()
                                .compareTo(MAX_CLOCK_SKEW)
                        > 0) {
            throw new OssError(
                    403,
                    "RequestTimeTooSkewed",
                    "The difference between the request time and the " + "server's time is too large.");
        }
        String token = request.header("x-oss-security-token");
        if (token != null) {
            securityTokensSeen.add(token);
        }
        String required = requiredSecurityToken;
        if (required != null && !required.equals(token)) {
            rejectedSignatures.incrementAndGet();
            throw new OssError(403, "InvalidSecurityToken", "The security token you provided is invalid.");
        }
        if (!BUCKET.equals(request.bucket())) {
            throw new OssError(404, "NoSuchBucket", "The specified bucket does not exist.");
        }
    }

    /** Percent-decoding as in a URI (a '+' stays a '+'). */
    static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (c == '%' && i + 2 < text.length()) {
                bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
                i += 3;
            } else {
                byte[] encoded = Character.toString(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** For log lines: never the secret. */
    @Override
    public String toString() {
        return "OssFixture[" + endpoint() + "/" + BUCKET + ", key id " + accessKeyId + "]";
    }
}
