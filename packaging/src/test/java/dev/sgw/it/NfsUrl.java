package dev.sgw.it;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An NFS export as libnfs's tools and fio's nfs engine name it, {@code nfs://HOST/EXPORT?version=3&nfsport=PORT&mountport=PORT}
 * (NFSv3: libnfs 4.0 writes only over v3; both ports given, so that no portmapper is asked), and the external
 * server an integration test may be pointed at: {@code -Dsgw.it.nfs.url=URL} or {@code SGW_IT_NFS_URL=URL}
 * (e.g. the reference server, {@code scripts/test-tools/ganesha.sh}). The host must be a loopback address.
 *
 * @param export the path a client mounts, the same for MOUNT v3 and NFSv4 (sgw's demo: {@code /demo})
 */
public record NfsUrl(String host, String export, int nfsPort, int mountPort) {

    private static final Pattern FORM = Pattern.compile("nfs://([^/?]+)(/[^?]*)\\?(.+)");

    /** The demo share of {@code sgw demo}, MOUNT served on the NFS port ({@code demo.env}'s {@code NFS_PORT}). */
    public static NfsUrl demo(int port) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "no NFS port: " + port + " (NFS_PORT of a demo that serves no NFS is 0)");
        }
        return new NfsUrl("127.0.0.1", "/demo", port, port);
    }

    public static NfsUrl parse(String url) {
        Matcher m = FORM.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not nfs://HOST/EXPORT?version=3&nfsport=PORT&mountport=PORT: " + url);
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : m.group(3).split("&")) {
            int equals = pair.indexOf('=');
            query.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
        }
        if (!"3".equals(query.get("version")) || !query.containsKey("nfsport") || !query.containsKey("mountport")) {
            throw new IllegalArgumentException("the tests need version=3, nfsport and mountport: " + url);
        }
        String export = m.group(2).length() > 1 && m.group(2).endsWith("/")
                ? m.group(2).substring(0, m.group(2).length() - 1)
                : m.group(2);
        return new NfsUrl(
                m.group(1), export, Integer.parseInt(query.get("nfsport")), Integer.parseInt(query.get("mountport")));
    }

    /** The server given by {@code sgw.it.nfs.url} or {@code SGW_IT_NFS_URL}, if any. */
    public static Optional<NfsUrl> external() {
        String url = System.getProperty("sgw.it.nfs.url", System.getenv("SGW_IT_NFS_URL"));
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        NfsUrl parsed = parse(url.strip());
        if (!parsed.host().equals("127.0.0.1") && !parsed.host().equals("localhost")) {
            throw new IllegalArgumentException("the tests reach only loopback servers, not " + parsed.host());
        }
        return Optional.of(parsed);
    }

    /** The URL of {@code name}, a file in the export's root directory (libnfs tools MOUNT the directory of a URL). */
    public String file(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("?")) {
            throw new IllegalArgumentException("not a file name: " + name);
        }
        return "nfs://" + host + export + "/" + name + query();
    }

    /** The variables {@code vm/guest/nfs.sh} mounts this export with. */
    public Map<String, String> guestEnv() {
        return Map.of(
                "NFS_EXPORT", export, "NFS_PORT", Integer.toString(nfsPort), "MNT_PORT", Integer.toString(mountPort));
    }

    /** The host ports the test guest must reach. */
    public int[] ports() {
        return nfsPort == mountPort ? new int[] {nfsPort} : new int[] {nfsPort, mountPort};
    }

    private String query() {
        return "?version=3&nfsport=" + nfsPort + "&mountport=" + mountPort;
    }

    @Override
    public String toString() {
        return "nfs://" + host + export + query();
    }
}
