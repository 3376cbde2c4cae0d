package io.llmobserve.agenttests.bench;

/**
 * One HTTP client measured by the overhead harness: the same OpenAI chat and streaming calls (and a
 * non-LLM GET) as an app makes them with that client. Adding a client to the harness is adding ONE
 * class implementing this in {@code bench.clients} (found by {@link BenchClients}), with a public
 * no-arg constructor. Every method reads the whole body, as an app does.
 */
public interface BenchClient extends AutoCloseable {
  /** Short, stable name for the per-client line (e.g. {@code jdk}, {@code okhttp}). */
  String name();

  /** Creates the client against the simulator's base URL (no trailing slash). */
  default void open(String baseUrl) throws Exception {
    open(baseUrl, CHAT_PATH);
  }

  /**
   * Same, with the chat calls on {@code chatPath}: {@link #CHAT_PATH} or {@link
   * #UNOBSERVED_CHAT_PATH}. A client whose SDK builds its own paths (openai-java, langchain4j)
   * reaches the twin path through a layer in front of its HTTP client ({@link #isTwinPath}).
   */
  void open(String baseUrl, String chatPath) throws Exception;

  /**
   * Opens the client for the same calls to the same server on {@link #UNOBSERVED_CHAT_PATH}, which
   * the simulator answers alike but the agent does not take for an LLM call: upstream's HTTP span
   * only. The twin harness ({@link TwinHarness}) compares the two in one JVM.
   */
  default void openUnobserved(String baseUrl) throws Exception {
    open(baseUrl, UNOBSERVED_CHAT_PATH);
  }

  /** One non-streamed chat completion; returns the response body length. */
  long chat() throws Exception;

  /** One streamed chat completion (SSE), read to the end; returns the body length. */
  long stream() throws Exception;

  /** One non-LLM call (GET a JSON resource); returns the body length. */
  long nonLlm() throws Exception;

  /** One call of the harnesses' operation {@code op}: chat, stream, or else a non-LLM call. */
  default long call(String op) throws Exception {
    switch (op) {
      case "chat":
        return chat();
      case "stream":
        return stream();
      default:
        return nonLlm();
    }
  }

  @Override
  default void close() throws Exception {}

  /** The request bodies every client sends (same bytes, so clients compare). */
  String CHAT_BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],"
          + "\"max_completion_tokens\":32}";

  String STREAM_BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],"
          + "\"max_completion_tokens\":32,\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
  String CHAT_PATH = "/v1/chat/completions";

  /**
   * The chat path with a trailing slash: the simulator serves it as {@link #CHAT_PATH}, the agent's
   * path check (an operation as the last segment) does not match it.
   */
  String UNOBSERVED_CHAT_PATH = CHAT_PATH + "/";

  /**
   * For a client whose SDK builds its own paths and reaches the twin through a layer in front of
   * its HTTP client: true for {@link #UNOBSERVED_CHAT_PATH}, false for {@link #CHAT_PATH}, else an
   * error (the SDK cannot be sent anywhere else).
   */
  static boolean isTwinPath(String chatPath, String sdk) {
    if (chatPath.equals(UNOBSERVED_CHAT_PATH)) {
      return true;
    }
    if (chatPath.equals(CHAT_PATH)) {
      return false;
    }
    throw new IllegalArgumentException(sdk + " builds its own paths: " + chatPath);
  }

  /** Not an LLM call: the simulator's health resource. */
  String NON_LLM_PATH = "/_sim/health";

  String API_KEY = "sk-bench";
}
