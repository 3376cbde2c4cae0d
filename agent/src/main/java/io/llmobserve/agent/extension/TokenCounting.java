package io.llmobserve.agent.extension;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import io.llmobserve.providers.usage.RepeatedTextCache;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntBiFunction;

/**
 * Agent side (extension class loader, never injected): OpenAI's encodings (jtokkit, relocated into
 * the extension jar with its vocabulary files) and one background thread that loads them. One copy
 * per JVM: the helpers in every application class loader reach it through {@code
 * AgentInitializer.getExtensionsClassLoader()} and JDK types only ({@link #counter()}, {@link
 * #readiness()}, {@link #warmUp()}, {@link #executor()}).
 *
 * <p>o200k_base is loaded in the background at the first call that needs an estimate (~30 MB of
 * heap, 1-6 s of one core on a loaded 2-core machine), or at agent start with {@code
 * estimate-tokens=preload}.
 */
public final class TokenCounting {
  /** Tasks waiting for the background thread (only the one-off loads use it). */
  static final int QUEUE = 1024;

  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  // a chat resends its history every turn: each long message is counted once per JVM
  private static final ToIntBiFunction<String, String> COUNTER =
      new RepeatedTextCache(TokenCounting::count);
  private static final ThreadPoolExecutor EXECUTOR = newExecutor();

  private TokenCounting() {}

  private static volatile boolean ready;
  private static final AtomicBoolean WARMING = new AtomicBoolean();

  /** True once o200k_base is loaded: counting is then fast (tens of microseconds per KB). */
  public static BooleanSupplier readiness() {
    return () -> ready;
  }

  /** Loads o200k_base on the background thread (once); later calls do nothing. */
  public static Runnable warmUp() {
    return () -> {
      if (!ready && WARMING.compareAndSet(false, true)) {
        try {
          EXECUTOR.execute(TokenCounting::loadNow);
        } catch (RuntimeException e) {
          WARMING.set(false);
        }
      }
    };
  }

  /** Loads o200k_base now, on the calling thread (agent start with estimate-tokens=preload). */
  public static void loadNow() {
    try {
      REGISTRY.getEncoding("o200k_base").orElseThrow().countTokensOrdinary("warm up");
      ready = true;
    } catch (RuntimeException | Error e) {
      WARMING.set(false);
    }
  }

  /** (encoding name, text) -> tokens, special-token text counted as ordinary text. */
  public static ToIntBiFunction<String, String> counter() {
    return COUNTER;
  }

  /** The background thread that loads encodings (daemon, low priority, bounded queue). */
  public static Executor executor() {
    return EXECUTOR;
  }

  static int count(String encodingName, String text) {
    boolean o200k = "o200k_base".equals(encodingName);
    int role = o200k ? roleIndex(text) : -1;
    if (role >= 0) {
      // every message's role is one of a few fixed words: counted once per JVM (never user text:
      // no text outlives its call)
      int n = ROLE_TOKENS_O200K[role];
      if (n == 0) {
        n = encoding(encodingName, true).countTokensOrdinary(text);
        ROLE_TOKENS_O200K[role] = n;
      }
      return n;
    }
    return encoding(encodingName, o200k).countTokensOrdinary(text);
  }

  private static final String[] ROLES = {"system", "user", "assistant", "tool", "developer"};
  private static final int[] ROLE_TOKENS_O200K = new int[ROLES.length];

  private static int roleIndex(String text) {
    for (int i = 0; i < ROLES.length; i++) {
      if (ROLES[i].equals(text)) {
        return i;
      }
    }
    return -1;
  }

  private static volatile Encoding o200kBase;

  private static Encoding encoding(String encodingName, boolean o200k) {
    if (o200k) {
      Encoding e = o200kBase;
      if (e == null) {
        e = REGISTRY.getEncoding("o200k_base").orElseThrow();
        o200kBase = e;
      }
      return e;
    }
    Optional<Encoding> e = REGISTRY.getEncoding(encodingName);
    return e.isPresent() ? e.get() : encoding("o200k_base", true);
  }

  private static ThreadPoolExecutor newExecutor() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "llm-observe-token-count");
              t.setDaemon(true);
              t.setPriority(Thread.MIN_PRIORITY);
              t.setContextClassLoader(null);
              return t;
            },
            (r, p) -> {
              throw new RejectedExecutionException("token counting queue full");
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
