package io.tracestream.sparktrace;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records every garbage collection the JVM reports ({@code GarbageCollectorMXBean} notifications, delivered on a
 * JMX service thread after the collection): collector, action, cause, start/end/duration, heap used before and after,
 * per-pool usage after.
 */
final class GcRecorder implements NotificationListener {
    private final Recorder recorder;
    private final List<NotificationEmitter> registered = new ArrayList<>();
    private final Set<String> heapPools = new HashSet<>();
    private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    /** What is registered: this, or this wrapped by the cost accounting when it is on. */
    private final NotificationListener registeredListener = PluginAccounting.gcListener(this);

    private GcRecorder(Recorder recorder) {
        this.recorder = recorder;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                heapPools.add(p.getName());
            }
        }
    }

    static GcRecorder start(Recorder recorder) {
        GcRecorder g = new GcRecorder(recorder);
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (b instanceof NotificationEmitter ne) {
                ne.addNotificationListener(g.registeredListener, null, null);
                g.registered.add(ne);
            }
        }
        return g;
    }

    void stop() {
        for (NotificationEmitter ne : registered) {
            try {
                ne.removeNotificationListener(registeredListener);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
        registered.clear();
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        long nowNs = System.nanoTime();
        long uptimeMs = runtime.getUptime();
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) n.getUserData());
        GcInfo gi = info.getGcInfo();
        // GcInfo times are milliseconds of JVM uptime: map them onto the monotonic clock through "now".
        long startNs = nowNs - (uptimeMs - gi.getStartTime()) * 1_000_000L;
        long endNs = nowNs - (uptimeMs - gi.getEndTime()) * 1_000_000L;
        long usedBefore = 0;
        long usedAfter = 0;
        long committedAfter = 0;
        for (Map.Entry<String, MemoryUsage> e : gi.getMemoryUsageBeforeGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                usedBefore += e.getValue().getUsed();
            }
        }
        Map<String, MemoryUsage> after = gi.getMemoryUsageAfterGc();
        for (Map.Entry<String, MemoryUsage> e : after.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                usedAfter += e.getValue().getUsed();
                committedAfter += e.getValue().getCommitted();
            }
        }
        Emitter em = recorder.emitter();
        if (!em.begin(SparkEvents.GC, Math.min(startNs, nowNs))) {
            return;
        }
        em.str(info.getGcName()).str(info.getGcAction()).str(info.getGcCause()).i64(gi.getId()).i64(startNs)
                .i64(endNs).i64(gi.getDuration()).i64(usedBefore).i64(usedAfter).i64(committedAfter);
        em.count(after.size());
        for (Map.Entry<String, MemoryUsage> e : after.entrySet()) {
            em.str(e.getKey()).i64(e.getValue().getUsed());
        }
        em.end();
    }
}
