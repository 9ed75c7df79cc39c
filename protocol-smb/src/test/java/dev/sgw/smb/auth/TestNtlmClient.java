package dev.sgw.smb.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;

import dev.sgw.core.manage.NtHash;

/**
 * A small NTLMv2 client in SPNEGO, as Windows behaves (MS-NLMP 3.1.5): NEGOTIATE with KEY_EXCH, 128, 56,
 * SIGN; AUTHENTICATE with MsvAvFlags(MIC), a random exported session key and the MIC; mechListMIC in its
 * last negTokenResp. Fields tweak it into the misbehaving clients the tests need.
 */
final class TestNtlmClient {
    /** UNICODE, OEM, REQUEST_TARGET, SIGN, NTLM, ALWAYS_SIGN, ESS, VERSION, 128, KEY_EXCH, 56. */
    static final int WINDOWS_FLAGS = 0x0000_0001
            | 0x0000_0002
            | 0x0000_0004
            | 0x0000_0010
            | 0x0000_0200
            | 0x0000_8000
            | 0x0008_0000
            | 0x0200_0000
            | 0x2000_0000
            | 0x4000_0000
            | 0x8000_0000;

    /** The DER MechTypeList [NTLMSSP]. */
    static final byte[] MECH_TYPES_NTLM = Der.tlv(Der.SEQUENCE, Spnego.NTLMSSP_OID);

    private static final SecureRandom RANDOM = new SecureRandom();

    final String user;
    final String domain;
    String password;
    int negotiateFlags = WINDOWS_FLAGS;
    boolean withMic = true;
    boolean sendMechListMic = true;
    byte[] mechTypeList = MECH_TYPES_NTLM;
    byte[] ntResponseOverride;
    byte[] lmResponseOverride;

    byte[] negotiate;
    byte[] exportedSessionKey;
    int authenticateFlags;

    TestNtlmClient(String user, String domain, String password) {
        this.user = user;
        this.domain = domain;
        this.password = password;
    }

    static byte[] negotiateMessage(int flags) {
        byte[] msg = new byte[40];
        le(msg).put(NtlmMessages.SIGNATURE)
                .putInt(1)
                .putInt(flags)
                .putLong(0)
                .putInt(40)
                .putInt(0)
                .put(NtlmMessages.VERSION);
        return msg;
    }

    byte[] negotiate() {
        negotiate = negotiateMessage(negotiateFlags);
        return negotiate;
    }

    /** negTokenInit with mechTypes {@link #mechTypeList} and the NEGOTIATE as optimistic token. */
    byte[] spnegoInit() {
        byte[] init = Der.tlv(
                Der.SEQUENCE,
                Der.tlv(Der.context(0), mechTypeList),
                Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, negotiate())));
        return Der.tlv(Der.APPLICATION_0, Spnego.SPNEGO_OID, Der.tlv(Der.context(0), init));
    }

    /** The negTokenResp with the AUTHENTICATE answering the server's negTokenResp, and a mechListMIC. */
    byte[] spnegoAuthenticate(byte[] serverResp) throws MalformedTokenException {
        byte[] auth = authenticate(Spnego.parseResp(serverResp).responseToken());
        byte[] mic = sendMechListMic
                ? NtlmCrypto.mechListMic(exportedSessionKey, authenticateFlags, true, mechTypeList)
                : null;
        return mic == null
                ? Der.tlv(
                        Der.context(1), Der.tlv(Der.SEQUENCE, Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, auth))))
                : Der.tlv(
                        Der.context(1),
                        Der.tlv(
                                Der.SEQUENCE,
                                Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, auth)),
                                Der.tlv(Der.context(3), Der.tlv(Der.OCTET_STRING, mic))));
    }

    /** The AUTHENTICATE_MESSAGE answering {@code challenge} (MS-NLMP 3.1.5.1.2). */
    byte[] authenticate(byte[] challenge) {
        ByteBuffer c = le(challenge);
        int flags = c.getInt(20);
        byte[] serverChallenge = Arrays.copyOfRange(challenge, 24, 32);
        int infoLength = Short.toUnsignedInt(c.getShort(40));
        int infoOffset = c.getInt(44);
        byte[] targetInfo = Arrays.copyOfRange(challenge, infoOffset, infoOffset + infoLength - 4); // less EOL
        ByteArrayOutputStream pairs = new ByteArrayOutputStream();
        pairs.writeBytes(targetInfo);
        if (withMic) {
            pairs.writeBytes(new byte[] {6, 0, 4, 0, 2, 0, 0, 0}); // MsvAvFlags: MIC present
        }
        pairs.writeBytes(new byte[4]); // MsvAvEOL
        byte[] clientChallenge = new byte[8];
        RANDOM.nextBytes(clientChallenge);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        blob.writeBytes(new byte[] {1, 1, 0, 0, 0, 0, 0, 0});
        blob.writeBytes(new byte[8]); // time: the server does not check it
        blob.writeBytes(clientChallenge);
        blob.writeBytes(new byte[4]);
        blob.writeBytes(pairs.toByteArray());
        blob.writeBytes(new byte[4]);
        byte[] ntowf = NtlmCrypto.ntowfV2(NtHash.ofPassword(password).bytes(), user, domain);
        byte[] proof = NtlmCrypto.ntProof(ntowf, serverChallenge, blob.toByteArray());
        byte[] nt = ntResponseOverride != null ? ntResponseOverride : concat(proof, blob.toByteArray());
        byte[] lm = lmResponseOverride != null ? lmResponseOverride : new byte[24];
        byte[] sessionBaseKey = NtlmCrypto.sessionBaseKey(ntowf, proof);
        exportedSessionKey = new byte[16];
        RANDOM.nextBytes(exportedSessionKey);
        byte[] encrypted = NtlmCrypto.rc4(sessionBaseKey, exportedSessionKey);
        if ((flags & NtlmFlags.NEGOTIATE_KEY_EXCH) == 0) {
            exportedSessionKey = sessionBaseKey;
            encrypted = new byte[0];
        }
        authenticateFlags = flags;
        byte[][] fields = {lm, nt, NtlmCrypto.utf16(domain), NtlmCrypto.utf16(user), NtlmCrypto.utf16("WS1"), encrypted
        };
        byte[] msg = authenticateMessage(flags, fields);
        if (withMic) {
            byte[] mic = NtlmCrypto.hmacMd5(exportedSessionKey, negotiate, challenge, msg);
            System.arraycopy(mic, 0, msg, NtlmMessages.MIC_OFFSET, 16);
        }
        return msg;
    }

    /** The message with a zero MIC; fields in order LM, NT, domain, user, workstation, session key. */
    static byte[] authenticateMessage(int flags, byte[][] fields) {
        int total = 88;
        for (byte[] f : fields) {
            total += f.length;
        }
        byte[] msg = new byte[total];
        ByteBuffer b = le(msg).put(NtlmMessages.SIGNATURE).putInt(3);
        int offset = 88;
        int[] offsets = new int[6];
        for (int i : new int[] {2, 3, 4, 0, 1, 5}) { // payload order as Windows writes it
            offsets[i] = offset;
            System.arraycopy(fields[i], 0, msg, offset, fields[i].length);
            offset += fields[i].length;
        }
        for (int i = 0; i < fields.length; i++) {
            b.putShort((short) fields[i].length)
                    .putShort((short) fields[i].length)
                    .putInt(offsets[i]);
        }
        b.putInt(flags).put(NtlmMessages.VERSION);
        return msg;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
