package dev.sgw.console;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sgw.core.gateway.GatewayRuntime;
import dev.sgw.core.gateway.GatewayRuntime.VolumeStatus;
import dev.sgw.core.manage.GatewayState;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.sync.ScanProgress;
import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.VolumeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/status}: what the gateway is doing, per share and volume (mode, state, upload backlog,
 * reverse sync) and per cache disk (use), and {@code POST /api/v1/drain}: start uploading everything dirty
 * now, answered once the uploads are started (poll the status for the backlog).
 *
 * <pre>
 * state     meaning
 * --------  ------------------------------------------------------------------------------------------
 * online    open in the runtime: clients can use it, its uploads run
 * disabled  an iSCSI volume configured with enabled=false
 * offline   configured but not open (its bucket or cache disk failed to open; the log says why)
 * </pre>
 */
final class StatusResource {
    private static final Logger LOG = LoggerFactory.getLogger(StatusResource.class);

    private final GatewayRuntime runtime;

    StatusResource(GatewayRuntime runtime) {
        this.runtime = runtime;
    }

    void status(ApiExchange x) throws IOException {
        GatewayState state = runtime.management().state();
        Map<String, VolumeStatus> shares = new HashMap<>();
        Map<String, VolumeStatus> volumes = new HashMap<>();
        for (VolumeStatus s : runtime.status()) {
            (s.kind().equals("iscsi") ? volumes : shares).put(s.name(), s);
        }
        ObjectNode root = ApiExchange.JSON.createObjectNode();
        ArrayNode shareList = root.putArray("shares");
        for (NfsShare s : state.nfsShares()) {
            add(shareList, "nfs", s.path(), s.mode(), s.cacheDisk(), shares.get(s.path()), "online");
        }
        for (SmbShare s : state.smbShares()) {
            String volumeName = state.nfsShares().stream()
                    .filter(n -> n.id() == s.id())
                    .map(NfsShare::path)
                    .findFirst()
                    .orElse(s.name());
            add(shareList, "smb", s.name(), s.mode(), s.cacheDisk(), shares.get(volumeName), "online");
        }
        ArrayNode volumeList = root.putArray("volumes");
        for (IscsiVolume v : state.iscsiVolumes()) {
            add(
                    volumeList,
                    "iscsi",
                    v.name(),
                    v.mode(),
                    v.cacheDisk(),
                    volumes.get(v.name()),
                    v.enabled() ? "online" : "disabled");
        }
        ArrayNode disks = root.putArray("cacheDisks");
        for (GatewayRuntime.CacheUse c : runtime.cacheUse()) {
            long lookups = c.hits() + c.misses();
            disks.addObject()
                    .put("name", c.disk())
                    .put("capacityBytes", c.capacityBytes())
                    .put("usedBytes", c.usedBytes())
                    .put("dirtyBytes", c.dirtyBytes())
                    .put("hitRatio", lookups == 0 ? 0.0 : (double) c.hits() / lookups);
        }
        x.send(200, root);
    }

    private static void add(
            ArrayNode list,
            String protocol,
            String name,
            VolumeMode mode,
            String cacheDisk,
            VolumeStatus status,
            String openState) {
        ObjectNode o = list.addObject()
                .put("protocol", protocol)
                .put("name", name)
                .put("mode", mode.name())
                .put("cacheDisk", cacheDisk);
        if (status == null) {
            o.put("state", openState.equals("disabled") ? "disabled" : "offline");
            if (!openState.equals("disabled")) {
                o.put("reason", "not open in the gateway; its log says why");
            }
            return;
        }
        o.put("state", "online");
        BucketSync.Backlog b = status.backlog();
        o.putObject("backlog")
                .put("items", b.pendingItems())
                .put("bytes", b.pendingBytes())
                .put("uploadedItems", b.uploadedItems())
                .put("uploadedBytes", b.uploadedBytes())
                .put("failedAttempts", b.failedAttempts())
                .put("conflicts", b.conflicts());
        ScanProgress r = status.reverseSync();
        if (r != null) {
            ObjectNode sync = o.putObject("reverseSync")
                    .put("state", r.state().name())
                    .put("scanned", r.scanned())
                    .put("added", r.added())
                    .put("changed", r.changed())
                    .put("removed", r.removed())
                    .put("completedScans", r.completedScans());
            if (r.finishedAt() != null) {
                sync.put("finishedAt", r.finishedAt().toString());
            }
            if (r.lastError() != null) {
                sync.put("lastError", r.lastError());
            }
        }
    }

    /** Starts the uploads of every volume; answers 202 with the backlog at the start. */
    void drain(ApiExchange x) throws IOException {
        try {
            runtime.drain(Duration.ZERO); // asks every volume to upload now, waits for none
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        }
        long items = 0;
        long bytes = 0;
        List<VolumeStatus> all = runtime.status();
        for (VolumeStatus s : all) {
            items += s.backlog().pendingItems();
            bytes += s.backlog().pendingBytes();
        }
        LOG.info("console: upload now requested; {} items, {} bytes to upload", items, bytes);
        x.send(
                202,
                ApiExchange.JSON
                        .createObjectNode()
                        .put("started", true)
                        .put("volumes", all.size())
                        .put("items", items)
                        .put("bytes", bytes));
    }
}
