package io.llmobserve.agent.common;

import io.llmobserve.providers.LlmCall;
import io.opentelemetry.api.trace.Span;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntBiFunction;

/**
 * Tokens for calls whose response reported no usage (DESIGN.md, token estimates): at the end of
 * such a call, its bounded text is counted on the thread that ends it (tens of microseconds per KB
 * once the encoding is loaded; capped per call) and the counts and marks are written before the
 * span ends, so nothing is lost when the app exits right after. Until the agent-side tokenizer has
 * loaded (in the background, from the first call that needed it on), calls are estimated at 4 UTF-8
 * bytes per token and marked so. Calls that reported usage never get here. Never throws.
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

  /** The agent-side tokenizer, or nulls (no agent: 4 bytes per token). */
  static final class Bridge {
    final ToIntBiFunction<String, String> counter;
    final BooleanSupplier ready;
    final Runnable warmUp;

    Bridge(ToIntBiFunction<String, String> counter, BooleanSupplier ready, Runnable warmUp) {
      this.counter = counter;
      this.ready = ready;
      this.warmUp = warmUp;
    }
  }

  /**
   * Called once the call's outcome is written, before the span ends: counts what the response did
   * not report and writes the counts and their marks onto the span. Never throws.
   */
  static void estimate(LlmCall call, Span span) {
    try {
      if (!call.needsUsageEstimate()) {
        return;
      }
      Bridge b = bridge();
      boolean ready = b.ready.getAsBoolean();
      if (!ready && b.warmUp != null) {
        b.warmUp.run(); // the first call that needs it: load in the background, for the next ones
      }
      ToIntBiFunction<String, String> counter = ready ? b.counter : null;
      call.estimateUsage(counter);
      call.writeUsageEstimate(new SpanAttributeSink(span));
    } catch (Throwable ignored) {
      // the span ends without estimates
    }
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
    for (ClassLoader loader :
        new ClassLoader[] {extensionsClassLoader(), UsageEstimation.class.getClassLoader()}) {
      try {
        Class<?> c = Class.forName(BRIDGE, true, loader);
        return new Bridge(
            (ToIntBiFunction<String, String>) c.getMethod("counter").invoke(null),
            (BooleanSupplier) c.getMethod("readiness").invoke(null),
            (Runnable) c.getMethod("warmUp").invoke(null));
      } catch (Throwable notThere) {
        // next loader
      }
    }
    return new Bridge(null, () -> false, null);
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
