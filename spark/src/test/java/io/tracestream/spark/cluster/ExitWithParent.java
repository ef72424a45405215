package io.tracestream.spark.cluster;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs a main class (a Spark Master, Worker or test driver) and exits the JVM as soon as its standard input reaches
 * its end, which happens when the test JVM that started it dies, however it dies: so a killed test run leaves no
 * Spark JVMs behind. Spark's own shutdown hooks then run (a Worker kills its executors).
 *
 * <p>Usage: {@code java ... io.tracestream.spark.cluster.ExitWithParent MAIN_CLASS ARGS...}
 */
public final class ExitWithParent {
    private ExitWithParent() {
    }

    public static void main(String[] args) throws Exception {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent writes nothing; EOF means it is gone
                }
            } catch (Exception ignored) {
                // treated as EOF
            }
            System.exit(3);
        }, "exit-with-parent");
        watch.setDaemon(true);
        watch.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
