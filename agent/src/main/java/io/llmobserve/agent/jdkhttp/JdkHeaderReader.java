package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.common.HeaderValues;
import io.llmobserve.providers.HeaderReader;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.List;

/**
 * Header lookup straight in the headers' case-insensitive map: {@code HttpHeaders.firstValue}
 * builds a stream and an Optional per lookup, and a response is asked for a dozen headers. Request
 * headers are fetched only when first asked for (usually never: the path decides): under the
 * upstream agent every {@code HttpRequest.headers()} call builds a new headers copy with the trace
 * context injected.
 */
final class JdkHeaderReader implements HeaderReader, HeaderValues {
  private HttpHeaders headers;
  private final HttpRequest request;

  JdkHeaderReader(HttpHeaders headers) {
    this.headers = headers;
    this.request = null;
  }

  JdkHeaderReader(HttpRequest request) {
    this.request = request;
  }

  @Override
  public String get(String lowerCaseName) {
    List<String> values = all(lowerCaseName);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public List<String> all(String lowerCaseName) {
    HttpHeaders h = headers;
    if (h == null) {
      if (request == null) {
        return null;
      }
      h = request.headers();
      headers = h;
    }
    return h.map().get(lowerCaseName);
  }
}
