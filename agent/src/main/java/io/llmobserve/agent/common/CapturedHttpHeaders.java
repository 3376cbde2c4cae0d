package io.llmobserve.agent.common;

import io.llmobserve.providers.HeaderReader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Upstream's {@code otel.instrumentation.http.client.capture-{request,response}-headers} on a span
 * of ours that replaces upstream's HTTP client span, so that the user's setting still shows on the
 * call's HTTP span. The lists are the ones the agent published for the helpers, credential headers
 * already taken out ({@code LlmAgentCustomizer}). Nothing configured (the default): nothing done.
 */
final class CapturedHttpHeaders {
  private final String[] requestNames;
  private final List<AttributeKey<List<String>>> requestKeys;
  private final String[] responseNames;
  private final List<AttributeKey<List<String>>> responseKeys;

  CapturedHttpHeaders(List<String> requestHeaders, List<String> responseHeaders) {
    this.requestNames = lowerCase(requestHeaders);
    this.requestKeys = keys("http.request.header.", requestNames);
    this.responseNames = lowerCase(responseHeaders);
    this.responseKeys = keys("http.response.header.", responseNames);
  }

  static CapturedHttpHeaders fromSettings() {
    return new CapturedHttpHeaders(
        LlmSettings.list(LlmSettings.CAPTURED_CLIENT_REQUEST_HEADERS),
        LlmSettings.list(LlmSettings.CAPTURED_CLIENT_RESPONSE_HEADERS));
  }

  void request(SpanBuilder span, HeaderReader headers) {
    for (int i = 0; i < requestNames.length; i++) {
      List<String> values = values(headers, requestNames[i]);
      if (values != null) {
        span.setAttribute(requestKeys.get(i), values);
      }
    }
  }

  void response(Span span, HeaderReader headers) {
    for (int i = 0; i < responseNames.length; i++) {
      List<String> values = values(headers, responseNames[i]);
      if (values != null) {
        span.setAttribute(responseKeys.get(i), values);
      }
    }
  }

  private static List<String> values(HeaderReader headers, String name) {
    if (headers instanceof HeaderValues) {
      List<String> all = ((HeaderValues) headers).all(name);
      return all == null || all.isEmpty() ? null : all;
    }
    String first = headers.get(name);
    return first == null ? null : Collections.singletonList(first);
  }

  private static String[] lowerCase(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      if (!n.isEmpty()) {
        out.add(n);
      }
    }
    return out.toArray(new String[0]);
  }

  private static List<AttributeKey<List<String>>> keys(String prefix, String[] names) {
    List<AttributeKey<List<String>>> keys = new ArrayList<>(names.length);
    for (String name : names) {
      keys.add(AttributeKey.stringArrayKey(prefix + name));
    }
    return keys;
  }
}
