package dev.sgw.core.store;

/**
 * The bandwidth a store may use, in bytes per second, separately for uploads (put and part bodies) and
 * downloads (get bodies); {@code 0} means unlimited.
 */
public record BandwidthLimit(long uploadBytesPerSecond, long downloadBytesPerSecond) {

    private static final BandwidthLimit UNLIMITED = new BandwidthLimit(0, 0);

    public BandwidthLimit {
        if (uploadBytesPerSecond < 0 || downloadBytesPerSecond < 0) {
            throw new IllegalArgumentException("a bandwidth limit is 0 (none) or positive: " + uploadBytesPerSecond
                    + ", " + downloadBytesPerSecond);
        }
    }

    public static BandwidthLimit unlimited() {
        return UNLIMITED;
    }

    public boolean isUnlimited() {
        return uploadBytesPerSecond == 0 && downloadBytesPerSecond == 0;
    }
}
