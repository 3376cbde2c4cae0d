package io.llmobserve.agent.common;

import io.llmobserve.providers.LlmCall;
import io.opentelemetry.api.trace.Span;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntBiFunction;

/**
 * Tokens for calls whose response reported no usage (DESIGN.md, token estimates): at the end of
 * such a call its span is finished on the agent's counting thread, which tokenises the call's
 * bounded text, writes the counts and their marks, then ends the span with the time the call
 * really ended. Calls that reported usage never get here. Never throws.
 */
final class UsageEstimation {
  private static final String BRIDGE = "io.llmobserve.agent.extension.TokenCounting";
  private static volatile Bridge bridge;
  private static final boolean ENABLED = enabledSetting();

  private UsageEstimation() {}

  /** {@code otel.instrumentation.llm.estimate-tokens} (read once). */
  static boolean enabled() {
    return ENABLED;
  }

  private static boolean enabledSetting() {
    try {
      return LlmSettings.estimateTokens();
    } catch (Throwable t) {
      return true;
    }
  }

  /** The agent-side tokenizer and thread, or nulls (no tokenizer: 4 bytes per token, inline). */
  static final class Bridge {
    final ToIntBiFunction<String, String> counter;
    final Executor executor;

    Bridge(ToIntBiFunction<String, String> counter, Executor executor) {
      this.counter = counter;
      this.executor = executor;
    }
  }

  /**
   * Called once the call's outcome is written: when tokens must be counted, arranges for
   * {@code endAndRecord} (span end at {@code endEpochNanos} + metrics) to run after counting and
   * returns true; false when nothing is to count (the caller ends the span itself).
   */
  static boolean completeLater(LlmCall call, Span span, EndAction endAndRecord) {
    try {
      if (!call.needsUsageEstimate()) {
        return false;
      }
      Instant now = Instant.now();
      long endEpochNanos = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
      Bridge b = bridge();
      Runnable task =
          () -> {
            try {
              call.estimateUsage(b.counter);
              call.writeUsageEstimate(new SpanAttributeSink(span));
            } catch (Throwable ignored) {
              // the span still ends, without estimates
            }
            endAndRecord.end(endEpochNanos);
          };
      if (b.executor != null) {
        try {
          b.executor.execute(task);
          return true;
        } catch (Throwable rejected) {
          // queue full: count here, bounded by the per-call text cap
        }
      }
      task.run();
      return true;
    } catch (Throwable t) {
      return false;
    }
  }

  /** Ends the span at the given time (epoch ns) and records the metrics. */
  interface EndAction {
    void end(long endEpochNanos);
  }

  static Bridge bridge() {
    Bridge b = bridge;
    if (b == null) {
      b = find();
      bridge = b;
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  private static Bridge find() {
    for (ClassLoader loader : new ClassLoader[] {extensionsClassLoader(), UsageEstimation.class.getClassLoader()}) {
      try {
        Class<?> c = Class.forName(BRIDGE, true, loader);
        Method counter = c.getMethod("counter");
        Method executor = c.getMethod("executor");
        return new Bridge(
            (ToIntBiFunction<String, String>) counter.invoke(null), (Executor) executor.invoke(null));
      } catch (Throwable notThere) {
        // next loader
      }
    }
    return new Bridge(null, null);
  }

  /** The upstream agent's loader of extensions (where the tokenizer and its vocabularies live). */
  private static ClassLoader extensionsClassLoader() {
    try {
      Class<?> initializer =
          Class.forName("io.opentelemetry.javaagent.bootstrap.AgentInitializer", false, null);
      return (ClassLoader) initializer.getMethod("getExtensionsClassLoader").invoke(null);
    } catch (Throwable t) {
      return null;
    }
  }
}
