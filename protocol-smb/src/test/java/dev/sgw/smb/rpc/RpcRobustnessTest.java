package dev.sgw.smb.rpc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Whatever a client writes, the pipe never throws and only ever answers with well-formed PDUs. */
class RpcRobustnessTest {
    private static final Set<Integer> SERVER_PDU_TYPES = Set.of(2, 3, 12, 13, 15);

    /** A bind and three calls (one fragmented), as a client session would send them. */
    private static byte[] session() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(TestRpcClient.bindPdu(11, 1, 4280, 4280, TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3)));
        TestRpcClient.requestPdus(2, 0, 15, TestNdr.shareEnumRequest("\\\\S", 1, -1, 0), 1 << 16)
                .forEach(b::writeBytes);
        TestRpcClient.requestPdus(3, 0, 16, TestNdr.shareGetInfoRequest(null, "demo", 502), 16)
                .forEach(b::writeBytes);
        TestRpcClient.requestPdus(4, 0, 21, TestNdr.getInfoRequest(null, 102), 1 << 16)
                .forEach(b::writeBytes);
        return b.toByteArray();
    }

    @Test
    void theUnmutatedSessionIsAnsweredInFull() {
        List<byte[]> answers = feed(session());
        assertThat(answers).extracting(a -> (int) a[2]).containsExactly(12, 2, 2, 2);
    }

    @Test
    void everySingleByteMutationOfASessionIsAnsweredWithWellFormedPdus() {
        byte[] session = session();
        for (int i = 0; i < session.length; i++) {
            for (int v : new int[] {0x00, 0xFF, session[i] ^ 0x80, session[i] + 1}) {
                byte[] mutated = session.clone();
                mutated[i] = (byte) v;
                int at = i;
                assertThatCode(() -> feed(mutated))
                        .as("byte %d set to %02x", at, v & 0xFF)
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void randomBytesAndRandomHeadersNeverThrow() {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] junk = new byte[random.nextInt(300)];
            random.nextBytes(junk);
            if (round % 2 == 0 && junk.length >= 16) {
                junk[0] = 5;
                junk[1] = 0;
                junk[2] = (byte) random.nextInt(20);
                junk[4] = 0x10;
                junk[8] = (byte) junk.length;
                junk[9] = (byte) (junk.length >>> 8);
                junk[10] = 0;
                junk[11] = 0;
            }
            byte[] input = round % 3 == 0 ? concat(session(), junk) : junk;
            assertThatCode(() -> feed(input)).as("round %d", round).doesNotThrowAnyException();
        }
    }

    @Test
    void aFragLengthShorterThanTheHeaderIsRejectedAndTheInputDropped() {
        byte[] bind = TestRpcClient.bindPdu(11, 1, 4280, 4280, TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3));
        bind[8] = 10;
        bind[9] = 0;
        List<byte[]> answers = feed(bind);
        assertThat(answers).hasSize(1);
        assertThat(answers.getFirst()[2]).as("BIND_NAK").isEqualTo((byte) 13);
    }

    @Test
    void aBindTooShortForItsFieldsOrBigEndianIsRejected() {
        byte[] shortBind =
                TestRpcClient.withLength(TestRpcClient.header(11, 3, 1).u32(0).bytes());
        assertThat(feed(shortBind)).extracting(a -> (int) a[2]).containsExactly(13);

        byte[] bigEndian =
                TestRpcClient.bindPdu(11, 1, 4280, 4280, TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3));
        bigEndian[4] = 0;
        int len = bigEndian.length;
        bigEndian[8] = (byte) (len >>> 8);
        bigEndian[9] = (byte) len;
        assertThat(feed(bigEndian)).extracting(a -> (int) a[2]).containsExactly(13);
    }

    @Test
    void aRequestShorterThanItsHeaderIsAProtocolError() {
        byte[] bind = TestRpcClient.bindPdu(11, 1, 4280, 4280, TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3));
        byte[] request =
                TestRpcClient.withLength(TestRpcClient.header(0, 3, 2).u32(0).bytes());
        List<byte[]> answers = feed(concat(bind, request));
        assertThat(answers).hasSize(2);
        assertThat(ByteBuffer.wrap(answers.get(1))
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getInt(24))
                .isEqualTo(RpcFault.PROTOCOL_ERROR);
    }

    /** Writes {@code input} to a fresh srvsvc pipe and returns the answer messages, each checked for form. */
    private static List<byte[]> feed(byte[] input) {
        NamedPipe pipe = RpcFixtures.pipes(RpcFixtures.SHARES).open("srvsvc").orElseThrow();
        pipe.write(input);
        List<byte[]> messages = new ArrayList<>();
        NamedPipe.ReadResult r;
        while ((r = pipe.read(65536)).data().length > 0) {
            byte[] m = r.data();
            assertThat(r.moreData()).isFalse();
            assertThat(m.length).isGreaterThanOrEqualTo(16);
            assertThat(m[0]).isEqualTo((byte) 5);
            assertThat(m[4]).isEqualTo((byte) 0x10);
            assertThat((m[8] & 0xFF) | (m[9] & 0xFF) << 8).isEqualTo(m.length);
            assertThat(SERVER_PDU_TYPES).contains((int) m[2]);
            messages.add(m);
        }
        return messages;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
