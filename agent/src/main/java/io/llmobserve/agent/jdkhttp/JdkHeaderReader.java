package io.llmobserve.agent.jdkhttp;

import io.llmobserve.providers.HeaderReader;
import java.net.http.HttpHeaders;
import java.util.List;

/**
 * Header lookup straight in the headers' case-insensitive map: {@code HttpHeaders.firstValue}
 * builds a stream and an Optional per lookup, and a response is asked for a dozen headers.
 */
final class JdkHeaderReader implements HeaderReader {
  private final HttpHeaders headers;

  JdkHeaderReader(HttpHeaders headers) {
    this.headers = headers;
  }

  @Override
  public String get(String lowerCaseName) {
    List<String> values = headers.map().get(lowerCaseName);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
