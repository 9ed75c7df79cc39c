package dev.sgw.iscsi.login;

/**
 * What the target offers in operational negotiation (RFC 7143 section 13).
 *
 * @param maxRecvDataSegmentLength the longest data segment the target accepts (declared to the initiator)
 * @param maxBurstLength           the target's MaxBurstLength (the result is the minimum of both sides)
 * @param firstBurstLength         the target's FirstBurstLength (minimum)
 * @param maxOutstandingR2T        R2Ts the target may have outstanding per task (minimum)
 * @param initialR2T               whether the target insists on an R2T before any write data (OR)
 * @param immediateData            whether the target accepts immediate data (AND)
 * @param portalGroupTag           the target portal group tag declared in normal sessions
 * @param defaultTime2Wait         seconds before a reconnection after a drop (maximum)
 * @param defaultTime2Retain       seconds the target keeps task state after a drop (minimum)
 * @param requireDigests           whether the target insists on CRC32C header and data digests (it then
 *                                 answers a HeaderDigest or DataDigest offer without CRC32C with Reject)
 */
public record NegotiationLimits(
        int maxRecvDataSegmentLength,
        int maxBurstLength,
        int firstBurstLength,
        int maxOutstandingR2T,
        boolean initialR2T,
        boolean immediateData,
        int portalGroupTag,
        int defaultTime2Wait,
        int defaultTime2Retain,
        boolean requireDigests) {

    public NegotiationLimits {
        checkLength("maxRecvDataSegmentLength", maxRecvDataSegmentLength);
        checkLength("maxBurstLength", maxBurstLength);
        checkLength("firstBurstLength", firstBurstLength);
        if (firstBurstLength > maxBurstLength) {
            throw new IllegalArgumentException("firstBurstLength must not exceed maxBurstLength");
        }
        if (maxOutstandingR2T < 1 || maxOutstandingR2T > 65535) {
            throw new IllegalArgumentException("maxOutstandingR2T must be 1..65535");
        }
    }

    /**
     * 256 KiB data segments, 1 MiB bursts, 256 KiB first burst, 4 R2Ts, immediate and unsolicited data,
     * digests as the initiator prefers.
     */
    public static NegotiationLimits defaults() {
        return new NegotiationLimits(256 * 1024, 1024 * 1024, 256 * 1024, 4, false, true, 1, 2, 20, false);
    }

    /** These limits with CRC32C digests required or not. */
    public NegotiationLimits withDigestsRequired(boolean required) {
        return new NegotiationLimits(
                maxRecvDataSegmentLength,
                maxBurstLength,
                firstBurstLength,
                maxOutstandingR2T,
                initialR2T,
                immediateData,
                portalGroupTag,
                defaultTime2Wait,
                defaultTime2Retain,
                required);
    }

    private static void checkLength(String name, int v) {
        if (v < 512 || v > 0xffffff) {
            throw new IllegalArgumentException(name + " must be 512..16777215, got " + v);
        }
    }
}
