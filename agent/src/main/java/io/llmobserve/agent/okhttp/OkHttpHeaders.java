package io.llmobserve.agent.okhttp;

import io.llmobserve.providers.HeaderReader;
import okhttp3.Headers;

/**
 * A response's headers for the library, with their names listed: OkHttp looks a name up by scanning
 * every header, and the library asks for some 35 names, most of them absent.
 */
final class OkHttpHeaders implements HeaderReader {
  private final Headers headers;

  OkHttpHeaders(Headers headers) {
    this.headers = headers;
  }

  @Override
  public String get(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  @Override
  public boolean listNames(NameSink sink) {
    for (int i = 0, n = headers.size(); i < n; i++) {
      sink.name(headers.name(i));
    }
    return true;
  }
}
