package dev.sgw.iscsi.scsi;

/**
 * The transfer and provisioning limits a logical unit announces in the Block Limits VPD page (SBC-3 6.5.3)
 * and enforces, in bytes so that they do not depend on the volume's block size. Packaging may pass the
 * volume's chunk size as {@code unmapGranularityBytes}: whole chunks are what UNMAP can delete from the bucket.
 *
 * @param maxTransferBytes           the largest READ/WRITE/VERIFY (the transport buffers a command's data-out)
 * @param optimalTransferBytes       the transfer size the volume prefers
 * @param optimalGranularityBytes    the transfer alignment the volume prefers
 * @param unmapGranularityBytes      the UNMAP granularity (0: not reported)
 * @param maxUnmapBytes              the most one UNMAP command may discard
 * @param maxUnmapDescriptors        the most block descriptors in one UNMAP parameter list
 * @param maxWriteSameBytes          the longest range of one WRITE SAME (never more than 65535 blocks)
 * @param maxCompareAndWriteBlocks   the most blocks of one COMPARE AND WRITE (at most 255)
 */
public record BlockLimits(
        int maxTransferBytes,
        int optimalTransferBytes,
        int optimalGranularityBytes,
        long unmapGranularityBytes,
        long maxUnmapBytes,
        int maxUnmapDescriptors,
        long maxWriteSameBytes,
        int maxCompareAndWriteBlocks) {
    private static final long MAX_WRITE_SAME_BLOCKS = 0xffff;

    public BlockLimits {
        if (maxTransferBytes < 4096
                || optimalTransferBytes < 0
                || optimalGranularityBytes < 0
                || unmapGranularityBytes < 0
                || maxUnmapBytes < 4096
                || maxUnmapDescriptors < 1
                || maxWriteSameBytes < 4096
                || maxCompareAndWriteBlocks < 1
                || maxCompareAndWriteBlocks > 255) {
            throw new IllegalArgumentException("invalid block limits: " + this);
        }
    }

    /**
     * 8 MiB transfers (1 MiB optimal, 4 KiB aligned), 512 MiB per UNMAP in up to 1024 descriptors, 1 GiB
     * (at most 65535 blocks) per WRITE SAME.
     */
    public static BlockLimits defaults() {
        return new BlockLimits(8 << 20, 1 << 20, 4096, 0, 512L << 20, 1024, 1L << 30, 255);
    }

    long maxTransferBlocks(int blockSize) {
        return Math.max(1, maxTransferBytes / blockSize);
    }

    long optimalTransferBlocks(int blockSize) {
        return optimalTransferBytes / blockSize;
    }

    long optimalGranularityBlocks(int blockSize) {
        return optimalGranularityBytes / blockSize;
    }

    long unmapGranularityBlocks(int blockSize) {
        return unmapGranularityBytes / blockSize;
    }

    /** At most 2^20 blocks: libiscsi and others treat larger explicit limits as implausible. */
    long maxUnmapBlocks(int blockSize) {
        return Math.min(1 << 20, Math.max(1, maxUnmapBytes / blockSize));
    }

    /**
     * At most 65535 blocks (as the Linux target announces): libiscsi's WRITE SAME tests take a larger limit as
     * leave to WRITE and READ 65536 blocks in one command, beyond the maximum transfer length.
     */
    long maxWriteSameBlocks(int blockSize) {
        return Math.min(MAX_WRITE_SAME_BLOCKS, Math.max(1, maxWriteSameBytes / blockSize));
    }
}
