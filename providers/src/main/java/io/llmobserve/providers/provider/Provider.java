package io.llmobserve.providers.provider;

import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.body.Fields;
import io.llmobserve.providers.detect.Paths;

/**
 * Everything the library knows about one LLM provider, in one place: its API hosts and paths, the
 * body fields it reports usage and outcome in, and its response headers. Registered in {@link
 * Providers#ALL}. Subclasses override only what differs from an OpenAI-compatible API.
 *
 * <p>Instances are immutable singletons. Their constructors must not touch {@code Keys} or the
 * readers (the key table collects field names from the registry while it initialises).
 */
public abstract class Provider {
  static final String[] NO_HEADERS = new String[0];
  private static final String[] REQUEST_ID_HEADERS = {"x-request-id", "request-id"};

  private final String name;

  protected Provider(String name) {
    this.name = name;
  }

  /** gen_ai.provider.name. */
  public final String name() {
    return name;
  }

  /** Host names that serve only this provider's API (lower case, exact). */
  public String[] hosts() {
    return NO_HEADERS;
  }

  /** A host of this provider known by its shape (per-resource or per-region names). */
  public boolean ownsHost(String host) {
    return false;
  }

  /**
   * A request to one of this provider's hosts ({@link #hosts()}, {@link #ownsHost}): the endpoint,
   * or null when the path names no inference operation (e.g. GET /v1/models).
   */
  public LlmEndpoint endpoint(String host, String path) {
    String op = Paths.operation(path);
    return op == null ? null : new LlmEndpoint(name, op);
  }

  /**
   * A request to any other host (a proxy, a local server) whose path or headers have this
   * provider's unmistakable shape: the endpoint, else null. Consulted in {@link
   * Providers#BY_PATH_SHAPE} order, only when {@code operation} (from {@link Paths#operation}) is
   * not null.
   */
  public LlmEndpoint byPathShape(
      String host,
      int port,
      String path,
      String operation,
      HeaderReader requestHeaders,
      boolean privateHost) {
    return null;
  }

  /**
   * llm.hosting.provider whenever this provider serves a call (its API runs only on that cloud), or
   * null.
   */
  public String hosting() {
    return null;
  }

  /**
   * True for a provider that is a cloud's own service: its {@link #servedByItsCloud} headers then
   * name the hosting of any call (a gateway on that cloud, another provider's model hosted there).
   */
  public boolean isCloud() {
    return false;
  }

  /** The response headers say this provider's cloud ({@link #hosting()}) served the call. */
  public boolean servedByItsCloud(HeaderReader responseHeaders) {
    return false;
  }

  /** Response headers carrying the provider's request id, in order of preference. */
  public String[] requestIdHeaders() {
    return REQUEST_ID_HEADERS;
  }

  /** Response headers with the server's own processing time in milliseconds. */
  public String[] processingTimeHeaders() {
    return NO_HEADERS;
  }

  /**
   * Rate-limit headers: remaining requests, remaining tokens, limit requests, limit tokens; null
   * when the provider sends none.
   */
  public String[] rateLimitHeaders() {
    return null;
  }

  /** Request body fields (model, stream, limits) in this provider's own places. */
  public void requestFields(Fields.Builder fields) {}

  /** Response body fields (usage, model, id, finish reason, errors) in this provider's places. */
  public void responseFields(Fields.Builder fields) {}

  @Override
  public String toString() {
    return name;
  }
}
