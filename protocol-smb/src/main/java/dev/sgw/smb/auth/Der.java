package dev.sgw.smb.auth;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The small part of ASN.1 DER that SPNEGO needs (X.690): single-byte tags, definite lengths of up to four
 * bytes, reading nested TLVs out of a byte array without copying and writing them back. Indefinite lengths,
 * multi-byte tags and lengths past the enclosing element are malformed.
 */
final class Der {
    static final int SEQUENCE = 0x30;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int ENUMERATED = 0x0A;
    static final int BIT_STRING = 0x03;
    static final int GENERAL_STRING = 0x1B;
    static final int APPLICATION_0 = 0x60;

    private Der() {}

    /** The tag of context-specific constructed element {@code [n]}. */
    static int context(int n) {
        return 0xA0 | n;
    }

    /** One element: {@code tag}, and where its header and value lie in {@code buf}. */
    @SuppressWarnings("ArrayRecordComponent")
    record Element(int tag, byte[] buf, int start, int valueOffset, int valueEnd) {
        /** A copy of the value bytes. */
        byte[] value() {
            return Arrays.copyOfRange(buf, valueOffset, valueEnd);
        }

        /** A copy of the whole element, header included, exactly as it was encoded. */
        byte[] encoded() {
            return Arrays.copyOfRange(buf, start, valueEnd);
        }

        /** A reader over the elements inside this (constructed) element. */
        Reader children() {
            return new Reader(buf, valueOffset, valueEnd);
        }

        /** The single element inside an explicitly tagged {@code [n]} element. */
        Element inner() throws MalformedTokenException {
            Reader r = children();
            Element e = r.next();
            if (r.hasNext()) {
                throw new MalformedTokenException("explicit tag [" + (tag & 0x1F) + "] holds more than one element");
            }
            return e;
        }

        /** The value of a universal element after checking that its tag is {@code expected}. */
        byte[] valueOf(int expected) throws MalformedTokenException {
            if (tag != expected) {
                throw new MalformedTokenException(String.format("tag 0x%02x where 0x%02x was expected", tag, expected));
            }
            return value();
        }
    }

    /** Reads consecutive elements between two offsets. */
    static final class Reader {
        private final byte[] buf;
        private final int end;
        private int pos;

        Reader(byte[] buf, int offset, int end) {
            this.buf = buf;
            this.pos = offset;
            this.end = end;
        }

        static Reader of(byte[] buf) {
            return new Reader(buf, 0, buf.length);
        }

        boolean hasNext() {
            return pos < end;
        }

        Element next() throws MalformedTokenException {
            int start = pos;
            if (end - pos < 2) {
                throw new MalformedTokenException("truncated DER header at " + pos);
            }
            int tag = buf[pos++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new MalformedTokenException("multi-byte DER tag");
            }
            int first = buf[pos++] & 0xFF;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7F;
                if (count == 0 || count > 4 || end - pos < count) {
                    throw new MalformedTokenException("bad DER length form 0x" + Integer.toHexString(first));
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (buf[pos++] & 0xFF);
                }
            }
            if (length > end - pos) {
                throw new MalformedTokenException("DER length " + length + " runs past its container");
            }
            int valueOffset = pos;
            pos += (int) length;
            return new Element(tag, buf, start, valueOffset, pos);
        }
    }

    /** Encodes {@code tag} with the concatenation of {@code parts} as its value. */
    static byte[] tlv(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(0x84);
            out.write(length >>> 24);
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
        }
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
