package dev.sgw.smb.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.manage.NtHash;
import dev.sgw.smb.auth.SecurityExchange.Step;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Samba's own NTLMSSP and SPNEGO client code, driven through {@code ntlm_auth}'s squid helper protocol on
 * stdin/stdout (no server needed): "YR" starts, "TT token" hands it the server's token, and it answers with
 * its next token or its verdict. Samba checks the server's SPNEGO mechListMIC itself. {@code ntlm_auth}
 * comes with Debian's {@code winbind} package; without it the test is skipped (failed under
 * {@code SGW_REQUIRE_TEST_TOOLS=1}).
 */
class SambaNtlmAuthClientTest {
    private static final Path NTLM_AUTH = Path.of("/usr/bin/ntlm_auth");
    private static final String PASSWORD = "Gateway-Pa55";

    /** What smbclient asks of its GENSEC context for SMB signing; makes Samba send MIC and mechListMIC. */
    private static final String SMB_FEATURES = "NTLMSSP_FEATURE_SIGN NTLMSSP_FEATURE_SEAL NTLMSSP_FEATURE_SESSION_KEY";

    @BeforeAll
    static void needsNtlmAuth() {
        boolean present = Files.isExecutable(NTLM_AUTH);
        if (!present && "1".equals(System.getenv("SGW_REQUIRE_TEST_TOOLS"))) {
            fail("ntlm_auth is not installed (Debian package winbind)");
        }
        assumeTrue(present, "ntlm_auth is not installed (Debian package winbind)");
    }

    private static SecurityExchange server() {
        return new SecurityExchange(
                user -> user.equalsIgnoreCase("demo") ? Optional.of(NtHash.ofPassword(PASSWORD)) : Optional.empty(),
                "sgw-test");
    }

    @Test
    void sambaSpnegoClientLogsOnAndAcceptsTheServersMechListMic() throws Exception {
        try (NtlmAuth client = new NtlmAuth("gss-spnego-client", "demo", PASSWORD, SMB_FEATURES)) {
            SecurityExchange server = server();
            byte[] init = client.token(client.ask("YR"), "YR");
            byte[] challengeResp = ((Step.More) server.step(init)).token();
            byte[] auth = client.token(client.ask("TT " + b64(challengeResp)), "KK");
            assertThat(Spnego.parseResp(auth).mechListMic())
                    .as("Samba sends a mechListMIC")
                    .isNotNull();

            Step last = server.step(auth);

            assertThat(last).isInstanceOf(Step.Done.class);
            Step.Done done = (Step.Done) last;
            assertThat(done.identity().user()).isEqualTo("demo");
            assertThat(done.identity().anonymous()).isFalse();
            String verdict = client.ask("TT " + b64(done.token()));
            assertThat(verdict)
                    .as("Samba's verdict on the server's final token")
                    .startsWith("AF");
        }
    }

    @Test
    void sambaSpnegoClientStartsFromTheNegotiateResponsesNegTokenInit2() throws Exception {
        try (NtlmAuth client = new NtlmAuth("gss-spnego-client", "demo", PASSWORD, SMB_FEATURES)) {
            SecurityExchange server = server();
            byte[] init = client.token(client.ask("TT " + b64(SecurityExchange.negotiateToken())), "KK");
            assertThat(Spnego.parseInit(init).mechTypes()).containsExactly(Spnego.NTLMSSP_OID);
            byte[] challengeResp = ((Step.More) server.step(init)).token();
            Step last = server.step(client.token(client.ask("TT " + b64(challengeResp)), "KK"));

            assertThat(last).isInstanceOf(Step.Done.class);
            assertThat(client.ask("TT " + b64(((Step.Done) last).token()))).startsWith("AF");
        }
    }

    /** ntlm_auth with an empty user still proves a password: that is not MS-NLMP's anonymous form. */
    @Test
    void anEmptyUserWithAPasswordProofIsNoAnonymousLogon() throws Exception {
        try (NtlmAuth client = new NtlmAuth("gss-spnego-client", "", "", SMB_FEATURES)) {
            SecurityExchange server = server();
            byte[] challengeResp = ((Step.More) server.step(client.token(client.ask("YR"), "YR"))).token();
            Step last = server.step(client.token(client.ask("TT " + b64(challengeResp)), "KK"));

            assertThat(last).isInstanceOf(Step.Failed.class);
            assertThat(((Step.Failed) last).reason()).isEqualTo(SecurityExchange.Reason.UNKNOWN_USER);
        }
    }

    @Test
    void sambaSpnegoClientWithoutSigningLogsOnWithoutMechListMics() throws Exception {
        try (NtlmAuth client = new NtlmAuth("gss-spnego-client", "demo", PASSWORD, null)) {
            SecurityExchange server = server();
            byte[] challengeResp = ((Step.More) server.step(client.token(client.ask("YR"), "YR"))).token();
            byte[] auth = client.token(client.ask("TT " + b64(challengeResp)), "KK");
            assertThat(Spnego.parseResp(auth).mechListMic()).isNull();

            Step last = server.step(auth);

            assertThat(last).isInstanceOf(Step.Done.class);
            assertThat(client.ask("TT " + b64(((Step.Done) last).token()))).startsWith("AF");
        }
    }

    @Test
    void sambaSpnegoClientNoticesATamperedServerMechListMic() throws Exception {
        try (NtlmAuth client = new NtlmAuth("gss-spnego-client", "demo", PASSWORD, SMB_FEATURES)) {
            SecurityExchange server = server();
            byte[] challengeResp = ((Step.More) server.step(client.token(client.ask("YR"), "YR"))).token();
            Step.Done done = (Step.Done) server.step(client.token(client.ask("TT " + b64(challengeResp)), "KK"));
            byte[] token = done.token();
            token[token.length - 5] ^= 1; // inside the mechListMIC's checksum

            assertThat(client.ask("TT " + b64(token))).doesNotStartWith("AF");
        }
    }

    @Test
    void sambaRawNtlmsspClientGetsTheSameSessionKey() throws Exception {
        try (NtlmAuth client = new NtlmAuth("ntlmssp-client-1", "demo", PASSWORD, SMB_FEATURES)) {
            SecurityExchange server = server();
            byte[] negotiate = client.token(client.ask("YR"), "YR");
            byte[] challenge = ((Step.More) server.step(negotiate)).token();
            byte[] auth = client.token(client.ask("TT " + b64(challenge)), "AF"); // AF: the client is done

            Step last = server.step(auth);

            assertThat(last).isInstanceOf(Step.Done.class);
            byte[] clientKey = client.token(client.ask("GK"), "GK");
            assertThat(((Step.Done) last).sessionKey()).isEqualTo(clientKey);
        }
    }

    @Test
    void sambaClientWithTheWrongPasswordIsRefused() throws Exception {
        try (NtlmAuth client = new NtlmAuth("gss-spnego-client", "demo", "not-" + PASSWORD, SMB_FEATURES)) {
            SecurityExchange server = server();
            byte[] challengeResp = ((Step.More) server.step(client.token(client.ask("YR"), "YR"))).token();

            Step last = server.step(client.token(client.ask("TT " + b64(challengeResp)), "KK"));

            assertThat(last).isInstanceOf(Step.Failed.class);
            assertThat(((Step.Failed) last).reason()).isEqualTo(SecurityExchange.Reason.WRONG_PASSWORD);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** One {@code ntlm_auth} client process speaking the squid helper protocol. */
    private static final class NtlmAuth implements AutoCloseable {
        private final Process process;
        private final Writer in;
        private final BufferedReader out;

        NtlmAuth(String protocol, String user, String password, String features) throws IOException {
            process = new ProcessBuilder(List.of(
                            NTLM_AUTH.toString(),
                            "--helper-protocol=" + protocol,
                            "--username=" + user,
                            "--domain=WORKGROUP",
                            "--password=" + password))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            if (features != null) {
                assertThat(ask("SF " + features)).isEqualTo("OK");
            }
        }

        String ask(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
            String reply = out.readLine();
            assertThat(reply).as("ntlm_auth's reply to " + line).isNotNull();
            return reply;
        }

        byte[] token(String reply, String code) {
            assertThat(reply).startsWith(code + " ");
            return Base64.getDecoder().decode(reply.substring(code.length() + 1).trim());
        }

        @Override
        public void close() throws IOException {
            in.close();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
