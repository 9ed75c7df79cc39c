package dev.sgw.iscsi.login;

/**
 * The operational parameters a login settled on (RFC 7143 section 13), defaults filled in.
 *
 * @param headerDigest                      CRC32C header digests
 * @param dataDigest                        CRC32C data digests
 * @param initiatorMaxRecvDataSegmentLength the longest data segment the target may send
 * @param targetMaxRecvDataSegmentLength    the longest data segment the initiator may send
 * @param maxBurstLength                    the longest Data-In sequence or solicited Data-Out burst
 * @param firstBurstLength                  the most unsolicited (immediate + Data-Out) data per command
 * @param initialR2T                        whether unsolicited Data-Out PDUs are forbidden
 * @param immediateData                     whether a SCSI Command may carry data
 * @param maxOutstandingR2T                 R2Ts outstanding per task
 * @param defaultTime2Wait                  seconds
 * @param defaultTime2Retain                seconds
 * @param errorRecoveryLevel                0 for sgw
 */
public record SessionParameters(
        boolean headerDigest,
        boolean dataDigest,
        int initiatorMaxRecvDataSegmentLength,
        int targetMaxRecvDataSegmentLength,
        int maxBurstLength,
        int firstBurstLength,
        boolean initialR2T,
        boolean immediateData,
        int maxOutstandingR2T,
        int defaultTime2Wait,
        int defaultTime2Retain,
        int errorRecoveryLevel) {}
