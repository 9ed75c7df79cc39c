package dev.sgw.core.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one share's reverse sync, all tagged {@code share}:
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>name</th><th>kind</th><th>more tags</th><th>value</th></tr>
 *   <tr><td>{@value #STATE}</td><td>gauge</td><td></td><td>0 IDLE, 1 SCANNING, 2 FAILED</td></tr>
 *   <tr><td>{@value #OBJECTS}</td><td>gauge</td><td>{@code kind=scanned|added|changed|removed|skipped|kept}</td>
 *       <td>the counts of the current (or last) scan</td></tr>
 *   <tr><td>{@value #RATE}</td><td>gauge</td><td></td><td>keys listed per second in the current (or last) scan</td></tr>
 *   <tr><td>{@value #SCANS}</td><td>counter</td><td>{@code result=completed|failed}</td><td>scans ended</td></tr>
 *   <tr><td>{@value #DURATION}</td><td>timer</td><td></td><td>the duration of each scan run</td></tr>
 * </table>
 *
 * <p>{@link #close()} removes them from the registry.
 */
public final class ReverseSyncMetrics implements AutoCloseable {

    public static final String STATE = "sgw.reversesync.state";
    public static final String OBJECTS = "sgw.reversesync.scan.objects";
    public static final String RATE = "sgw.reversesync.scan.rate";
    public static final String SCANS = "sgw.reversesync.scans";
    public static final String DURATION = "sgw.reversesync.scan.duration";
    public static final String TAG_SHARE = "share";

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter completed;
    private final Counter failed;
    private final Timer duration;

    // the state gauge reports the state's position in its enum, as its documentation lists them
    @SuppressWarnings("EnumOrdinal")
    ReverseSyncMetrics(MeterRegistry registry, String share, Supplier<ScanProgress> progress) {
        this.registry = registry;
        Tags tags = Tags.of(TAG_SHARE, share);
        gauge(STATE, tags, progress, p -> p.state().ordinal());
        gauge(OBJECTS, tags.and("kind", "scanned"), progress, ScanProgress::scanned);
        gauge(OBJECTS, tags.and("kind", "added"), progress, ScanProgress::added);
        gauge(OBJECTS, tags.and("kind", "changed"), progress, ScanProgress::changed);
        gauge(OBJECTS, tags.and("kind", "removed"), progress, ScanProgress::removed);
        gauge(OBJECTS, tags.and("kind", "skipped"), progress, ScanProgress::skipped);
        gauge(OBJECTS, tags.and("kind", "kept"), progress, ScanProgress::keptLocal);
        gauge(RATE, tags, progress, ScanProgress::objectsPerSecond);
        completed =
                add(Counter.builder(SCANS).tags(tags.and("result", "completed")).register(registry));
        failed = add(Counter.builder(SCANS).tags(tags.and("result", "failed")).register(registry));
        duration = add(Timer.builder(DURATION)
                .tags(tags)
                .description("reverse-sync scan runs")
                .register(registry));
    }

    void scanEnded(boolean success, long nanos) {
        (success ? completed : failed).increment();
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private void gauge(String name, Tags tags, Supplier<ScanProgress> progress, ToDoubleFunction<ScanProgress> value) {
        add(Gauge.builder(name, progress, p -> value.applyAsDouble(p.get()))
                .tags(tags)
                .strongReference(true)
                .register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }
}
