package dev.sgw.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * The SMB share the SMB integration tests run their clients against: the demo share of {@code sgw demo}, or,
 * when {@code SGW_SMB_TEST_SERVER} ({@code //127.0.0.1:PORT/SHARE}) and {@code SGW_SMB_TEST_CREDENTIALS}
 * ({@code USER%PASSWORD}) are set, another server, e.g. the Samba peer of {@code scripts/test-tools/smbd.sh},
 * to check the tests and their scripts against a reference.
 *
 * @param host the server's address, {@code 127.0.0.1}
 * @param port its SMB port
 * @param share the share's name
 * @param user the user the clients log on as
 * @param password the user's password
 */
record SmbTarget(String host, int port, String share, String user, String password) {

    private static final Pattern UNC = Pattern.compile("//([^/:]+):(\\d+)/(.+)");

    /** The server named by {@code SGW_SMB_TEST_SERVER} and {@code SGW_SMB_TEST_CREDENTIALS}, if set. */
    static Optional<SmbTarget> external() {
        String server = System.getenv("SGW_SMB_TEST_SERVER");
        String credentials = System.getenv("SGW_SMB_TEST_CREDENTIALS");
        if (server == null || server.isEmpty()) {
            return Optional.empty();
        }
        Matcher unc = UNC.matcher(server);
        if (!unc.matches() || credentials == null || !credentials.contains("%")) {
            throw new IllegalArgumentException("SGW_SMB_TEST_SERVER must be //HOST:PORT/SHARE and "
                    + "SGW_SMB_TEST_CREDENTIALS USER%PASSWORD, not " + server);
        }
        int split = credentials.indexOf('%');
        return Optional.of(new SmbTarget(
                unc.group(1),
                Integer.parseInt(unc.group(2)),
                unc.group(3),
                credentials.substring(0, split),
                credentials.substring(split + 1)));
    }

    /**
     * The demo's share; the test is skipped (also in CI: the gateway is built without an SMB server, not a tool
     * missing) when the gateway does not listen for SMB.
     */
    static SmbTarget demo(DemoGateway demo) {
        int port = demo.port("SMB_PORT");
        Assumptions.assumeTrue(port > 0 && listens(port), "the gateway has no SMB listener (SMB_PORT=" + port + ")");
        return new SmbTarget("127.0.0.1", port, "demo", demo.env("SMB_USER"), demo.env("SMB_PASSWORD"));
    }

    /** The same server and user, share {@code name}. */
    SmbTarget onShare(String name) {
        return new SmbTarget(host, port, name, user, password);
    }

    /** {@code //HOST:PORT/SHARE}, as {@code smb-conformance.sh} takes it. */
    String unc() {
        return "//" + host + ":" + port + "/" + share;
    }

    /** {@code USER%PASSWORD}, as smbclient's and smbtorture's {@code -U} take it. */
    String credentials() {
        return user + "%" + password;
    }

    /** The variables the guest script {@code vm/guest/smb.sh} reads to reach this share. */
    Map<String, String> guestEnv() {
        return Map.of(
                "SMB_PORT", Integer.toString(port), "SMB_SHARE", share, "SMB_USER", user, "SMB_PASSWORD", password);
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return unc() + " as " + user; // never the password
    }
}
