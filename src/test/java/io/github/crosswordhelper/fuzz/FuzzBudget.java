package io.github.crosswordhelper.fuzz;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sets the number of tries of every jqwik property in a class from the system property {@code fuzz.tries}
 * (default {@value #DEFAULT_TRIES}), and prints how many inputs each property ran and how fast.
 *
 * <p>{@code @Property(tries = ...)} takes a constant, so the count is set here, in an {@link AroundPropertyHook}
 * that runs before the property: {@code ./mvnw test -Dtest='*Fuzz*' -Dfuzz.tries=1000000} for a long run (surefire
 * passes {@code -D} user properties on to the forked test JVM). {@code -Dfuzz.seed=...} replays one run.
 */
public final class FuzzBudget implements AroundPropertyHook {

    /** Inputs per property by default: enough for CI, the whole fuzz class stays well under 60 s. */
    public static final int DEFAULT_TRIES = 2000;

    private static final Map<String, String> SUMMARY = new ConcurrentSkipListMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!SUMMARY.isEmpty()) {
                System.out.println("[fuzz] summary (inputs per property):");
                SUMMARY.forEach((k, v) -> System.out.println("[fuzz]   " + k + ": " + v));
            }
        }));
    }

    public static int tries() {
        return Integer.getInteger("fuzz.tries", DEFAULT_TRIES);
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        context.attributes().setTries(tries());
        String seed = System.getProperty("fuzz.seed");
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed);
        }
        long start = System.nanoTime();
        PropertyExecutionResult result = property.execute();
        double seconds = (System.nanoTime() - start) / 1e9;
        String line = String.format("%d inputs (%d checked) in %.1f s, %.0f inputs/s, seed %s, %s",
                result.countTries(), result.countChecks(), seconds, result.countTries() / Math.max(seconds, 1e-9),
                result.seed().orElse("?"), result.status());
        String name = context.containerClass().getSimpleName() + "." + context.targetMethod().getName();
        System.out.println("[fuzz] " + name + ": " + line);
        SUMMARY.put(name, line);
        return result;
    }

    /** Registered on a class, the hook applies to each property in it (jqwik's default is the class alone). */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.DIRECT_DESCENDANTS;
    }

    @Override
    public int aroundPropertyProximity() {
        // Outside jqwik's own hooks, so the timing covers the whole property.
        return -100;
    }
}
