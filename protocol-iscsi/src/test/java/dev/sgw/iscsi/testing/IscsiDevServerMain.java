package dev.sgw.iscsi.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import dev.sgw.core.manage.ChapCredentials;
import dev.sgw.core.spi.VolumeDirectory.IscsiLun;
import dev.sgw.iscsi.scsi.BlockLogicalUnit;
import dev.sgw.iscsi.scsi.LogicalUnit;
import dev.sgw.iscsi.scsi.UnitIdentity;
import dev.sgw.iscsi.session.TargetSettings;

/**
 * Runs a portal on 127.0.0.1 for hand runs of real initiators (libiscsi's iscsi-ls, iscsi-inq,
 * iscsi-test-cu): volume {@code vol1} (64 MiB, no CHAP), {@code chap1} (one-way CHAP user/secret
 * {@code user1}/{@code secret123456}), {@code mutual1} (mutual, target {@code target1}/{@code tsecret123456})
 * and a disabled {@code off1}. Arguments: the port (default 3260), then {@code digests} to require CRC32C
 * digests and {@code sbc} to serve the volumes with the SBC logical unit ({@link BlockLogicalUnit}, for
 * iscsi-test-cu's SCSI suites) instead of {@link MemoryLogicalUnit}.
 */
public final class IscsiDevServerMain {
    private IscsiDevServerMain() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3260;
        Path dir = Files.createTempDirectory("sgw-iscsi-dev");
        List<String> options = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        boolean digests = options.contains("digests");
        Function<IscsiLun, LogicalUnit> units = options.contains("sbc")
                ? lun -> new BlockLogicalUnit(
                        lun.volume(), UnitIdentity.forVolume(lun.config().name()))
                : null;
        TargetSettings settings = TargetSettings.defaults();
        TargetFixture f = TargetFixture.start(
                dir, settings.withLimits(settings.limits().withDigestsRequired(digests)), port, units);
        f.addVolume("vol1", 64L << 20, null);
        f.addVolume("chap1", 16L << 20, ChapCredentials.of("user1", "secret123456"));
        f.addVolume("mutual1", 16L << 20, ChapCredentials.mutual("user1", "secret123456", "target1", "tsecret123456"));
        f.addVolume("off1", 16L << 20, null);
        f.setEnabled("off1", false);
        System.out.println("iSCSI portal on 127.0.0.1:" + f.port());
        Runtime.getRuntime().addShutdownHook(new Thread(f::close));
        Thread.currentThread().join();
    }
}
