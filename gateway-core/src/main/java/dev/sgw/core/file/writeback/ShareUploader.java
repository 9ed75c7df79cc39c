package dev.sgw.core.file.writeback;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.sgw.core.file.ShareVolume;
import dev.sgw.core.file.WritebackEntry;
import dev.sgw.core.file.WritebackSource;
import dev.sgw.core.file.WritebackSource.PendingFile;
import dev.sgw.core.file.upload.FileObjectWriter;
import dev.sgw.core.file.upload.StaleUploadSweeper;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.volume.BucketSync;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background uploader of one file share: takes the share's write-back journal
 * ({@link ShareVolume#writeback()}) and applies it to the share's bucket, file by file, and is the share's
 * {@link BucketSync}. Started by the gateway after {@link ShareVolume#open}, closed before the share.
 *
 * <h2>An entry's upload states</h2>
 * <pre>
 * state    | held                       | event                                        -&gt; next state
 * ---------+----------------------------+---------------------------------------------------------------------
 * (journal)| only in the journal        | read by the dispatcher (window not full)     -&gt; WAITING, due now (a
 *          |                            |                                                 CONTENT: when its file
 *          |                            |                                                 is quiet for the delay)
 * WAITING  | in the window, no worker   | due, not blocked, a worker free              -&gt; RUNNING
 *          |                            | uploadNow / awaitUploaded                    -&gt; WAITING, quiet wait
 *          |                            |                                                 dropped (due now)
 * RUNNING  | one worker applies it      | applied, entryDone                           -&gt; gone (journal too)
 *          |                            | CONTENT not quiet yet (changed since read),  -&gt; WAITING, due when quiet
 *          |                            |   or superseded (changed while uploading)
 *          |                            | its paths moved, a rename of it still to go  -&gt; WAITING, due in 100 ms
 *          |                            | failed (bucket down, throttled, I/O)         -&gt; WAITING, due after a
 *          |                            |                                                 backoff (200 ms doubling
 *          |                            |                                                 to maxBackoff, jittered)
 * </pre>
 *
 * <h2>Order (the journal's rule: an entry starts only after earlier entries on its paths or inode)</h2>
 * <ul>
 *   <li>A RENAME or REMOVE waits for every earlier RENAME or REMOVE that touches the same inode or path
 *       (a directory rename: its whole old and new subtrees), and for any CONTENT upload running on them.</li>
 *   <li>A CONTENT entry means "make the bucket match the file as it is now", so it waits for every RENAME
 *       or REMOVE in the window on its inode or current paths, earlier or later (the object is moved
 *       first, then written at the new path on the moved object's ETag), and for another CONTENT upload
 *       running on those paths. It is never started while the share reports a rename of it pending.</li>
 *   <li>Independent entries run in parallel on {@code workers} threads; a large file's parts go out on a
 *       part pool of {@code workers * partConcurrency} threads.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * An entry is deleted from the journal only after it was applied, so nothing is lost: a failed attempt
 * (an {@link ObjectStoreException}: the bucket down or throttling; or any other I/O error) puts the entry
 * back with a jittered exponential backoff, forever. A bucket failure also pauses all starts for the
 * share's streak backoff. One WARN when a streak of failures starts, one INFO when uploads succeed again.
 *
 * <h2>Close</h2>
 * No new entry starts; uploads in flight stop at their next part (their content check fails) or finish,
 * waited for up to {@code closeWait}; everything not done stays in the journal and resumes at the next start.
 */
public final class ShareUploader implements BucketSync, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShareUploader.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long RESCAN_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SWEEP_RETRY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int READ_PAGE = 1000;

    private final WritebackSource source;
    private final String share;
    private final ObjectStore bucket;
    private final WritebackSettings settings;
    private final Clock clock;
    private final EntryApplier applier;
    private final ExecutorService workers;
    private final ThreadPoolExecutor parts;
    private final Thread dispatcher;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** The window: journal entries read and not done, by sequence. Guarded by {@link #lock}. */
    private final TreeMap<Long, UploadJob> jobs = new TreeMap<>();
    /** Inode -> origin of a STALE upload whose new CONTENT entry is not read yet. */
    private final Map<Long, Long> carried = new HashMap<>();
    /** Entries done while a journal rescan was reading (so the rescan does not bring them back). */
    private final Set<Long> doneDuringRead = new HashSet<>();

    private boolean reading;
    private long lastRead;
    private long lastRescanNanos;
    private int running;
    private long pausedUntilNanos;
    private int streak;
    private long streakStartNanos;
    /** Entries (and what they carry) up to this sequence go without the quiet delay ({@link #uploadNow}). */
    private volatile long forcedThrough = -1;

    private volatile boolean closing;
    private final AtomicLong failedAttempts = new AtomicLong();
    private long progressAtNanos;
    private long progressBytes;
    private boolean swept;
    /** Entries up to this sequence were journaled before the start. */
    private long resumeThrough = -1;

    private long nextSweepNanos;

    private ShareUploader(
            ShareVolume volume, ObjectStore bucket, WritebackSettings settings, MeterRegistry registry, Clock clock) {
        this.source = volume.writeback();
        this.share = source.shareName();
        this.bucket = bucket;
        this.settings = settings;
        this.clock = clock;
        int partThreads = settings.workers() * settings.tuning().partConcurrency();
        this.parts = new ThreadPoolExecutor(
                partThreads,
                partThreads,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                Thread.ofPlatform()
                        .daemon()
                        .name("upload-part-" + share + "-", 0)
                        .factory());
        this.parts.allowCoreThreadTimeOut(true);
        FileObjectWriter writer = new FileObjectWriter(bucket, settings.tuning(), parts, registry, clock);
        this.applier = new EntryApplier(
                source, bucket, writer, clock, volume.config().uploadDelay().toNanos(), () -> closing);
        this.workers = Executors.newFixedThreadPool(
                settings.workers(),
                Thread.ofPlatform().daemon().name("upload-" + share + "-", 0).factory());
        this.dispatcher =
                Thread.ofPlatform().daemon().name("writeback-" + share).unstarted(this::dispatch);
        if (registry != null) {
            registerMeters(registry);
        }
    }

    /**
     * Starts uploading share {@code volume} to {@code bucket} (the share's store, rooted at its prefix) and
     * installs this uploader as the share's {@link BucketSync}. Entries left in the journal by an earlier
     * run resume; multipart uploads under the share older than {@code staleUploadAge} are aborted first.
     *
     * @param registry where the backlog meters go ({@code sgw.writeback.*}, tag {@code share}), or null
     */
    public static ShareUploader start(
            ShareVolume volume, ObjectStore bucket, WritebackSettings settings, MeterRegistry registry) {
        return start(volume, bucket, settings, registry, Clock.systemUTC());
    }

    /** {@link #start(ShareVolume, ObjectStore, WritebackSettings, MeterRegistry)} with the clock of quiet delays and conflict names. */
    public static ShareUploader start(
            ShareVolume volume, ObjectStore bucket, WritebackSettings settings, MeterRegistry registry, Clock clock) {
        ShareUploader u = new ShareUploader(
                Objects.requireNonNull(volume, "volume"),
                Objects.requireNonNull(bucket, "bucket"),
                Objects.requireNonNull(settings, "settings"),
                registry,
                Objects.requireNonNull(clock, "clock"));
        volume.useBucketSync(u);
        u.progressAtNanos = System.nanoTime();
        u.dispatcher.start();
        return u;
    }

    // ---- BucketSync ------------------------------------------------------------------------------

    /**
     * Pending items are the journal's entries not done (files, renames, removals); pending bytes the sizes
     * of the files among them that the uploader has read so far.
     */
    @Override
    public Backlog backlog() {
        long bytes = 0;
        lock.lock();
        try {
            for (UploadJob job : jobs.values()) {
                bytes += job.isContent() ? job.bytes : 0;
            }
        } finally {
            lock.unlock();
        }
        return new Backlog(
                source.backlog(),
                bytes,
                applier.uploadedItems.get(),
                applier.uploadedBytes.get(),
                failedAttempts.get(),
                applier.conflicts.get());
    }

    /**
     * Changes the upload delay while the share is open: files waiting to be quiet are looked at again at once
     * and wait for what is left of the new delay (a shorter one lets them go sooner, a longer one holds them
     * longer); files read later wait the new delay.
     */
    public void setUploadDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative upload delay: " + delay);
        }
        applier.setDelayNanos(delay.toNanos());
        lock.lock();
        try {
            long now = System.nanoTime();
            for (UploadJob job : jobs.values()) {
                if (job.state == UploadJob.State.WAITING && job.waitingQuiet) {
                    job.dueNanos = now;
                }
            }
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.info("share {}: upload delay now {}", share, delay);
    }

    /** Takes the journal's last sequence (a scan of the journal's keys) and drops the quiet delay up to it. */
    @Override
    public void uploadNow() {
        try {
            forceThrough(lastSequence());
        } catch (IOException e) {
            LOG.warn("share {}: cannot read the journal for uploadNow: {}", share, e.toString());
        }
    }

    private void forceThrough(long sequence) {
        lock.lock();
        try {
            forcedThrough = Math.max(forcedThrough, sequence);
            long now = System.nanoTime();
            for (UploadJob job : jobs.values()) {
                if (job.state == UploadJob.State.WAITING && job.waitingQuiet && job.origin <= forcedThrough) {
                    job.dueNanos = now;
                    job.waitingQuiet = false;
                }
            }
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Uploads everything journaled before the call (without the upload delay) and waits until it is in the
     * bucket: every entry up to the journal's last one at the call is done, and no file of theirs was left
     * pending by a change made while it uploaded.
     */
    @Override
    public boolean awaitUploaded(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = lastSequence();
        forceThrough(last);
        while (true) {
            if (uploaded(last)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            lock.lockInterruptibly();
            try {
                wake.await(20, TimeUnit.MILLISECONDS);
            } finally {
                lock.unlock();
            }
        }
    }

    /** The sequence of the journal's last entry (0 if it is empty). */
    private long lastSequence() throws IOException {
        long last = 0;
        for (List<WritebackEntry> page = source.journal(0, READ_PAGE);
                !page.isEmpty();
                page = source.journal(last, READ_PAGE)) {
            last = page.getLast().sequence();
        }
        return last;
    }

    private boolean uploaded(long last) throws IOException {
        List<WritebackEntry> first = source.journal(0, 1);
        if (!first.isEmpty() && first.getFirst().sequence() <= last) {
            return false;
        }
        lock.lock();
        try {
            for (UploadJob job : jobs.values()) {
                if (job.origin <= last) {
                    return false;
                }
            }
            return carried.values().stream().noneMatch(origin -> origin <= last);
        } finally {
            lock.unlock();
        }
    }

    // ---- close -----------------------------------------------------------------------------------

    /** Stops taking entries, waits up to {@code closeWait} for those in flight; the rest stay journaled. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            dispatcher.join(settings.closeWait().toMillis() + 1000);
            workers.shutdown();
            if (!workers.awaitTermination(settings.closeWait().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "share {}: {} uploads still running after {} s; they are left to end on their own, their "
                                + "entries stay in the journal",
                        share,
                        running,
                        settings.closeWait().toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        parts.shutdown();
        Backlog b = backlog();
        LOG.info(
                "share {}: uploader closed: {} uploaded ({}) since start, {} failed attempts, {} conflicts; {} "
                        + "journal entries left for the next start",
                share,
                b.uploadedItems(),
                mib(b.uploadedBytes()),
                b.failedAttempts(),
                b.conflicts(),
                b.pendingItems());
    }

    // ---- the dispatcher --------------------------------------------------------------------------

    private void dispatch() {
        try {
            while (resumeThrough < 0 && !closing) {
                try {
                    resumeThrough = lastSequence();
                } catch (IOException e) {
                    LOG.warn("share {}: cannot read the journal: {}", share, e.toString());
                    Thread.sleep(1000);
                }
            }
            while (!closing) {
                sweepStaleUploads();
                readJournal();
                long wait;
                lock.lock();
                try {
                    wait = Math.min(startDue(), POLL_NANOS);
                    if (wait > 0 && !closing) {
                        wake.awaitNanos(wait);
                    }
                } finally {
                    lock.unlock();
                }
                logProgress();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("share {}: the uploader's dispatcher failed; uploads stop until the share is reopened", share, e);
        }
    }

    private void sweepStaleUploads() {
        if (swept || System.nanoTime() < nextSweepNanos) {
            return;
        }
        try {
            int aborted = new StaleUploadSweeper(bucket, clock).sweep("", settings.staleUploadAge());
            swept = true;
            if (aborted > 0) {
                LOG.info("share {}: aborted {} stale multipart uploads", share, aborted);
            }
        } catch (ObjectStoreException e) {
            nextSweepNanos = System.nanoTime() + SWEEP_RETRY_NANOS;
            LOG.warn(
                    "share {}: cannot list stale multipart uploads ({}); trying again in a minute",
                    share,
                    e.getMessage());
        }
    }

    /** Reads new journal entries into the window; now and then from the start, for late-committed ones. */
    private void readJournal() {
        long after;
        int room;
        lock.lock();
        try {
            room = settings.window() - jobs.size();
            if (room <= 0) {
                return;
            }
            boolean rescan = System.nanoTime() - lastRescanNanos > RESCAN_NANOS && source.backlog() > jobs.size();
            after = rescan ? 0 : lastRead;
            if (rescan) {
                lastRescanNanos = System.nanoTime();
            }
            reading = true;
            doneDuringRead.clear();
        } finally {
            lock.unlock();
        }
        List<UploadJob> read = new ArrayList<>();
        long last = after;
        try {
            while (read.size() < room) {
                List<WritebackEntry> page = source.journal(last, Math.min(READ_PAGE, room - read.size()));
                for (WritebackEntry e : page) {
                    read.add(newJob(e));
                }
                if (page.size() < READ_PAGE) {
                    break;
                }
                last = page.getLast().sequence();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("share {}: reading the journal failed: {}", share, e.toString());
        }
        lock.lock();
        try {
            reading = false;
            for (UploadJob job : read) {
                long seq = job.sequence();
                if (jobs.containsKey(seq) || doneDuringRead.contains(seq)) {
                    continue;
                }
                Long origin = job.isContent() ? carried.remove(job.entry.inode()) : null;
                if (origin != null) {
                    job.origin = Math.min(job.origin, origin);
                }
                job.resumed = seq <= resumeThrough;
                jobs.put(seq, job);
                lastRead = Math.max(lastRead, seq);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A job for a journal entry; a CONTENT entry's paths and quiet time are looked up now. */
    private UploadJob newJob(WritebackEntry e) throws IOException {
        if (!e.kind().equals(WritebackEntry.Kind.CONTENT)) {
            UploadJob job = new UploadJob(e, UploadJob.claimsOf(e));
            job.dueNanos = System.nanoTime();
            return job;
        }
        Optional<PendingFile> pending = source.pendingFile(e.inode());
        UploadJob job = new UploadJob(
                e, UploadJob.contentClaims(pending.map(PendingFile::paths).orElse(List.of())));
        job.bytes = pending.map(PendingFile::size).orElse(0L);
        job.seenAtNanos = EntryApplier.epochNanos(clock.instant());
        boolean forced = e.sequence() <= forcedThrough;
        long wait = pending.map(p -> applier.quietIn(job, p.changedAtNanos(), forced))
                .orElse(0L);
        job.dueNanos = System.nanoTime() + wait;
        job.waitingQuiet = wait > 0;
        return job;
    }

    /**
     * Starts every due, unblocked job a worker is free for (holding the lock); returns the nanoseconds to
     * the next due time of a waiting job.
     */
    private long startDue() {
        long now = System.nanoTime();
        if (closing) {
            return POLL_NANOS;
        }
        if (now < pausedUntilNanos) {
            return pausedUntilNanos - now;
        }
        PathClaims renamesAndRemoves = new PathClaims();
        PathClaims runningContent = new PathClaims();
        for (UploadJob job : jobs.values()) {
            if (!job.isContent()) {
                renamesAndRemoves.add(job.entry.inode(), job.claims);
            } else if (job.state == UploadJob.State.RUNNING) {
                runningContent.add(job.entry.inode(), job.claims);
            }
        }
        PathClaims earlier = new PathClaims();
        long next = Long.MAX_VALUE;
        for (UploadJob job : jobs.values()) {
            if (running >= settings.workers()) {
                break; // a finishing job wakes the dispatcher
            }
            if (job.state == UploadJob.State.WAITING) {
                if (job.dueNanos - now > 0) {
                    next = Math.min(next, job.dueNanos - now);
                } else {
                    long inode = job.entry.inode();
                    boolean blocked = job.isContent()
                            ? renamesAndRemoves.overlaps(inode, job.claims)
                                    || runningContent.overlaps(inode, job.claims)
                            : earlier.overlaps(inode, job.claims) || runningContent.overlaps(inode, job.claims);
                    if (!blocked) {
                        begin(job);
                        if (job.isContent()) {
                            runningContent.add(inode, job.claims);
                        }
                    }
                }
            }
            if (!job.isContent()) {
                earlier.add(job.entry.inode(), job.claims);
            }
        }
        return next;
    }

    private void begin(UploadJob job) {
        job.state = UploadJob.State.RUNNING;
        running++;
        boolean forced = job.origin <= forcedThrough;
        workers.execute(() -> run(job, forced));
    }

    /** On a worker: applies the job, then records what became of it. */
    private void run(UploadJob job, boolean forced) {
        EntryApplier.Step step = null;
        Exception failure = null;
        try {
            step = applier.apply(job, forced);
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        lock.lock();
        try {
            running--;
            job.state = UploadJob.State.WAITING;
            if (failure != null) {
                failed(job, failure);
            } else {
                job.failures = 0;
                succeeded();
                if (step != EntryApplier.Step.LATER) {
                    jobs.remove(job.sequence());
                    if (reading) {
                        doneDuringRead.add(job.sequence());
                    }
                }
                if (step == EntryApplier.Step.DONE_CARRIED) {
                    carry(job);
                }
            }
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A STALE upload left a new CONTENT entry for the file: it inherits this job's origin. */
    private void carry(UploadJob job) {
        long inode = job.entry.inode();
        for (UploadJob other : jobs.tailMap(job.sequence(), false).values()) {
            if (other.isContent() && other.entry.inode() == inode) {
                other.origin = Math.min(other.origin, job.origin);
                return;
            }
        }
        carried.merge(inode, job.origin, Math::min);
    }

    private void failed(UploadJob job, Exception failure) {
        failedAttempts.incrementAndGet();
        job.failures++;
        long now = System.nanoTime();
        job.dueNanos = now + backoff(job.failures);
        job.waitingQuiet = false;
        boolean bucket = failure instanceof ObjectStoreException;
        if (bucket) {
            if (streak == 0) {
                streakStartNanos = now;
            }
            streak++;
            pausedUntilNanos = now + backoff(streak);
        }
        if (job.failures == 1 && (streak <= 1 || !bucket)) {
            LOG.warn(
                    "share {}: uploading {} failed, retrying with backoff up to {} s: {}",
                    share,
                    describe(job),
                    settings.maxBackoff().toSeconds(),
                    failure.toString());
        } else {
            LOG.debug(
                    "share {}: {} failed again ({} in a row): {}",
                    share,
                    describe(job),
                    job.failures,
                    failure.toString());
        }
    }

    private void succeeded() {
        if (streak > 0 && System.nanoTime() >= pausedUntilNanos) {
            LOG.info(
                    "share {}: uploads succeed again after {} failed attempts over {} s",
                    share,
                    streak,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - streakStartNanos));
            streak = 0;
        }
    }

    /** 200 ms doubling per failure up to maxBackoff; uniformly jittered over its upper half. */
    private long backoff(int failures) {
        long cap = settings.maxBackoff().toNanos();
        long base = FIRST_BACKOFF.toNanos() << Math.min(failures - 1, 20);
        long d = Math.min(cap, base);
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }

    private String describe(UploadJob job) {
        WritebackEntry e = job.entry;
        return switch (e.kind()) {
            case CONTENT ->
                "inode " + e.inode()
                        + (job.claims.isEmpty()
                                ? ""
                                : " ('" + job.claims.getFirst().path() + "')");
            case RENAME -> "the rename of '" + e.path() + "' to '" + e.newPath() + "'";
            case REMOVE -> "the removal of '" + e.path() + "'";
        };
    }

    // ---- observability ---------------------------------------------------------------------------

    private void logProgress() {
        long now = System.nanoTime();
        if (now - progressAtNanos < settings.progressInterval().toNanos()) {
            return;
        }
        Backlog b = backlog();
        double seconds = (now - progressAtNanos) / 1e9;
        long bytes = b.uploadedBytes() - progressBytes;
        progressAtNanos = now;
        progressBytes = b.uploadedBytes();
        if (b.pendingItems() > 0) {
            LOG.info(
                    "share {}: {} entries waiting ({} known), {} uploaded since start, {}/s{}",
                    share,
                    b.pendingItems(),
                    mib(b.pendingBytes()),
                    b.uploadedItems(),
                    mib((long) (bytes / seconds)),
                    streak > 0 ? ", bucket failing (" + streak + " attempts)" : "");
        }
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    private void registerMeters(MeterRegistry registry) {
        Gauge.builder("sgw.writeback.pending.items", this, u -> u.source.backlog())
                .tag("share", share)
                .description("journal entries of the share not yet applied to the bucket")
                .register(registry);
        Gauge.builder("sgw.writeback.pending.bytes", this, u -> u.backlog().pendingBytes())
                .tag("share", share)
                .baseUnit("bytes")
                .description("bytes of files waiting for upload, as far as read")
                .register(registry);
        FunctionCounter.builder("sgw.writeback.uploaded.items", applier, a -> a.uploadedItems.get())
                .tag("share", share)
                .register(registry);
        FunctionCounter.builder("sgw.writeback.uploaded.bytes", applier, a -> a.uploadedBytes.get())
                .tag("share", share)
                .baseUnit("bytes")
                .register(registry);
        FunctionCounter.builder("sgw.writeback.failed.attempts", failedAttempts, AtomicLong::get)
                .tag("share", share)
                .register(registry);
    }
}
