package dev.sgw.core.store.oss;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import com.aliyun.oss.model.GenericResult;
import dev.sgw.core.store.Crc64;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRC64-ECMA checks of {@link OssObjectStore} on what OSS answers, and the count of what could not be
 * checked because OSS's answer carried no {@code x-oss-hash-crc64ecma} (a metrics decorator or the
 * wiring reports {@link #unverifiedWrites()} and {@link #unverifiedReads()}). Nothing unchecked is ever
 * reported as checked.
 */
final class OssCrc64Checks {

    private static final Logger LOG = LoggerFactory.getLogger(OssCrc64Checks.class);
    static final String CRC64_HEADER = "x-oss-hash-crc64ecma";

    private final LongAdder unverifiedWrites = new LongAdder();
    private final LongAdder unverifiedReads = new LongAdder();

    long unverifiedWrites() {
        return unverifiedWrites.sum();
    }

    long unverifiedReads() {
        return unverifiedReads.sum();
    }

    void unverifiedWrite(String operation, String key) {
        unverifiedWrites.increment();
        LOG.debug("{} {}: no {} in the answer, write not verified", operation, key, CRC64_HEADER);
    }

    void unverifiedRead(String key) {
        unverifiedReads.increment();
        LOG.debug("GET {}: no {} in the answer, body not verified", key, CRC64_HEADER);
    }

    /** The body's CRC64, computed once; a body that cannot be read is INVALID. */
    static long crcOf(ObjectBody body, String operation, String key) throws ObjectStoreException {
        try {
            return body.crc64();
        } catch (IOException e) {
            throw new ObjectStoreException(
                    Code.INVALID, operation + " " + key + ": cannot read the body: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a write: the bytes the SDK sent ({@code sent}, when it counted them) and what OSS stored
     * ({@code server}) must both have the body's CRC64. Returns whether OSS's CRC64 was there to check.
     */
    boolean checkWrite(String operation, String key, long expected, Long sent, Long server)
            throws ObjectStoreException {
        if (sent != null && sent != expected) {
            throw new ObjectStoreException(
                    Code.INTEGRITY,
                    operation + " " + key + ": the bytes sent have CRC64 "
                            + Crc64.toUnsignedString(sent) + ", the body's is " + Crc64.toUnsignedString(expected)
                            + " (the body changed while it was sent)");
        }
        if (server == null) {
            unverifiedWrite(operation, key);
            return false;
        }
        if (server != expected) {
            throw new ObjectStoreException(
                    Code.INTEGRITY,
                    operation + " " + key + ": OSS stored CRC64 " + Crc64.toUnsignedString(server) + ", expected "
                            + Crc64.toUnsignedString(expected));
        }
        return true;
    }

    /** The CRC64 OSS reported in an answer's headers, or {@code null}. */
    static Long serverCrc(GenericResult result) {
        if (result.getServerCRC() != null) {
            return result.getServerCRC();
        }
        if (result.getResponse() == null || result.getResponse().getHeaders() == null) {
            return null;
        }
        for (Map.Entry<String, String> header :
                result.getResponse().getHeaders().entrySet()) {
            if (CRC64_HEADER.equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                try {
                    return Crc64.parseUnsigned(header.getValue());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
