package dev.sgw.core.sync;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.sgw.core.file.RemoteChanges;
import dev.sgw.core.meta.Durability;
import dev.sgw.core.meta.MetaKey;
import dev.sgw.core.meta.MetaKeys;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reverse sync of one file share: makes objects that other tools wrote to the share's part of the bucket
 * appear in the share, changed objects change and deleted ones disappear, without discarding local changes
 * not yet uploaded. Importing a share over a prefix that already holds objects is its first scan.
 *
 * <p>A scan lists the whole share flat, in key order, with the next page requested while the current one
 * is merged ({@link ListingPrefetch}), and merges each key into the local namespace as it comes
 * ({@link NamespaceMerge}). A flat listing costs one request per 1,000 keys whatever the shape of the tree;
 * a listing per directory (delimiter {@code "/"}) costs at least one request per directory, which a tree of
 * many small directories turns into many times more requests, and its many cursors would all have to go
 * into the checkpoint. The flat listing is sequential (each page's token comes from the one before), so
 * its speed is one page per store round trip; prefetching hides the merge behind the round trip.
 *
 * <p>Checkpoints: after a listing page, once {@link ReverseSyncSettings#checkpointObjects()} keys or
 * {@link ReverseSyncSettings#checkpointInterval()} passed since the last one, the scan stores the listing
 * token of the next page, the last key merged and its counts under {@link MetaKeys#syncCheckpoint} (DURABLE).
 * A scan that did not complete (failure, close, crash) resumes there: directories finished before that key
 * are not listed again. What a resumed scan repeats: the keys after the checkpoint that the earlier run
 * already merged are listed and compared again; each causes a call only if the namespace still differs (a
 * file whose {@code objectSeen} took effect now matches; a removed entry is no longer listed locally), and
 * {@code directorySeen} may be called again for the directories on the path of the checkpoint's key that are
 * missing locally. Every call is idempotent. The counts resume from the checkpoint's, so work done after the
 * checkpoint by the earlier run is counted again only where it is redone. If the store refuses the token
 * ({@code INVALID}), the scan starts from the beginning. A completed scan marks its checkpoint complete, so
 * the next scan starts from the beginning.
 *
 * <p>Nothing is judged gone from a failed listing: a local entry is removed only once a page listed after
 * it arrived, or the listing ended, so a scan that fails removes nothing beyond the last key listed.
 *
 * <table>
 *   <caption>Scan states ({@link ScanState})</caption>
 *   <tr><th>state</th><th>means</th><th>event</th><th>next</th></tr>
 *   <tr><td>IDLE</td><td>no scan running; the last one (if any) completed</td><td>{@link #scanNow()},
 *       {@link #scan()} or the interval</td><td>SCANNING (from the beginning, or resuming an unfinished
 *       checkpoint left by an earlier process)</td></tr>
 *   <tr><td>SCANNING</td><td>one scan runs; a second request joins it (never two at once)</td><td>the
 *       listing ends and every entry is merged</td><td>IDLE, checkpoint marked complete</td></tr>
 *   <tr><td>SCANNING</td><td></td><td>a bucket, namespace or metadata error; or {@link #close()}</td>
 *       <td>FAILED with the error, checkpoint kept</td></tr>
 *   <tr><td>FAILED</td><td>the last scan stopped; its checkpoint is kept</td><td>{@link #scanNow()},
 *       {@link #scan()} or the next interval</td><td>SCANNING, resuming from the checkpoint</td></tr>
 * </table>
 *
 * <p>Periodic scans ({@link #start()}) run {@link ReverseSyncSettings#interval()} after the end of the
 * previous scan, so they never overlap. Progress ({@link #progress()}) is logged every
 * {@link ReverseSyncSettings#logInterval()} during a scan and at its end. Thread-safe.
 */
public final class ReverseSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReverseSync.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final String share;
    private final ObjectStore store;
    private final RemoteChanges target;
    private final MetadataStore metadata;
    private final MetaKey checkpointKey;
    /** Replaced (under {@link #lock}) when the interval changes ({@link #setInterval}). */
    private volatile ReverseSyncSettings settings;

    private final ExecutorService listingExecutor;
    private final ReverseSyncMetrics metrics;

    private final Object lock = new Object();
    private ScanState state = ScanState.IDLE;
    private volatile ScanTally tally = new ScanTally();
    private String lastError;
    private Instant startedAt;
    private Instant finishedAt;
    private boolean resumed;
    private long completedScans;
    private long runStartNanos;
    private long runEndNanos;
    private long scannedAtRunStart;
    private CompletableFuture<ScanProgress> running;
    private ScheduledExecutorService scheduler;
    /** Whether {@link #start} was called: periodic scans are wanted whenever the interval is not zero. */
    private boolean periodic;
    /** The next periodic scan, while one is scheduled and not yet started. */
    private ScheduledFuture<?> nextScan;

    private volatile boolean closed;

    /**
     * @param share    the share's name (logs, metrics)
     * @param store    the share's store, rooted at the share's prefix: its keys are share paths
     * @param target   the share's namespace
     * @param metadata where the checkpoint is kept, under {@code MetaKeys.syncCheckpoint(volume)}
     * @param volume   the share's volume id in {@code metadata}
     * @param registry meters are registered here when not {@code null} (see {@link ReverseSyncMetrics})
     */
    public ReverseSync(
            String share,
            ObjectStore store,
            RemoteChanges target,
            MetadataStore metadata,
            int volume,
            ReverseSyncSettings settings,
            MeterRegistry registry) {
        this.share = Objects.requireNonNull(share, "share");
        this.store = Objects.requireNonNull(store, "store");
        this.target = new StillGoneCheck(Objects.requireNonNull(target, "target"), store);
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.checkpointKey = MetaKeys.syncCheckpoint(volume);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listingExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("reverse-sync-list-" + share + "-", 0).factory());
        this.metrics = registry == null ? null : new ReverseSyncMetrics(registry, share, this::progress);
    }

    /** Starts periodic scans, the first one interval from now; does nothing when the interval is zero. */
    public void start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("reverse sync of share " + share + " is closed");
            }
            periodic = true;
            if (settings.interval().isZero() || scheduler != null) {
                return;
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "reverse-sync-timer-" + share);
                thread.setDaemon(true);
                return thread;
            });
            scheduleNext();
        }
    }

    /**
     * Changes the time between periodic scans while the share is open: a scan waiting to start is scheduled
     * again, {@code interval} from now; a running scan schedules the next one with the new interval when it
     * ends. Zero stops periodic scans after the current one; a later non-zero interval starts them again.
     */
    public void setInterval(Duration interval) {
        synchronized (lock) {
            settings = settings.withInterval(interval);
            if (closed || !periodic) {
                return;
            }
            if (scheduler == null) {
                periodic = false;
                start();
                return;
            }
            if (nextScan != null && nextScan.cancel(false)) {
                nextScan = null;
                scheduleNext();
            } else if (nextScan == null && (running == null || running.isDone())) {
                scheduleNext(); // no periodic scan pending or running: the chain had stopped at zero
            }
        }
        LOG.info("{}: reverse sync interval now {}", share, interval);
    }

    /**
     * Starts a scan unless one is running, and returns the running scan's future: it completes with the
     * final progress, or exceptionally with the error that failed the scan.
     */
    public CompletableFuture<ScanProgress> scanNow() {
        synchronized (lock) {
            if (running != null && !running.isDone()) {
                return running;
            }
            if (closed) {
                return CompletableFuture.failedFuture(new IOException("reverse sync of share " + share + " is closed"));
            }
            CompletableFuture<ScanProgress> scan = new CompletableFuture<>();
            running = scan;
            Thread.ofVirtual().name("reverse-sync-" + share).start(() -> {
                try {
                    scan.complete(runScan());
                } catch (Throwable e) {
                    scan.completeExceptionally(e);
                }
            });
            return scan;
        }
    }

    /** Runs a scan (or joins the running one) and waits for its end. */
    public ScanProgress scan() throws IOException, InterruptedException {
        try {
            return scanNow().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("reverse sync of share " + share + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** The state and counts of the current or last scan. */
    public ScanProgress progress() {
        ScanTally t = tally;
        synchronized (lock) {
            long end = state == ScanState.SCANNING ? System.nanoTime() : runEndNanos;
            long nanos = runStartNanos == 0 ? 0 : Math.max(0, end - runStartNanos);
            double rate = nanos == 0 ? 0 : (t.scanned - scannedAtRunStart) * 1e9 / nanos;
            return new ScanProgress(
                    share,
                    state,
                    t.scanned,
                    t.added,
                    t.changed,
                    t.removed,
                    t.skipped,
                    t.keptLocal,
                    t.directoriesDone,
                    -1,
                    rate,
                    Duration.ofNanos(nanos),
                    startedAt,
                    finishedAt,
                    resumed,
                    completedScans,
                    lastError);
        }
    }

    /**
     * Stops periodic scans, stops a running scan at its next page (after writing its checkpoint, so the
     * next process resumes it) and waits up to 30 s for it. Later calls do nothing.
     */
    @Override
    public void close() {
        CompletableFuture<ScanProgress> scan;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            scan = running;
        }
        if (scan != null) {
            try {
                scan.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("{}: scan ended on close: {}", share, e.toString());
            }
        }
        listingExecutor.shutdown();
        if (metrics != null) {
            metrics.close();
        }
    }

    // ---- the scan --------------------------------------------------------------------------------

    private ScanProgress runScan() throws IOException {
        long runStart = System.nanoTime();
        try {
            ScanCheckpoint checkpoint =
                    loadCheckpoint().filter(ScanCheckpoint::resumable).orElse(null);
            begin(checkpoint);
            if (checkpoint != null) {
                LOG.info(
                        "{}: reverse sync resumes after '{}' ({} keys scanned before)",
                        share,
                        checkpoint.lastKey(),
                        checkpoint.scanned());
            } else {
                LOG.info("{}: reverse sync scan started", share);
            }
            listAndMerge(checkpoint);
        } catch (IOException | RuntimeException e) {
            end(e);
            LOG.warn("{}: reverse sync failed: {}", share, progress().summary());
            if (metrics != null) {
                metrics.scanEnded(false, System.nanoTime() - runStart);
            }
            throw e;
        }
        end(null);
        ScanProgress result = progress();
        LOG.info("{}: reverse sync done: {}", share, result.summary());
        if (metrics != null) {
            metrics.scanEnded(true, System.nanoTime() - runStart);
        }
        return result;
    }

    private void listAndMerge(ScanCheckpoint checkpoint) throws IOException {
        ListRequest first = new ListRequest("", null, null, settings.pageSize());
        ScanTally t = tally;
        long startedMillis = startedAt.toEpochMilli();
        NamespaceMerge merge = new NamespaceMerge(share, target, t, checkpoint == null ? null : checkpoint.lastKey());
        ListingPrefetch pages = new ListingPrefetch(
                store, checkpoint == null ? first : first.next(checkpoint.token()), listingExecutor);
        try {
            ListPage page;
            try {
                page = pages.next();
            } catch (ObjectStoreException e) {
                if (checkpoint == null || e.code() != ObjectStoreException.Code.INVALID) {
                    throw e;
                }
                LOG.warn(
                        "{}: the store refused the checkpoint's listing token ({}); the scan starts from the beginning",
                        share,
                        e.getMessage());
                pages.close();
                begin(null);
                t = tally;
                startedMillis = startedAt.toEpochMilli();
                merge = new NamespaceMerge(share, target, t, null);
                pages = new ListingPrefetch(store, first, listingExecutor);
                page = pages.next();
            }
            long sinceCheckpoint = 0;
            long checkpointedAt = System.nanoTime();
            long loggedAt = checkpointedAt;
            while (true) {
                for (ObjectInfo object : page.objects()) {
                    merge.accept(object);
                }
                if (page.isLast()) {
                    break;
                }
                sinceCheckpoint += page.objects().size();
                long now = System.nanoTime();
                if (closed
                        || sinceCheckpoint >= settings.checkpointObjects()
                        || now - checkpointedAt >= settings.checkpointInterval().toNanos()) {
                    saveCheckpoint(ScanCheckpoint.of(false, page.nextToken(), merge.lastKey(), startedMillis, t));
                    sinceCheckpoint = 0;
                    checkpointedAt = now;
                }
                if (closed) {
                    throw new IOException("reverse sync of share " + share + " was closed during a scan");
                }
                if (now - loggedAt >= settings.logInterval().toNanos()) {
                    LOG.info("{}: reverse sync: {}", share, progress().summary());
                    loggedAt = now;
                }
                page = pages.next();
            }
            merge.finish();
            saveCheckpoint(ScanCheckpoint.of(true, null, null, startedMillis, t));
        } finally {
            pages.close();
        }
    }

    /** Enters SCANNING, with the counts of {@code checkpoint} when resuming, from zero otherwise. */
    private void begin(ScanCheckpoint checkpoint) {
        synchronized (lock) {
            tally = checkpoint == null ? new ScanTally() : ScanTally.of(checkpoint);
            state = ScanState.SCANNING;
            startedAt = checkpoint == null ? Instant.now() : Instant.ofEpochMilli(checkpoint.startedAtMillis());
            finishedAt = null;
            resumed = checkpoint != null;
            lastError = null;
            runStartNanos = System.nanoTime();
            scannedAtRunStart = tally.scanned;
        }
    }

    private void end(Throwable error) {
        synchronized (lock) {
            runEndNanos = System.nanoTime();
            finishedAt = Instant.now();
            if (error == null) {
                state = ScanState.IDLE;
                completedScans++;
            } else {
                state = ScanState.FAILED;
                lastError = error.getMessage() == null ? error.toString() : error.getMessage();
            }
        }
    }

    private Optional<ScanCheckpoint> loadCheckpoint() throws IOException {
        Optional<byte[]> stored = metadata.get(checkpointKey);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ScanCheckpoint.decode(stored.get()));
        } catch (IOException unreadable) {
            LOG.warn(
                    "{}: reverse-sync checkpoint unreadable ({}); the scan starts from the beginning",
                    share,
                    unreadable.getMessage());
            return Optional.empty();
        }
    }

    private void saveCheckpoint(ScanCheckpoint checkpoint) throws IOException {
        byte[] value = checkpoint.encode();
        metadata.update(batch -> batch.put(checkpointKey, value), Durability.DURABLE);
    }

    // ---- periodic scans --------------------------------------------------------------------------

    // the periodic scan re-arms itself and logs its own failures; nothing waits for it
    @SuppressWarnings("FutureReturnValueIgnored")
    private void scheduleNext() {
        synchronized (lock) {
            if (closed || scheduler == null || settings.interval().isZero()) {
                nextScan = null;
                return;
            }
            nextScan =
                    scheduler.schedule(this::periodicScan, settings.interval().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    // the periodic scan re-arms itself and logs its own failures; nothing waits for it
    @SuppressWarnings("FutureReturnValueIgnored")
    private void periodicScan() {
        synchronized (lock) {
            nextScan = null;
        }
        scanNow().whenComplete((progress, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                LOG.debug(
                        "{}: periodic reverse sync failed; retried in {}: {}",
                        share,
                        settings.interval(),
                        cause.toString());
            }
            scheduleNext();
        });
    }

    /**
     * Asks the bucket again before a local file or directory is removed for being absent from the
     * listing: the listing is fetched ahead of the merge, so a file the uploader put after its page was
     * fetched would otherwise look gone, and an acknowledged write would be deleted.
     */
    private record StillGoneCheck(RemoteChanges target, ObjectStore store) implements RemoteChanges {
        @Override
        public java.util.List<LocalEntry> list(String dirPath) throws IOException {
            return target.list(dirPath);
        }

        @Override
        public void objectSeen(String path, String etag, long size, long lastModifiedNanos) throws IOException {
            target.objectSeen(path, etag, size, lastModifiedNanos);
        }

        @Override
        public void directorySeen(String dirPath) throws IOException {
            target.directorySeen(dirPath);
        }

        @Override
        public void objectGone(String path, LocalEntry local) throws IOException {
            if (local != null && local.type() == dev.sgw.core.volume.FileType.DIRECTORY) {
                target.objectGone(path, local); // removed only when empty, and what is in it was asked for
                return;
            }
            try {
                store.head(path);
                return; // there after all: uploaded after the listing page was fetched
            } catch (ObjectStoreException e) {
                if (e.code() != ObjectStoreException.Code.NOT_FOUND) {
                    throw e;
                }
            }
            target.objectGone(path, local);
        }
    }
}
