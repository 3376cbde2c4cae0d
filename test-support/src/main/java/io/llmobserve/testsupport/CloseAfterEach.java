package io.llmobserve.testsupport;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes what a test opened (operator test harnesses, servers, clients) after each test, passed or
 * failed, newest first: {@code @RegisterExtension final CloseAfterEach closer = new
 * CloseAfterEach();} then {@code var h = closer.register(new ...TestHarness<>(...));}. For a
 * factory shared by many tests this is shorter than a try-with-resources in each of them.
 */
public final class CloseAfterEach implements AfterEachCallback {
  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  /** Closes {@code resource} after the current test; returns it. */
  public synchronized <T extends AutoCloseable> T register(T resource) {
    open.push(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (true) {
      AutoCloseable next;
      synchronized (this) {
        next = open.poll();
      }
      if (next == null) {
        break;
      }
      try {
        next.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
