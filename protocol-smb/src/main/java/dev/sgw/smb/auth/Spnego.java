package dev.sgw.smb.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SPNEGO tokens (RFC 4178 section 4.2, MS-SPNG 2.2): reads the client's negTokenInit and negTokenResp and
 * writes the server's negTokenInit2 and negTokenResp.
 *
 * <pre>
 * InitialContextToken ::= [APPLICATION 0] { OID 1.3.6.1.5.5.2, [0] NegTokenInit }
 * NegTokenInit  ::= SEQUENCE { mechTypes [0] SEQUENCE OF OID, reqFlags [1] BIT STRING OPTIONAL,
 *                              mechToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OCTET STRING OPTIONAL }
 * NegTokenInit2 ::= SEQUENCE { mechTypes [0], reqFlags [1], mechToken [2],
 *                              negHints [3] SEQUENCE { hintName [0] GeneralString, hintAddress [1] },
 *                              mechListMIC [4] }                                    (MS-SPNG 2.2.1)
 * NegTokenResp  ::= [1] SEQUENCE { negState [0] ENUMERATED OPTIONAL, supportedMech [1] OID OPTIONAL,
 *                              responseToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OCTET STRING OPTIONAL }
 * </pre>
 */
final class Spnego {
    /** DER of OID 1.3.6.1.5.5.2, SPNEGO. */
    static final byte[] SPNEGO_OID = {0x06, 0x06, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x02};

    /** DER of OID 1.3.6.1.4.1.311.2.2.10, NTLMSSP. */
    static final byte[] NTLMSSP_OID = {0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x02, 0x02, 0x0A};

    /** The hint Windows puts in negTokenInit2 (MS-SPNG 3.2.5.2). */
    static final String HINT_NAME = "not_defined_in_RFC4178@please_ignore";

    /** negState values. */
    static final int ACCEPT_COMPLETED = 0;

    static final int ACCEPT_INCOMPLETE = 1;
    static final int REJECT = 2;
    static final int REQUEST_MIC = 3;

    private Spnego() {}

    /** A client's first token. */
    @SuppressWarnings("ArrayRecordComponent")
    record NegTokenInit(byte[] mechTypeList, List<byte[]> mechTypes, byte[] mechToken, byte[] mechListMic) {
        /** Where NTLMSSP is in the client's preference order, or -1. */
        int ntlmsspIndex() {
            for (int i = 0; i < mechTypes.size(); i++) {
                if (Arrays.equals(mechTypes.get(i), NTLMSSP_OID)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** A client's later token; absent fields are null and an absent negState is -1. */
    @SuppressWarnings("ArrayRecordComponent")
    record NegTokenResp(int negState, byte[] supportedMech, byte[] responseToken, byte[] mechListMic) {}

    /** Whether {@code token} is an InitialContextToken or a bare negTokenInit (not a negTokenResp). */
    static boolean isInit(byte[] token) {
        return token.length > 0 && ((token[0] & 0xFF) == Der.APPLICATION_0 || (token[0] & 0xFF) == Der.context(0));
    }

    /** Reads an InitialContextToken with a negTokenInit, or a bare {@code [0]} negTokenInit. */
    static NegTokenInit parseInit(byte[] token) throws MalformedTokenException {
        Der.Reader outer = Der.Reader.of(token);
        Der.Element top = outer.next(); // bytes after the token (padding) are ignored
        Der.Element negTokenInit = top;
        if (top.tag() == Der.APPLICATION_0) {
            Der.Reader r = top.children();
            Der.Element oid = r.next();
            if (!Arrays.equals(oid.encoded(), SPNEGO_OID)) {
                throw new MalformedTokenException("InitialContextToken is not SPNEGO");
            }
            negTokenInit = r.next();
            expectEnd(r);
        }
        if (negTokenInit.tag() != Der.context(0)) {
            throw new MalformedTokenException("not a negTokenInit");
        }
        Der.Element seq = negTokenInit.inner();
        requireTag(seq, Der.SEQUENCE);
        byte[] mechTypeList = null;
        List<byte[]> mechTypes = new ArrayList<>();
        byte[] mechToken = null;
        byte[] mechListMic = null;
        Der.Reader fields = seq.children();
        while (fields.hasNext()) {
            Der.Element field = fields.next();
            if (field.tag() == Der.context(0)) {
                Der.Element list = field.inner();
                requireTag(list, Der.SEQUENCE);
                mechTypeList = list.encoded();
                Der.Reader oids = list.children();
                while (oids.hasNext()) {
                    Der.Element oid = oids.next();
                    requireTag(oid, Der.OID);
                    mechTypes.add(oid.encoded());
                }
            } else if (field.tag() == Der.context(2)) {
                mechToken = field.inner().valueOf(Der.OCTET_STRING);
            } else if (field.tag() == Der.context(3)) {
                Der.Element inner = field.inner();
                if (inner.tag() == Der.OCTET_STRING) { // a negTokenInit2's negHints there is skipped
                    mechListMic = inner.value();
                }
            }
        }
        if (mechTypeList == null) {
            throw new MalformedTokenException("negTokenInit without mechTypes");
        }
        return new NegTokenInit(mechTypeList, List.copyOf(mechTypes), mechToken, mechListMic);
    }

    /** Reads a {@code [1]} negTokenResp. */
    static NegTokenResp parseResp(byte[] token) throws MalformedTokenException {
        Der.Reader outer = Der.Reader.of(token);
        Der.Element top = outer.next(); // bytes after the token (padding) are ignored
        if (top.tag() != Der.context(1)) {
            throw new MalformedTokenException("not a negTokenResp");
        }
        Der.Element seq = top.inner();
        requireTag(seq, Der.SEQUENCE);
        int negState = -1;
        byte[] supportedMech = null;
        byte[] responseToken = null;
        byte[] mechListMic = null;
        Der.Reader fields = seq.children();
        while (fields.hasNext()) {
            Der.Element field = fields.next();
            switch (field.tag()) {
                case 0xA0 -> {
                    byte[] v = field.inner().valueOf(Der.ENUMERATED);
                    if (v.length != 1) {
                        throw new MalformedTokenException("negState of " + v.length + " bytes");
                    }
                    negState = v[0] & 0xFF;
                }
                case 0xA1 -> {
                    Der.Element oid = field.inner();
                    requireTag(oid, Der.OID);
                    supportedMech = oid.encoded();
                }
                case 0xA2 -> responseToken = field.inner().valueOf(Der.OCTET_STRING);
                case 0xA3 -> mechListMic = field.inner().valueOf(Der.OCTET_STRING);
                default -> throw new MalformedTokenException("negTokenResp field " + Integer.toHexString(field.tag()));
            }
        }
        return new NegTokenResp(negState, supportedMech, responseToken, mechListMic);
    }

    /** The negTokenInit2 of a NEGOTIATE response: mechTypes [NTLMSSP] and Windows' negHints. */
    static byte[] negTokenInit2() {
        byte[] mechTypes = Der.tlv(Der.context(0), Der.tlv(Der.SEQUENCE, NTLMSSP_OID));
        byte[] hintName =
                Der.tlv(Der.context(0), Der.tlv(Der.GENERAL_STRING, HINT_NAME.getBytes(StandardCharsets.US_ASCII)));
        byte[] negHints = Der.tlv(Der.context(3), Der.tlv(Der.SEQUENCE, hintName));
        byte[] init2 = Der.tlv(Der.context(0), Der.tlv(Der.SEQUENCE, mechTypes, negHints));
        return Der.tlv(Der.APPLICATION_0, SPNEGO_OID, init2);
    }

    /** A negTokenResp; null arguments are left out. {@code supportedMech}: whether to name NTLMSSP. */
    static byte[] negTokenResp(int negState, boolean supportedMech, byte[] responseToken, byte[] mechListMic) {
        List<byte[]> fields = new ArrayList<>();
        fields.add(Der.tlv(Der.context(0), Der.tlv(Der.ENUMERATED, new byte[] {(byte) negState})));
        if (supportedMech) {
            fields.add(Der.tlv(Der.context(1), NTLMSSP_OID));
        }
        if (responseToken != null) {
            fields.add(Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, responseToken)));
        }
        if (mechListMic != null) {
            fields.add(Der.tlv(Der.context(3), Der.tlv(Der.OCTET_STRING, mechListMic)));
        }
        return Der.tlv(Der.context(1), Der.tlv(Der.SEQUENCE, fields.toArray(byte[][]::new)));
    }

    private static void requireTag(Der.Element e, int tag) throws MalformedTokenException {
        if (e.tag() != tag) {
            throw new MalformedTokenException(String.format("tag 0x%02x where 0x%02x was expected", e.tag(), tag));
        }
    }

    private static void expectEnd(Der.Reader r) throws MalformedTokenException {
        if (r.hasNext()) {
            throw new MalformedTokenException("trailing bytes after the token");
        }
    }
}
